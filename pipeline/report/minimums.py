"""No figure on too little: a check, run with every report, that reads what the report states.

README ("What the figures rest on") documents minimum numbers (``config.MIN_*``) below which a
finding says "too few to conclude" instead of a figure. The code that writes each finding
chooses its words from those minimums; this check does not ask that code. It reads the texts
the report shows (findings, headline, figures, the year-against-year table), finds every figure
stated in the reports' own wording of a measure, works out which year (or the whole period) it
is about, and looks up in the tables how many units, contributions or meetings lie under it. A
figure shown on fewer than the minimum is a finding the data cannot carry; like a contradiction
it stops the report being written (:func:`pipeline.report.consistency.ensure_consistent`).

A change of wording in a finding that the patterns below no longer recognise makes this check
blind to it; tests/report/test_minimums.py renders real reports on thin data and asserts that
the patterns see the figures they must.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

import pandas as pd

from pipeline.core import config
from pipeline.measure import intervals
from pipeline.report import fmt

_PCT = r"\d+%"  # fmt.pct: whole percentages
_CHANGE = r"(?:rose from|fell from|was unchanged at)"


@dataclass(frozen=True)
class Minimum:
    """A measure whose figure needs at least ``minimum`` of ``count`` under it."""

    what: str  # the measure in the README's words
    count: str  # the board_year (or period) column counting what the figure rests on
    minimum: int
    # The reports' own ways of stating the figure. A group ``year`` names the year the figure
    # is about; a group ``years`` holds a list of figures, one per year it names. Without
    # either, the figure is about the report's year, or the whole period.
    patterns: tuple[re.Pattern[str], ...]


MINIMUMS: Final[tuple[Minimum, ...]] = (
    Minimum(
        "lay share of attributed contributions",
        *config.FIGURE_RESTS_ON["lay_voice_share"],
        (
            # "made 21% of the contributions the minutes attribute", "40% of attributed
            # contributions were by lay members"
            re.compile(
                rf"{_PCT} of (?:the )?(?:attributed contributions|contributions the minutes)"
            ),
            # The whole period's "; by year, 2023: 40% (95% interval 33% to 43%), 2024: 35%."
            re.compile(r"by year, (?P<years>[^.]*)"),
            re.compile(rf"Against (?P<year>\d{{4}}), the lay share {_CHANGE} {_PCT}"),
            re.compile(rf"Lay share of attributed contributions in (?P<year>\d{{4}}): {_PCT}"),
        ),
    ),
    Minimum(
        "collective share of outcomes",
        *config.FIGURE_RESTS_ON["collective_outcome_share"],
        (
            # "and 3 reached service users collectively", "2 (40%) reached service users ..."
            re.compile(rf"\d+(?: \({_PCT}\))? reached service users collectively"),
            re.compile(rf"{_PCT} of outcomes collective"),
            re.compile(rf"Against (?P<year>\d{{4}}), the collective share {_CHANGE} {_PCT}"),
            re.compile(
                rf"Outcomes reaching service users collectively in (?P<year>\d{{4}}): {_PCT}"
            ),
        ),
    ),
    Minimum(
        "collective share of the outcomes traced to lay contributions",
        *config.FIGURE_RESTS_ON["lay_linked_collective_share"],
        (
            re.compile(rf"of them collective \({_PCT}\)"),
            re.compile(rf"Lay-linked outcomes that are collective in (?P<year>\d{{4}}): {_PCT}"),
        ),
    ),
    Minimum(
        "uptake of lay contributions",
        *config.FIGURE_RESTS_ON["uptake_rate"],
        (
            # "3 of 8 lay contributions (38%) were taken up", "took up 3 of 8 lay
            # contributions (38%, 95% interval ...)"
            re.compile(rf"lay contributions \({_PCT}"),
            re.compile(rf"Lay contributions taken up in (?P<year>\d{{4}}): {_PCT}"),
        ),
    ),
    Minimum(
        "lay presence",
        *config.FIGURE_RESTS_ON["mean_lay_present"],
        (
            re.compile(r"\d+ of \d+ meetings with (?:an attendance list|a list)(?! in \d)"),
            re.compile(r"lay members a meeting on average|present on average"),
            # The whole period's "standard at 3 of 4 meetings with an attendance list in 2023
            # and 2 of 2 in 2024."
            re.compile(r"standard at (?P<years>\d+ of \d+[^.]*)"),
            re.compile(
                rf"Against (?P<year>\d{{4}}), the share of meetings meeting it {_CHANGE} {_PCT}"
            ),
            re.compile(
                r"(?:Meetings meeting the presence standard|Mean lay members present) in "
                r"(?P<year>\d{4}): \d"
            ),
        ),
    ),
    Minimum(
        "a 95% interval",
        "n_meetings",
        intervals.MIN_MEETINGS,
        (
            re.compile(r"(?<!no )95% interval \S+ to \S+"),
            re.compile(r"(?P<year>\d{4}): [^,(]*\(95% interval \S+ to \S+"),
        ),
    ),
)

# An interval whose two ends print the same is one figure shown as certainty.
_FLAT_INTERVAL = re.compile(r"95% interval (\S+?)[,;)]? to (\S+?)[,;.)]*(?:\s|$)")
# A year in a list of figures ("2023: 40%", "2 of 2 in 2024"), not one inside an interval.
_LISTED_YEAR = re.compile(r"(?:^|, | and | in )(\d{4})\b")


def below_minimum(
    tables: Mapping[str, pd.DataFrame], texts: Iterable[str], year: int | None = None
) -> list[str]:
    """Every figure ``texts`` state on fewer units, contributions or meetings than the
    documented minimum, for a report of one ``year`` or (None) of the whole period."""
    board_year = tables["board_year"]
    period = tables.get("period")
    found: list[str] = []
    for text in dict.fromkeys(t for t in texts if t):
        for rule in MINIMUMS:
            for pattern in rule.patterns:
                for match in pattern.finditer(text):
                    for about in _years(match, year):
                        n = _count(rule.count, about, board_year, period)
                        if n is not None and n < rule.minimum:
                            found.append(
                                f"'{_quote(match.group(0))}' states the {rule.what} "
                                f"{_when(about)} on {n} {_COUNTED[rule.count]} (at least "
                                f"{rule.minimum} needed; the report should say "
                                f"'{fmt.TOO_FEW}')"
                            )
        for low, high in _FLAT_INTERVAL.findall(text):
            if low == high:
                found.append(
                    f"'95% interval {low} to {high}' shows one figure as an interval: every "
                    "resample gave the same, which is few meetings alike, not certainty"
                )
    return list(dict.fromkeys(found))


def _years(match: re.Match[str], year: int | None) -> list[int | None]:
    """The years a stated figure is about (None: the whole period)."""
    groups = match.groupdict()
    if groups.get("year"):
        return [int(groups["year"])]
    if "years" in groups:
        # Brackets hold intervals, whose numbers are not years.
        listing = re.sub(r"\([^)]*\)", "", groups["years"] or "")
        return [int(y) for y in _LISTED_YEAR.findall(listing)]
    return [year]


def _count(
    column: str, year: int | None, board_year: pd.DataFrame, period: pd.DataFrame | None
) -> int | None:
    """How many of ``column`` a figure of ``year`` (None: the whole period) rests on; None where
    the tables cannot say (a column an older analysis lacks)."""
    if year is None:
        if period is not None and len(period) and column in period.columns:
            return fmt.to_int(period.iloc[0][column])
        if column not in board_year.columns or board_year.empty:
            return None
        return int(pd.to_numeric(board_year[column], errors="coerce").fillna(0).sum())
    if column not in board_year.columns:
        return None
    rows = board_year[pd.to_numeric(board_year["year"], errors="coerce") == year]
    if rows.empty:
        return 0
    value = rows.iloc[0][column]
    return fmt.to_int(value) if fmt.finite(value) else 0


_COUNTED = {
    "attributed_units": "units attributed to a named person",
    "outcome_units": "outcome units",
    "lay_linked_outcomes": "outcomes traced to lay contributions",
    "lay_contributions": "lay contributions",
    "meetings_with_attendance": "meetings with an attendance list read",
    "n_meetings": "meetings",
}


def _when(year: int | None) -> str:
    return "over the whole period" if year is None else f"for {year}"


def _quote(text: str) -> str:
    return text if len(text) <= 90 else text[:87] + "..."
