"""The NIP 4Pi involvement standards in the annual report: the ratings of table four_pi, worded.

The measure stage rates each standard (pipeline/measure/fourpi.py, which says what the five
standards ask
and how minutes evidence them); this module only says what a rating rests on, in sentences, with
the first few units behind it quoted so a reader can check it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pipeline.core import config
from pipeline.measure.fourpi import MET, NOT_EVIDENCED, PARTIAL, PURPOSE_MEETINGS_MET, UPTAKE_MET
from pipeline.report import charts, fmt
from pipeline.report.sections import Quote

__all__ = ["MET", "NOT_EVIDENCED", "PARTIAL", "Standard", "check"]

# Where a unit is found: the report's own citation ("Meeting of ...; file, p. N").
CiteFn = Callable[[Mapping[Hashable, Any]], str]

MAX_UNITS_LISTED = 6
# What an analysis made before table four_pi existed says for every standard.
NOT_RATED = (
    "Not rated in this analysis, which was made before the measure stage rated the 4Pi "
    "standards: run `involve analyse` again to rate them."
)


@dataclass(frozen=True)
class Standard:
    name: str
    asks: str
    rating: str
    evidence: str
    units: Sequence[str] = field(default_factory=tuple)
    quotes: Sequence[Quote] = field(default_factory=tuple)

    @property
    def css(self) -> str:
        return self.rating.replace(" ", "-")


ASKS: dict[str, str] = {
    "Principles": (
        "Service users and carers are listened to with respect, and the board changes what it "
        "does in response to their views."
    ),
    "Purpose": (
        "Why service users and carers are involved is clear, shared and recorded: to improve "
        "services and people's experience of them."
    ),
    "Presence": (
        "At least two, ideally three, service users or carers at every meeting, and never one "
        "person alone."
    ),
    "Process": (
        "Involvement is planned so people can contribute their best: papers in good time and "
        "in plain language, support and training, and fees and expenses settled in advance."
    ),
    "Impact": (
        "Involvement makes a difference that can be shown, to decisions, to services and to "
        "service users generally."
    ),
}


def check(
    ratings: pd.DataFrame,
    year_row: Mapping[str, object],
    segments: pd.DataFrame,
    cite: CiteFn,
) -> list[Standard]:
    """The five standards for one year, worded from its four_pi rows and its board_year row.

    ``segments`` holds the year's units, for quotes; ``cite`` turns a unit into where to find it,
    so quotes here read like quotes anywhere in the report.
    """
    by_name = {
        str(r["standard"]): {str(k): v for k, v in r.items()} for r in ratings.to_dict("records")
    }
    words = {
        "Principles": principles,
        "Purpose": purpose,
        "Presence": presence,
        "Process": process,
        "Impact": impact,
    }
    out = []
    for name, say in words.items():
        rated = by_name.get(name)
        if rated is None:
            out.append(Standard(name, ASKS[name], NOT_EVIDENCED, NOT_RATED))
            continue
        ids = [i for i in str(rated["evidence_segment_ids"] or "").split(";") if i]
        # Unmeasured uptake or linked outcomes: the units listed are context, not evidence.
        shown = segments[segments["segment_id"].isin(ids)] if rated["measured"] else segments[:0]
        quotes = _quotes(shown, cite)
        out.append(
            Standard(name, ASKS[name], str(rated["rating"]), say(rated, year_row), ids, quotes)
        )
    return out


Rated = Mapping[str, Any]


def principles(rated: Rated, year_row: Mapping[str, object]) -> str:
    """Listening that leads to change is what the minutes can show: contributions taken up."""
    if not rated["measured"]:
        return (
            f"Lay members made {fmt.plural(int(rated['n_units']), 'contribution')} the minutes "
            f"record, but whether the board acted on them was {fmt.UNMEASURED}, so "
            "listening that leads to change cannot be shown."
        )
    rate = fmt.to_float(year_row.get("uptake_rate"))
    taken = fmt.to_int(year_row.get("lay_taken_up"))
    total = fmt.to_int(year_row.get("lay_contributions"), default=int(rated["n_units"]))
    return (
        f"{taken} of {fmt.plural(total, 'lay contribution')} ({fmt.pct(rate)}) were taken up: "
        "referred to, acted on or followed by a decision close to what was said. Met when at "
        f"least {fmt.pct(UPTAKE_MET)} are taken up."
    )


def purpose(rated: Rated, year_row: Mapping[str, object]) -> str:
    """A board that records why it involves people discusses it: strategy, terms, roles."""
    units, meetings = int(rated["n_units"]), int(rated["n_meetings"])
    # The phrases the measure stage found, from the involvement cue lexicon the run used.
    found = [a for a in str(rated.get("aspects_found") or "").split(";") if a]
    said = f" (in the words: {', '.join(found)})" if found else ""
    return (
        f"The purpose or terms of involvement came up in {fmt.plural(units, 'unit')} at "
        f"{fmt.plural(meetings, 'meeting')}{said}. Met when discussed at "
        f"{PURPOSE_MEETINGS_MET} or more meetings."
    )


def presence(rated: Rated, year_row: Mapping[str, object]) -> str:
    """Straight from the attendance lists: the one standard minutes record in full."""
    held = fmt.to_int(year_row.get("n_meetings"))
    met = fmt.to_int(year_row.get("meetings_standard_met"))
    alone = fmt.to_int(year_row.get("meetings_single_lay"))
    words = f"at least {config.PRESENCE_STANDARD}"
    return (
        f"{met} of {fmt.plural(held, 'meeting')} had {words} lay members present "
        f"(mean {fmt.decimal(year_row.get('mean_lay_present'), 1)} a meeting)"
        + (f"; at {fmt.plural(alone, 'meeting')} one sat alone" if alone else "")
        + ". Met when every meeting reaches the standard."
    )


def process(rated: Rated, year_row: Mapping[str, object]) -> str:
    """The aspects of a well-run process the lexicon names; each the minutes mention counts once."""
    found = _listed(rated.get("aspects_found"))
    # Which aspects were looked for is the measure stage's (four_pi.aspects_missing); an analysis
    # made before that column existed says only what was found.
    missing = _listed(rated.get("aspects_missing"))
    if found:
        record = fmt.and_list(found) + (f"; nothing on {fmt.and_list(missing)}" if missing else "")
    elif missing:
        record = "none of " + (
            f"{', '.join(missing[:-1])}, or {missing[-1]}" if len(missing) > 1 else missing[0]
        )
    else:
        record = "none of the aspects"
    n = len(found) + len(missing)
    all_of = f"all {charts.NUMBER_WORDS.get(n, str(n))}" if "aspects_missing" in rated else "all"
    return (
        f"The minutes record {record} ({fmt.plural(int(rated['n_units']), 'unit')}). Met when "
        f"{all_of} aspects appear."
    )


def _listed(value: object) -> list[str]:
    return [a for a in fmt.text(value).split(";") if a]


def impact(rated: Rated, year_row: Mapping[str, object]) -> str:
    """A difference traced to lay contributions, best of all one that reaches everyone."""
    if not rated["measured"]:
        return (
            f"The minutes record {fmt.plural(int(rated['n_units']), 'outcome')}, but which of "
            f"them trace to lay contributions was {fmt.UNMEASURED}."
        )
    linked = fmt.to_int(year_row.get("lay_linked_outcomes"))
    collective = fmt.to_int(year_row.get("lay_linked_outcomes_collective"))
    return (
        f"{fmt.plural(linked, 'recorded outcome')} trace to lay contributions, {collective} "
        "of them reaching service users collectively. Met when at least one collective outcome "
        "traces to a lay contribution."
    )


# --------------------------------------------------------------------------- helpers
def _quotes(rows: pd.DataFrame, cite: CiteFn) -> list[Quote]:
    """The first few units in date order; all ids stay listed beside them."""
    if rows.empty:
        return []
    rows = rows.sort_values(["meeting_date", "segment_id"], na_position="last")
    return [
        Quote(str(r["text"]), _label(r), cite(r))
        for r in rows.head(MAX_UNITS_LISTED // 2).to_dict("records")
    ]


def _label(row: Mapping[Hashable, Any]) -> str:
    name = str(row.get("speaker_id") or "").strip()
    return name or str(row.get("focus") or "unit").capitalize()
