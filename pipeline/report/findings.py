"""The key findings: plain sentences computed from the measure tables, each tied to its chart.

A researcher should be able to quote a finding as it stands, so each sentence carries its own
denominators ("3 of 8 meetings"), and says plainly when the data needed for it is missing rather
than printing a misleading zero.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.core import config
from pipeline.report import charts, data, fmt

NO_YEARS = "No year-by-year measures were produced for this run, so {what}."


@dataclass(frozen=True)
class Finding:
    heading: str
    text: str
    charts: tuple[str, ...]


def key_findings(
    tables: Mapping[str, pd.DataFrame], meta: Mapping[str, object] | None = None
) -> list[Finding]:
    """The five findings of the report, in the order Horrocks' questions are asked. Without the
    board's own codebook (``meta["own_codebook"]`` false) there is no priorities finding: the
    demo board's survey says nothing about what this board's service users want."""
    board_year = tables["board_year"].sort_values("year")
    period = totals(tables.get("period"))
    own = bool((meta or {}).get("own_codebook", True))
    priorities = (
        Finding(
            "Priorities",
            priorities_sentence(tables["theme_attention"], tables["alignment"]),
            ("priorities_vs_attention", "theme_attention"),
        )
        if own
        else Finding("Priorities", NO_OWN_CODEBOOK, ())
    )
    return [
        Finding("Time", focus_sentence(board_year), ("focus_by_meeting",)),
        Finding("Presence", presence_sentence(board_year, period), ("lay_presence",)),
        Finding(
            "Voice",
            voice_sentence(board_year, period, tables.get("year_intervals")),
            ("lay_voice",),
        ),
        Finding("Outcomes", outcome_sentence(board_year, period), _outcome_charts(period)),
        priorities,
    ]


NO_OWN_CODEBOOK = (
    "No priority findings: the themes were coded with the demo board's survey (the default "
    "codebook), not a survey of this board's own service users, so how the board's attention "
    "matches their priorities is not measured. Draft a codebook from the board's own survey "
    "(involve themes from-survey) and pass --codebook."
)


Totals = Mapping[str, object]


def totals(period: pd.DataFrame | None) -> Totals | None:
    """The whole period's totals (table period), None for an analysis made before it existed."""
    if period is None or period.empty:
        return None
    return {str(k): v for k, v in period.iloc[0].to_dict().items()}


def _unmeasured(what: str) -> str:
    return f"{what}: {fmt.UNMEASURED} (the analysis predates table period; run it again)."


def _outcome_charts(period: Totals | None) -> tuple[str, ...]:
    """A chart of outcome scope only when there are enough outcomes to read one."""
    if period is None:
        return ()
    enough = fmt.to_int(period["outcome_units"]) >= config.MIN_OUTCOME_UNITS
    return ("outcome_scope",) if enough else ()


def focus_sentence(board_year: pd.DataFrame) -> str:
    """Shares per year, because the question is whether the balance shifts over time."""
    if board_year.empty:
        return NO_YEARS.format(what="what the board spent its time on cannot be said")
    rows = board_year[board_year["n_words"] > 0]
    if rows.empty:
        return "No units were coded, so it cannot be said what the board spent its time on."
    clauses = [
        f"{fmt.to_int(r.year)}, {fmt.pct(r.process_share)} "
        f"{'of the words in the minutes ' if i == 0 else ''}were about process, "
        f"{fmt.pct(r.action_share)} about actions and {fmt.pct(r.outcome_share)} about outcomes"
        for i, r in enumerate(rows.itertuples())
    ]
    return "In " + "; in ".join(clauses) + "."


def presence_sentence(board_year: pd.DataFrame, period: Totals | None) -> str:
    """Met against held, per year, plus the 'never one alone' cases the standard singles out."""
    if board_year.empty:
        return NO_YEARS.format(what="lay members' presence cannot be assessed")
    words = charts.NUMBER_WORDS.get(config.PRESENCE_STANDARD, str(config.PRESENCE_STANDARD))
    rows = board_year.to_dict("records")
    if rows and all(_label(r) == "not applicable" for r in rows):
        return (
            "Not applicable: the body has no lay seats (board.yaml: lay_seats: 0), so the "
            f"'at least {words}' standard does not apply."
        )
    # Counted over the meetings whose list was read; a year with none is not measurable.
    listed = [r for r in rows if _listed(r) > 0]
    parts = [
        f"{fmt.to_int(r['meetings_standard_met'])} of {_listed(r)}"
        f"{' meetings with an attendance list' if i == 0 else ''} in {fmt.to_int(r['year'])}"
        for i, r in enumerate(listed)
    ]
    if parts:
        text = f"Lay members met the 'at least {words}' standard at {fmt.and_list(parts)}."
    else:
        text = (
            "Lay presence is not measurable: no attendance list was read in any meeting, so "
            "who was present is unknown (not none)."
        )
    unmeasured = [str(fmt.to_int(r["year"])) for r in rows if _listed(r) == 0]
    if parts and unmeasured:
        text += (
            f" Not measurable in {fmt.and_list(unmeasured)}: no attendance list was read in "
            f"{'that year' if len(unmeasured) == 1 else 'those years'}."
        )
    alone = fmt.to_int(period["meetings_single_lay"]) if period else 0
    if alone:
        text += (
            f" At {fmt.plural(alone, 'meeting')} a single lay member sat alone, which the "
            "standard rules out."
        )
    unlisted = fmt.to_int(period["meetings_without_attendance"]) if period else 0
    if unlisted and parts:
        text += (
            f" {fmt.plural(unlisted, 'meeting')} had no attendance list in the minutes and "
            "could not be checked."
        )
    return text


