"""Bootstrap 95% intervals over meetings for the board-year figures.

A board-year has few meetings (six to ten is usual), so a figure such as "lay members spoke in
14% of attributed contributions" is one draw from a small sample of meetings. Resampling whole
meetings with replacement keeps everything that happens within a meeting together (who was
there, who spoke, what was decided) and shows how much the figure depends on which meetings
happened to be held. Each figure is computed from the resample exactly as from the year, as a
ratio of sums where it is a share of words or of units, so a long meeting weighs more than a
short one in both. Percentile intervals; a fixed seed, so the same inputs give the same bounds.
Formulas: docs/measures.md.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Final

import numpy as np
import pandas as pd

from pipeline.core import config, schemas

RESAMPLES: Final = 2000
LEVEL: Final = 0.95
# Below this many meetings an interval says nothing useful and is left empty.
MIN_MEETINGS: Final = 3

Stat = Callable[[dict[str, np.ndarray]], np.ndarray]


def _ratio(num: str, den: str) -> Stat:
    def stat(s: dict[str, np.ndarray]) -> np.ndarray:
        top, bottom = s[num].sum(axis=-1), s[den].sum(axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1), np.nan)

    return stat


def _mean(column: str) -> Stat:
    """Mean over the meetings where the figure is known (presence without a list is missing)."""

    def stat(s: dict[str, np.ndarray]) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanmean(s[column], axis=-1)

    return stat


# Every figure with an interval: its name (a board_year column) and how a sample computes it.
STATISTICS: Final[dict[str, Stat]] = {
    "process_share": _ratio("process_words", "n_words"),
    "action_share": _ratio("action_words", "n_words"),
    "outcome_share": _ratio("outcome_words", "n_words"),
    "mean_lay_present": _mean("lay_present"),
    "share_meetings_standard_met": _mean("lay_standard_met"),
    "lay_voice_share": _ratio("lay_units", "attributed_units"),
    "collective_outcome_share": _ratio("outcomes_collective", "outcome_units"),
    "uptake_rate": _ratio("lay_taken_up", "lay_contributions"),
    "lay_linked_collective_share": _ratio("lay_linked_outcomes_collective", "lay_linked_outcomes"),
    "level_3plus_share": _ratio("level_3plus", "lay_items"),
}
# Per-meeting counts behind the involvement figures; a table without them (an older run) counts
# them as zero, so its involvement intervals are empty rather than an error.
_COUNTS: Final = (
    "lay_contributions",
    "lay_taken_up",
    "lay_linked_outcomes",
    "lay_linked_outcomes_collective",
    "level_3plus",
    "lay_items",
    "items_with_lay_voice",
    "n_items",
)


def year_intervals(meeting_measures: pd.DataFrame, seed: int = config.SEED) -> pd.DataFrame:
    """One row per board-year and figure: the estimate and its bootstrap interval."""
    rows: list[dict[str, object]] = []
    dated = meeting_measures.dropna(subset=["year"])
    for year in sorted(int(y) for y in dated["year"].unique()):
        group = dated[dated["year"] == year]
        columns = _columns(group)
        n = len(group)
        rng = np.random.default_rng([seed, year])
        picks = rng.integers(0, n, size=(RESAMPLES, n))
        for name, stat in STATISTICS.items():
            estimate = float(stat(columns))
            low = high = np.nan
            if n >= MIN_MEETINGS:
                draws = stat({k: v[picks] for k, v in columns.items()})
                draws = draws[~np.isnan(draws)]
                if len(draws):
                    tail = (1 - LEVEL) / 2 * 100
                    low, high = (float(q) for q in np.percentile(draws, [tail, 100 - tail]))
            rows.append(
                {
                    "year": year,
                    "measure": name,
                    "estimate": estimate,
                    "low": low,
                    "high": high,
                    "n_meetings": n,
                    "resamples": RESAMPLES if n >= MIN_MEETINGS else 0,
                }
            )
    if not rows:
        return schemas.empty("year_intervals")
    return schemas.conform(pd.DataFrame(rows), "year_intervals")


def _columns(meetings: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per-meeting totals as float arrays: words by focus, units, lay presence."""
    words = meetings["n_words"].to_numpy(float)
    outcomes = meetings["outcomes_individual"].to_numpy(float) + meetings[
        "outcomes_collective"
    ].to_numpy(float)
    columns = {
        "n_words": words,
        "lay_present": _known(meetings["lay_present"]),
        "lay_standard_met": _known(meetings["lay_standard_met"]),
        "lay_units": meetings["lay_units"].to_numpy(float),
        "attributed_units": meetings["attributed_units"].to_numpy(float),
        "outcomes_collective": meetings["outcomes_collective"].to_numpy(float),
        "outcome_units": outcomes,
    }
    for name in _COUNTS:
        columns[name] = (
            meetings[name].to_numpy(float) if name in meetings else np.zeros(len(meetings))
        )
    for focus in config.FOCUS_LABELS:
        columns[f"{focus}_words"] = meetings[f"{focus}_share"].to_numpy(float) * words
    return columns


def _known(column: pd.Series) -> np.ndarray:
    """A column as floats with missing values (no attendance list read) as NaN, not 0."""
    return pd.to_numeric(column.astype("object"), errors="coerce").astype(float).to_numpy()
