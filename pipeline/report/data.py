"""The views of the measure tables that the charts, findings and HTML all share.

Computing them once keeps every part of the report telling the same story: a meeting counted in a
chart is the same meeting counted in a sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from pipeline.core import config, schemas
from pipeline.report import fmt

TABLE_NAMES = config.ANALYSIS_TABLES

_MEETING_COLUMNS = [
    "meeting_id",
    "meeting_date",
    "year",
    "members_present",
    "lay_present",
    "lay_standard_met",
    "has_attendance",
    "n_units",
    "source",
]
_MEASURE_COLUMNS = [
    "meeting_id",
    "meeting_date",
    "year",
    "n_units",
    "n_words",
    "process_share",
    "action_share",
    "outcome_share",
    "timed_minutes",
    "lay_present",
    "lay_standard_met",
    "attributed_units",
    "lay_units",
    "lay_voice_share",
    "outcomes_individual",
    "outcomes_collective",
]


def complete(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A missing table is treated as an empty one, so a partial run still gets a report."""
    out: dict[str, pd.DataFrame] = {}
    for name in TABLE_NAMES:
        df = tables.get(name)
        out[name] = schemas.empty(name) if df is None else df
    return out


def meeting_view(meetings: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """One row per meeting in date order, joining attendance facts to the word measures.

    Either table may be empty or lack a meeting the other has; the union is kept so no meeting
    silently drops out of the per-meeting chart and table. Where both carry a fact, the meetings
    table (read from the attendance list) wins.
    """
    left = meetings.loc[:, [c for c in _MEETING_COLUMNS if c in meetings.columns]]
    right = measures.loc[:, [c for c in _MEASURE_COLUMNS if c in measures.columns]]
    merged = pd.merge(left, right, on="meeting_id", how="outer", suffixes=("_a", "_b"))
    for col in set(left.columns) & set(right.columns) - {"meeting_id"}:
        merged[col] = merged[f"{col}_a"].combine_first(merged[f"{col}_b"])
        merged = merged.drop(columns=[f"{col}_a", f"{col}_b"])
    if "has_attendance" not in merged.columns:
        merged["has_attendance"] = True
    merged["has_attendance"] = merged["has_attendance"].astype("boolean").fillna(True)
    merged["meeting_date"] = pd.to_datetime(merged["meeting_date"])
    merged = merged.sort_values(["meeting_date", "meeting_id"], na_position="last")
    merged = merged.reset_index(drop=True)
    merged["label"] = [
        fmt.short_date(day) if fmt.as_date(day) else str(mid)
        for day, mid in zip(merged["meeting_date"], merged["meeting_id"], strict=True)
    ]
    merged["year"] = pd.array(
        [_year_of(y, d) for y, d in zip(merged["year"], merged["meeting_date"], strict=True)],
        dtype="Int64",
    )
    return merged


def _year_of(year: object, day: object) -> int | None:
    if fmt.finite(year):
        return int(float(year))  # type: ignore[arg-type]
    date = fmt.as_date(day)
    return date.year if date else None


def theme_rows(theme_attention: pd.DataFrame) -> pd.DataFrame:
    """Attention to each theme over the whole period (year 0), ordered by survey rank.

    Older runs or single-year corpora may carry only per-year rows; with a single year those are
    the whole period, so they stand in for year 0.
    """
    rows = theme_attention[theme_attention["year"] == 0]
    years = sorted(set(theme_attention["year"].dropna().astype(int)) - {0})
    if rows.empty and len(years) == 1:
        rows = theme_attention[theme_attention["year"] == years[0]]
    return order_themes(rows)


def order_themes(rows: pd.DataFrame) -> pd.DataFrame:
    """Survey rank order with 'other' last: the order in which service users named priorities."""
    rows = rows.assign(_other=rows["theme"] == config.OTHER_THEME)
    rows = rows.sort_values(["_other", "priority_rank", "theme"])
    return rows.drop(columns="_other").reset_index(drop=True)


@dataclass(frozen=True)
class Alignment:
    rho: float
    p: float
    n_themes: int


def alignment(table: pd.DataFrame, year: int = 0) -> Alignment:
    """The rho the measure stage wrote (table alignment) for ``year``, 0 for the whole period;
    missing (NaN, no themes) for an analysis made before the table existed."""
    rows = table[table["year"] == year]
    if rows.empty:
        return Alignment(float("nan"), float("nan"), 0)
    row = rows.iloc[0]
    return Alignment(
        fmt.to_float(row["alignment_rho"]), fmt.to_float(row["alignment_p"]), int(row["n_themes"])
    )


LARGEST_TOPICS = 10


def largest_topics(topics: pd.DataFrame, n: int = LARGEST_TOPICS) -> pd.DataFrame:
    """Up to ``n`` topics, most words first, the board's own procedure left out.

    Emergent topics are what the chart is for, so the largest of them (up to half of ``n``)
    are kept even when covered topics are larger; covered topics fill the rest.
    """
    if topics.empty or "kind" not in topics.columns:
        return topics.iloc[0:0]
    rows = topics[topics["kind"] != "procedure"]
    rows = rows.sort_values(["share_of_words", "topic_id"], ascending=[False, True])
    keep = rows[rows["kind"] == "emergent"].head(max(1, n // 2))
    rest = rows.drop(index=keep.index).head(max(0, n - len(keep)))
    chosen = pd.concat([keep, rest]).sort_values(
        ["share_of_words", "topic_id"], ascending=[False, True]
    )
    return chosen.reset_index(drop=True)


def is_lay(role: object) -> bool:
    return str(role) in config.LAY_ROLES


def years(board_year: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in board_year["year"].dropna())