def voice_sentence(
    board_year: pd.DataFrame, period: Totals | None, intervals: pd.DataFrame | None = None
) -> str:
    """Totals over the period, with the per-year shares (and their bootstrap intervals over
    meetings, where there are enough meetings) when there is more than one year."""
    if board_year.empty:
        return NO_YEARS.format(what="lay members' share of contributions cannot be measured")
    if period is None:
        return _unmeasured("Lay members' share of contributions")
    attributed = fmt.to_int(period["attributed_units"])
    lay = fmt.to_int(period["lay_units"])
    if attributed == 0:
        return (
            "No unit of the minutes was attributed to a named person, so lay members' share "
            "of contributions cannot be measured."
        )
    if attributed < config.MIN_ATTRIBUTED_UNITS:
        return (
            f"Lay members' share of contributions: {fmt.TOO_FEW} ({lay} of only {attributed} "
            f"units the minutes attribute to a named person; at least "
            f"{config.MIN_ATTRIBUTED_UNITS} are needed for a share)."
        )
    text = (
        f"Lay members accounted for {fmt.pct(period['lay_voice_share'])} of attributed "
        "contributions "
        f"({lay} of {attributed} units the minutes attribute to a named person)"
    )
    yearly = [
        f"{fmt.to_int(r.year)}: {fmt.pct(r.lay_voice_share)}"
        + _interval(intervals, fmt.to_int(r.year), "lay_voice_share")
        for r in board_year.itertuples()
        if fmt.finite(r.lay_voice_share)
        and fmt.to_int(r.attributed_units) >= config.MIN_ATTRIBUTED_UNITS
    ]
    if len(board_year) > 1 and yearly:
        text += f"; by year, {', '.join(yearly)}"
    return text + "."


def outcome_sentence(board_year: pd.DataFrame, period: Totals | None) -> str:
    """Individual against collective benefit, Horrocks' test of whether involvement spreads."""
    if board_year.empty:
        return NO_YEARS.format(what="outcomes cannot be counted")
    if period is None:
        return _unmeasured("Outcomes over the whole period")
    units = fmt.to_int(period["n_units"])
    outcomes = fmt.to_int(period["outcome_units"])
    if units == 0:
        return "No units were coded, so outcomes cannot be counted."
    if outcomes == 0:
        return (
            f"None of the {units} units recorded an outcome: the minutes report no concrete "
            "result for service users or for services."
        )
    individual = fmt.to_int(period["outcomes_individual"])
    collective = fmt.to_int(period["outcomes_collective"])
    unit_word = "unit" if outcomes == 1 else "units"
    if outcomes < config.MIN_OUTCOME_UNITS:
        return (
            f"Whether outcomes reach service users collectively: {fmt.TOO_FEW}. Only "
            f"{outcomes} outcome {unit_word} in {units} units ({individual} individual, "
            f"{collective} collective); at least {config.MIN_OUTCOME_UNITS} are needed."
        )
    return (
        f"Of {outcomes} outcome {unit_word}, {individual} benefited only the individuals "
        f"involved and {collective} reached service users collectively."
    )


def priorities_sentence(attention: pd.DataFrame, alignment: pd.DataFrame) -> str:
    """Rho (table alignment) with a reading of it, and what became of the survey's first
    priority."""
    if alignment.empty:
        return (
            f"Survey priorities and the board's attention: {fmt.UNMEASURED} (the analysis "
            "predates table alignment; run it again)."
        )
    align = data.alignment(alignment)
    if not fmt.finite(align.rho):
        return (
            "Survey priorities and the board's attention could not be compared: at least "
            "three survey themes with attention ranks are needed."
        )
    text = (
        f"Survey priorities and the board's attention: Spearman's rho = {align.rho:.2f} "
        f"across {align.n_themes} survey themes (1 would mean the board gave most words to "
        "what service users ranked highest, 0 no relation, below 0 the reverse)"
    )
    if fmt.finite(align.p):
        text += f", p = {align.p:.2f}"
    text += "."
    rows = data.theme_rows(attention)
    rows = rows[rows["theme"] != config.OTHER_THEME]
    if not rows.empty:
        top = rows.iloc[0]
        text += (
            f" The survey's first priority, {top['label']}, received "
            f"{fmt.pct(top['word_share'])} of the words and ranked "
            f"{fmt.rank(top['attention_rank'])} of {len(rows)} for attention."
        )
    return text


def _interval(intervals: pd.DataFrame | None, year: int, measure: str) -> str:
    """ " (95% interval a–b)" for a share, or nothing when there is no interval to give."""
    if intervals is None or intervals.empty:
        return ""
    found = intervals[(intervals["year"] == year) & (intervals["measure"] == measure)]
    if found.empty or not (fmt.finite(found.iloc[0]["low"]) and fmt.finite(found.iloc[0]["high"])):
        return ""
    low, high = found.iloc[0]["low"], found.iloc[0]["high"]
    return f" ({fmt.interval_words(low, high, fmt.pct)})"


def _label(row: Mapping[Hashable, Any]) -> str:
    return str(row.get("index_label") or "")


def _listed(row: Mapping[Hashable, Any]) -> int:
    """Meetings with an attendance list; a row from before the column counts every meeting."""
    if "meetings_with_attendance" not in row:
        return fmt.to_int(row.get("n_meetings"))
    return fmt.to_int(row.get("meetings_with_attendance"))
