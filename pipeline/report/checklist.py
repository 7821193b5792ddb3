"""The NIP 4Pi involvement standards, checked against what one year's minutes record.

The 4Pi standards (National Involvement Partnership, revised 2015) ask five things of involvement:

- **Principles**: shared values, above all listening to service users and carers with respect and
  being willing to change in response to what they say;
- **Purpose**: a clear, shared and recorded reason for involving people, whose core is better
  services and a better experience of them;
- **Presence**: a diversity of service users and carers at every level, at least two (ideally
  three) at any meeting and never one person alone;
- **Process**: involvement planned so people can contribute their best: papers in good time,
  plain language, support, training, and fees and expenses settled in advance;
- **Impact**: a difference that can be shown, to decisions, to services and to service users.

Minutes can only show part of this. Each standard is rated from what the minutes of the year
evidence, with the units behind the rating listed so a reader can check it: *met* when the
evidence covers what the standard asks, *partial* when it covers some of it, and *not evidenced*
when the minutes are silent, which is not the same as the standard being broken.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pipeline import config
from pipeline.report import fmt
from pipeline.report.sections import Quote

# Where a unit is found: the report's own citation ("Meeting of ...; file, p. N").
CiteFn = Callable[[Mapping[Hashable, Any]], str]

MET = "met"
PARTIAL = "partial"
NOT_EVIDENCED = "not evidenced"

# A standard is met on uptake when at least this share of lay contributions is acted on: half is
# the point at which a lay member can expect more often than not that what they say leads somewhere.
UPTAKE_MET = 0.5
# Purpose is shown by the board discussing why it involves people, at this many meetings or more.
PURPOSE_MEETINGS_MET = 2
MAX_UNITS_LISTED = 6

# Cue phrases, matched as whole words on the pseudonymised unit text (lower case). They name what
# the standard asks for in the words minutes use; a board with other wording can extend them.
PURPOSE_CUES: tuple[str, ...] = (
    "involvement strategy",
    "involvement standards",
    "terms of reference",
    "purpose of involvement",
    "co-production",
    "coproduction",
    "role description",
    "lived experience",
    "4pi",
    "involvement charter",
    "expert by experience",
    "experts by experience",
)
PROCESS_CUES: dict[str, tuple[str, ...]] = {
    "communication": (
        "papers",
        "in advance",
        "plain english",
        "plain language",
        "jargon",
        "easy read",
        "acronym",
        "acronyms",
        "accessible",
        "pre-meeting",
    ),
    "support and training": (
        "training",
        "induction",
        "mentoring",
        "peer support",
        "supervision",
        "debrief",
        "buddy",
    ),
    "payment and practical support": (
        "expenses",
        "payment",
        "payments",
        "fees",
        "involvement payment",
        "travel",
        "childcare",
        "respite",
    ),
}


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
    year_row: Mapping[str, object],
    segments: pd.DataFrame,
    uptake: pd.DataFrame | None,
    cite: CiteFn,
) -> list[Standard]:
    """The five standards for one year, from its board_year row and its units.

    ``segments`` and ``uptake`` hold the year's rows only; ``cite`` turns a unit into where to
    find it, so quotes here read like quotes anywhere in the report.
    """
    return [
        principles(year_row, segments, uptake, cite),
        purpose(segments, cite),
        presence(year_row),
        process(segments, cite),
        impact(year_row, segments, uptake, cite),
    ]


def principles(
    year_row: Mapping[str, object],
    segments: pd.DataFrame,
    uptake: pd.DataFrame | None,
    cite: CiteFn,
) -> Standard:
    """Listening that leads to change is what the minutes can show: contributions taken up."""
    lay = segments[segments["speaker_role"].isin(config.LAY_ROLES)]
    if uptake is None or not _has(year_row, "uptake_rate"):
        rating = PARTIAL if len(lay) else NOT_EVIDENCED
        text = (
            f"Lay members made {fmt.plural(len(lay), 'contribution')} the minutes record, but "
            "whether the board acted on them was not measured in this run, so listening that "
            "leads to change cannot be shown."
        )
        return Standard("Principles", ASKS["Principles"], rating, text, _ids(lay), ())
    rate = fmt.to_float(year_row.get("uptake_rate"))
    taken = fmt.to_int(year_row.get("lay_taken_up"))
    total = fmt.to_int(year_row.get("lay_contributions"), default=len(lay))
    if taken == 0 or not fmt.finite(rate):
        rating = NOT_EVIDENCED
    else:
        rating = MET if rate >= UPTAKE_MET else PARTIAL
    text = (
        f"{taken} of {fmt.plural(total, 'lay contribution')} ({fmt.pct(rate)}) were taken up: "
        "referred to, acted on or followed by a decision close to what was said. Met when at "
        f"least {fmt.pct(UPTAKE_MET)} are taken up."
    )
    ids = [str(i) for i in uptake["contribution_id"].astype(str).unique()]
    quotes = _quotes(segments[segments["segment_id"].isin(ids)], cite)
    return Standard("Principles", ASKS["Principles"], rating, text, ids, quotes)


def purpose(segments: pd.DataFrame, cite: CiteFn) -> Standard:
    """A board that records why it involves people discusses it: strategy, terms, roles."""
    hits = _matching(segments, PURPOSE_CUES)
    meetings = hits["meeting_id"].nunique() if len(hits) else 0
    if meetings >= PURPOSE_MEETINGS_MET:
        rating = MET
    elif meetings:
        rating = PARTIAL
    else:
        rating = NOT_EVIDENCED
    text = (
        f"The purpose or terms of involvement (an involvement strategy, standards, terms of "
        f"reference, role descriptions, co-production) came up in {fmt.plural(len(hits), 'unit')} "
        f"at {fmt.plural(meetings, 'meeting')}. Met when discussed at "
        f"{PURPOSE_MEETINGS_MET} or more meetings."
    )
    return Standard("Purpose", ASKS["Purpose"], rating, text, _ids(hits), _quotes(hits, cite))


def presence(year_row: Mapping[str, object]) -> Standard:
    """Straight from the attendance lists: the one standard minutes record in full."""
    held = fmt.to_int(year_row.get("n_meetings"))
    met = fmt.to_int(year_row.get("meetings_standard_met"))
    alone = fmt.to_int(year_row.get("meetings_single_lay"))
    if held == 0:
        rating = NOT_EVIDENCED
    elif met == held:
        rating = MET
    elif met:
        rating = PARTIAL
    else:
        rating = NOT_EVIDENCED
    words = f"at least {config.PRESENCE_STANDARD}"
    text = (
        f"{met} of {fmt.plural(held, 'meeting')} had {words} lay members present "
        f"(mean {fmt.decimal(year_row.get('mean_lay_present'), 1)} a meeting)"
        + (f"; at {fmt.plural(alone, 'meeting')} one sat alone" if alone else "")
        + ". Met when every meeting reaches the standard."
    )
    return Standard("Presence", ASKS["Presence"], rating, text, (), ())


def process(segments: pd.DataFrame, cite: CiteFn) -> Standard:
    """Three aspects of a well-run process; each the minutes mention counts once."""
    found: list[str] = []
    hits_all = segments.iloc[0:0]
    for aspect, cues in PROCESS_CUES.items():
        hits = _matching(segments, cues)
        if len(hits):
            found.append(aspect)
            hits_all = pd.concat([hits_all, hits])
    hits_all = hits_all.drop_duplicates("segment_id")
    if len(found) == len(PROCESS_CUES):
        rating = MET
    elif found:
        rating = PARTIAL
    else:
        rating = NOT_EVIDENCED
    missing = [a for a in PROCESS_CUES if a not in found]
    text = (
        f"The minutes record {fmt.and_list(found) or 'none of'} "
        f"{'' if found else 'communication, support and training, or payment'}".rstrip()
        + (f"; nothing on {fmt.and_list(missing)}" if found and missing else "")
        + f" ({fmt.plural(len(hits_all), 'unit')}). Met when all three aspects appear."
    )
    return Standard(
        "Process", ASKS["Process"], rating, text, _ids(hits_all), _quotes(hits_all, cite)
    )


def impact(
    year_row: Mapping[str, object],
    segments: pd.DataFrame,
    uptake: pd.DataFrame | None,
    cite: CiteFn,
) -> Standard:
    """A difference traced to lay contributions, best of all one that reaches everyone."""
    if not _has(year_row, "lay_linked_outcomes"):
        outcomes = segments[segments["focus"] == "outcome"]
        rating = PARTIAL if len(outcomes) else NOT_EVIDENCED
        text = (
            f"The minutes record {fmt.plural(len(outcomes), 'outcome')}, but which of them trace "
            "to lay contributions was not measured in this run."
        )
        return Standard("Impact", ASKS["Impact"], rating, text, _ids(outcomes), ())
    linked = fmt.to_int(year_row.get("lay_linked_outcomes"))
    collective = fmt.to_int(year_row.get("lay_linked_outcomes_collective"))
    if collective:
        rating = MET
    elif linked:
        rating = PARTIAL
    else:
        rating = NOT_EVIDENCED
    text = (
        f"{fmt.plural(linked, 'recorded outcome')} trace to lay contributions, {collective} "
        "of them reaching service users collectively. Met when at least one collective outcome "
        "traces to a lay contribution."
    )
    ids: list[str] = []
    if uptake is not None and len(uptake):
        outcome_ids = set(segments.loc[segments["focus"] == "outcome", "segment_id"].astype(str))
        ids = [t for t in uptake["target_id"].astype(str).unique() if t in outcome_ids]
    quotes = _quotes(segments[segments["segment_id"].isin(ids)], cite)
    return Standard("Impact", ASKS["Impact"], rating, text, ids, quotes)


# --------------------------------------------------------------------------- helpers
def _has(row: Mapping[str, object], column: str) -> bool:
    return column in row and fmt.finite(row.get(column))


def _matching(segments: pd.DataFrame, cues: Sequence[str]) -> pd.DataFrame:
    if segments.empty:
        return segments
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\b")
    mask = segments["text"].astype(str).str.lower().str.contains(pattern)
    return segments[mask]


def _ids(rows: pd.DataFrame) -> list[str]:
    return [str(i) for i in rows["segment_id"]] if "segment_id" in rows else []


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
