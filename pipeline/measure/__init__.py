"""Measure: per meeting and per board-year, the figures Horrocks' questions ask for.

Time shares are shares of words (minutes give more words to what took longer), and shares of
minutes where the minutes or agenda time the items (`pipeline.measure.timings`); presence counts
lay members against the NIP 4Pi "at least two" standard; voice is the lay share of the units
attributed to a named person; alignment is Spearman's rho between each priority's survey rank and
its rank by words in the minutes. Uptake (`pipeline.involvement.uptake`) and involvement levels
(`pipeline.involvement.levels`) are counted per meeting and per year, and each board-year is placed
on the
symbolic-instrumental index (`pipeline.measure.index`). Every year-level figure names the units it
rests
on, and the main ones get a bootstrap interval over meetings (`pipeline.measure.intervals`).
Formulas:
docs/measures.md.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from pipeline.core import config, schemas
from pipeline.inputs.codebook import Codebook
from pipeline.inputs.involvement_cues import InvolvementCues
from pipeline.measure import index
from pipeline.measure.fourpi import four_pi
from pipeline.measure.intervals import year_intervals
from pipeline.measure.timings import time_shares


@dataclass
class Measures:
    meeting_measures: pd.DataFrame
    theme_attention: pd.DataFrame
    board_year: pd.DataFrame
    year_intervals: pd.DataFrame
    index_sensitivity: pd.DataFrame
    alignment: pd.DataFrame
    four_pi: pd.DataFrame
    period: pd.DataFrame


def measure(
    units: pd.DataFrame,
    meetings: pd.DataFrame,
    codebook: Codebook,
    levels: pd.DataFrame,
    links: pd.DataFrame | None = None,
    times: pd.DataFrame | None = None,
    lay_seats: int | None = None,
    own_codebook: bool = True,
    cues: InvolvementCues | None = None,
) -> Measures:
    """Per meeting and per year figures from the tables the stages before wrote: ``units`` (table
    segments), ``meetings``, ``levels`` (table item_levels); ``links`` (table uptake) counts as no
    uptake when not given, ``times`` (table item_times) as no timed items. ``lay_seats`` is
    board.yaml's (0: a body without lay seats).
    Without the board's own codebook (``own_codebook`` false) no rank correlation is computed:
    another board's survey ranks say nothing of this board's attention. ``cues`` is the
    involvement lexicon the 4Pi ratings read (the bundled one when None)."""
    links = schemas.empty("uptake") if links is None else links
    times = schemas.empty("item_times") if times is None else times
    # One pass over the rows, not a frame per meeting: at a thousand meetings, pandas' cost per
    # call on thirty small frames a meeting was most of the stage.
    per_meeting = _meeting_rows(meetings, units, levels, links, times)
    meeting_measures = (
        schemas.conform(pd.DataFrame(per_meeting), "meeting_measures")
        if per_meeting
        else schemas.empty("meeting_measures")
    )
    dated = units.assign(year=pd.to_datetime(units["meeting_date"]).dt.year)
    years = sorted(int(y) for y in dated["year"].dropna().unique())
    attention = [row for y in [0, *years] for row in _attention_rows(dated, y, codebook)]
    theme_attention = (
        schemas.conform(pd.DataFrame(attention), "theme_attention")
        if attention
        else schemas.empty("theme_attention")
    )
    year_rows = []
    for y in years:
        year_units = dated[dated["year"] == y]
        year_meetings = meetings[meetings["year"] == y]
        ranked = theme_attention[theme_attention["year"] == y] if own_codebook else None
        row = {
            **_year_row(y, year_units, year_meetings, ranked),
            **_involvement(
                year_units,
                levels[levels["meeting_id"].isin(year_meetings["meeting_id"])],
                links,
                set(year_meetings["meeting_id"].astype(str)),
                with_ids=True,
            ),
        }
        lay_items = int(str(row["lay_items"]))
        row["level_3plus_share"] = (
            sum(int(str(row[f"level_{n}"])) for n in (3, 4, 5)) / lay_items if lay_items else np.nan
        )
        row["lay_seat_share"] = _seat_share(year_meetings)
        row["lay_seats"] = lay_seats
        row.update(
            time_shares(year_units, times[times["meeting_id"].isin(year_meetings["meeting_id"])])
        )
        of_year = meeting_measures[meeting_measures["meeting_id"].isin(year_meetings["meeting_id"])]
        timed = pd.to_numeric(of_year["timed_minutes"], errors="coerce").fillna(0)
        row["timed_meetings"] = int((timed > 0).sum())
        row.update(index.place(row).as_dict())
        # Counted once the thresholds have been tried on every year (index.with_stability).
        row["label_settings_tried"] = row["label_settings_same"] = 0
        year_rows.append(row)
    board_year = (
        schemas.conform(pd.DataFrame(year_rows), "board_year")
        if year_rows
        else schemas.empty("board_year")
    )
    sensitivity = index.sensitivity(board_year)
    board_year = index.with_stability(board_year, sensitivity)
    return Measures(
        meeting_measures,
        theme_attention,
        board_year,
        year_intervals(meeting_measures),
        sensitivity,
        alignment_table(theme_attention, board_year),
        four_pi(board_year, units, meetings, links, cues),
        period_table(board_year, meetings),
    )


@dataclass
class _Tally:
    """What one meeting's row counts, gathered row by row (see :func:`_meeting_rows`)."""

    n_units: int = 0
    n_words: int = 0
    focus_words: dict[str, float] = field(default_factory=dict)
    attributed: int = 0
    lay_ids: list[str] = field(default_factory=list)
    lay_items: set[str] = field(default_factory=set)
    items: set[str] = field(default_factory=set)
    scopes: dict[str, int] = field(default_factory=dict)
    item_focus: dict[str, dict[str, float]] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)
    outcomes: dict[str, str] = field(default_factory=dict)  # target id -> its scope
    levels: dict[int, int] = field(default_factory=dict)
    lay_item_rows: int = 0
    timed: list[float] = field(default_factory=list)
    timed_focus: dict[str, float] = field(default_factory=dict)


def _meeting_rows(
    meetings: pd.DataFrame,
    units: pd.DataFrame,
    levels: pd.DataFrame,
    links: pd.DataFrame,
    times: pd.DataFrame,
) -> list[dict[str, object]]:
    """One row of table meeting_measures per meeting: the figures :func:`_involvement` and
    :func:`time_shares` give a year, and the word shares, voice and outcome scopes, for each
    meeting alone."""
    tally: dict[str, _Tally] = {str(m): _Tally() for m in meetings["meeting_id"]}
    lay_roles = set(config.LAY_ROLES)
    columns = ("meeting_id", "segment_id", "item_no", "speaker_role", "focus", "outcome_scope")
    for meeting, segment, item, role, focus, scope, words in zip(
        *(units[c].astype(str).tolist() for c in columns),
        units["n_words"].astype(int).tolist(),
        strict=True,
    ):
        t = tally.setdefault(meeting, _Tally())
        t.n_units += 1
        t.n_words += words
        t.focus_words[focus] = t.focus_words.get(focus, 0.0) + words
        if role != "none":
            t.attributed += 1
        if role in lay_roles:
            t.lay_ids.append(segment)
            t.lay_items.add(item)
        if focus == "outcome":
            t.scopes[scope] = t.scopes.get(scope, 0) + 1
        if item != "":
            t.items.add(item)
            split = t.item_focus.setdefault(item, {})
            split[focus] = split.get(focus, 0.0) + words
    for made, contribution, reported, target, focus, scope in zip(
        *(
            links[c].astype(str).tolist()
            for c in (
                "contribution_meeting_id",
                "contribution_id",
                "target_meeting_id",
                "target_id",
                "target_focus",
                "target_scope",
            )
        ),
        strict=True,
    ):
        if made in tally:
            tally[made].taken.add(contribution)
        if focus == "outcome" and reported in tally:
            tally[reported].outcomes.setdefault(target, scope)
    for meeting, level in zip(
        levels["meeting_id"].astype(str), levels["level"].astype(int), strict=True
    ):
        t = tally.setdefault(meeting, _Tally())
        t.lay_item_rows += 1
        t.levels[level] = t.levels.get(level, 0) + 1
    timed = times[times["minutes"].notna()]
    for meeting, item, minutes in zip(
        timed["meeting_id"].astype(str), timed["item_no"].astype(str), timed["minutes"], strict=True
    ):
        t = tally.setdefault(meeting, _Tally())
        split = t.item_focus.get(item, {})
        item_words = sum(split.values())
        if item_words <= 0:
            continue
        t.timed.append(float(minutes))
        for f in config.FOCUS_LABELS:
            t.timed_focus[f] = (
                t.timed_focus.get(f, 0.0) + float(minutes) * split.get(f, 0.0) / item_words
            )
    return [_tally_row(m, tally[str(m.meeting_id)]) for m in meetings.itertuples(index=False)]


def _tally_row(meeting: Any, t: _Tally) -> dict[str, object]:
    lay = len(t.lay_ids)
    taken = len(set(t.lay_ids) & t.taken)
    total = sum(t.timed) if t.timed else 0.0
    return {
        "meeting_id": meeting.meeting_id,
        "meeting_date": meeting.meeting_date,
        "year": meeting.year,
        "n_units": t.n_units,
        "n_words": t.n_words,
        **{
            f"{f}_share": t.focus_words.get(f, 0.0) / t.n_words if t.n_words else 0.0
            for f in config.FOCUS_LABELS
        },
        "lay_present": meeting.lay_present,
        "lay_standard_met": meeting.lay_standard_met,
        "attributed_units": t.attributed,
        "lay_units": lay,
        "lay_voice_share": lay / t.attributed if t.attributed else np.nan,
        "outcomes_individual": t.scopes.get("individual", 0),
        "outcomes_collective": t.scopes.get("collective", 0),
        "lay_contributions": lay,
        "lay_taken_up": taken,
        "uptake_rate": taken / lay if lay else np.nan,
        "lay_linked_outcomes": len(t.outcomes),
        "lay_linked_outcomes_collective": sum(s == "collective" for s in t.outcomes.values()),
        "n_items": len(t.items),
        "items_with_lay_voice": len(t.lay_items),
        "lay_items": t.lay_item_rows,
        **{f"level_{n}": t.levels.get(n, 0) for n in range(1, 6)},
        "level_3plus": sum(t.levels.get(n, 0) for n in (3, 4, 5)),
        "timed_minutes": total if total else np.nan,
        **{
            f"{f}_time_share": t.timed_focus.get(f, 0.0) / total if total else np.nan
            for f in config.FOCUS_LABELS
        },
    }


def _involvement(
    units: pd.DataFrame,
    levels: pd.DataFrame,
    links: pd.DataFrame,
    meeting_ids: set[str],
    *,
    with_ids: bool = False,
) -> dict[str, object]:
    """Uptake, items with lay voice and the level distribution for a meeting or a year.

    Contributions count where they were made; linked outcomes where the outcome was reported.
    """
    lay = units[units["speaker_role"].isin(config.LAY_ROLES)]
    taken = links[links["contribution_meeting_id"].isin(meeting_ids)]
    taken_ids = sorted(set(taken["contribution_id"]) & set(lay["segment_id"]))
    outcomes = links[
        links["target_meeting_id"].isin(meeting_ids) & (links["target_focus"] == "outcome")
    ].drop_duplicates("target_id")
    collective = int((outcomes["target_scope"] == "collective").sum())
    counts = levels["level"].astype(int).value_counts()
    items = units.loc[units["item_no"] != "", ["meeting_id", "item_no"]].drop_duplicates()
    row: dict[str, object] = {
        "lay_contributions": len(lay),
        "lay_taken_up": len(taken_ids),
        "uptake_rate": len(taken_ids) / len(lay) if len(lay) else np.nan,
        "lay_linked_outcomes": len(outcomes),
        "lay_linked_outcomes_collective": collective,
        "n_items": len(items),
        "items_with_lay_voice": len(lay[["meeting_id", "item_no"]].drop_duplicates()),
        "lay_items": len(levels),
        **{f"level_{n}": int(counts.get(n, 0)) for n in range(1, 6)},
        "level_3plus": int(sum(counts.get(n, 0) for n in (3, 4, 5))),
    }
    if with_ids:
        row["lay_linked_collective_share"] = collective / len(outcomes) if len(outcomes) else np.nan
        row["lay_taken_up_ids"] = ";".join(taken_ids)
        row["lay_linked_outcome_ids"] = ";".join(sorted(outcomes["target_id"]))
    return row


def _seat_share(meetings: pd.DataFrame) -> float:
    """The lay share of the members present: the voice share parity would give (over the
    meetings whose attendance list was read; unknown without one)."""
    listed = meetings[meetings["has_attendance"].astype(bool)]
    members = float(listed["members_present"].astype(float).mean()) if len(listed) else 0.0
    return float(listed["lay_present"].astype(float).mean()) / members if members > 0 else np.nan


def _shares(units: pd.DataFrame) -> dict[str, float]:
    total = int(units["n_words"].sum())
    return {
        f"{f}_share": (
            float(units.loc[units["focus"] == f, "n_words"].sum()) / total if total else 0.0
        )
        for f in config.FOCUS_LABELS
    }


def _voice(units: pd.DataFrame) -> tuple[int, int, float]:
    attributed = units[units["speaker_role"] != "none"]
    lay = attributed[attributed["speaker_role"].isin(config.LAY_ROLES)]
    share = len(lay) / len(attributed) if len(attributed) else np.nan
    return len(attributed), len(lay), share


def _attention_rows(units: pd.DataFrame, year: int, codebook: Codebook) -> list[dict[str, object]]:
    scope = units if year == 0 else units[units["year"] == year]
    total = int(scope["n_words"].sum())
    words = scope.groupby("theme")["n_words"].sum()
    counts = scope.groupby("theme").size()
    rows = []
    for t in codebook.themes:
        rows.append(
            {
                "year": year,
                "theme": t.id,
                "label": t.label,
                "priority_rank": t.priority_rank,
                "survey_share": t.survey_share,
                "n_units": int(counts.get(t.id, 0)),
                "n_words": int(words.get(t.id, 0)),
                "word_share": float(words.get(t.id, 0)) / total if total else 0.0,
            }
        )
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame["attention_rank"] = frame["n_words"].rank(method="average", ascending=False)
        frame["little_attention"] = _little_attention(frame)
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _little_attention(frame: pd.DataFrame) -> pd.Series:
    """Survey priorities given less than a fraction of an even share of the survey priorities'
    words; when they got no words at all, every one of them."""
    survey = frame["theme"] != config.OTHER_THEME
    total = float(frame.loc[survey, "n_words"].sum())
    even = total / int(survey.sum()) if survey.any() else 0.0
    little = frame["n_words"].astype(float) < config.LITTLE_ATTENTION_FRACTION * even
    return survey & (little | (total <= 0))


def _year_row(
    year: int, units: pd.DataFrame, meetings: pd.DataFrame, attention: pd.DataFrame | None
) -> dict[str, object]:
    attributed, lay, share = _voice(units)
    outcomes = units[units["focus"] == "outcome"]
    individual = int((outcomes["outcome_scope"] == "individual").sum())
    collective = int((outcomes["outcome_scope"] == "collective").sum())
    rho, p = _alignment(attention) if attention is not None else (np.nan, np.nan)
    # Presence rests on the meetings whose list was read; the others are unknown, not zero.
    listed = meetings[meetings["has_attendance"].astype(bool)]
    lay_present = listed["lay_present"].astype(float)
    return {
        "year": year,
        "n_meetings": len(meetings),
        "n_units": len(units),
        "n_words": int(units["n_words"].sum()),
        **_shares(units),
        "meetings_with_attendance": len(listed),
        "mean_lay_present": float(lay_present.mean()) if len(listed) else np.nan,
        "meetings_standard_met": int(listed["lay_standard_met"].astype(bool).sum()),
        "share_meetings_standard_met": (
            float(listed["lay_standard_met"].astype(bool).mean()) if len(listed) else np.nan
        ),
        "meetings_single_lay": int((lay_present == 1).sum()),
        "attributed_units": attributed,
        "lay_units": lay,
        "lay_voice_share": share,
        "outcome_units": len(outcomes),
        "outcomes_individual": individual,
        "outcomes_collective": collective,
        "collective_outcome_share": collective / len(outcomes) if len(outcomes) else np.nan,
        "alignment_rho": rho,
        "alignment_p": p,
        "outcome_segment_ids": ";".join(outcomes["segment_id"]),
        "lay_segment_ids": ";".join(
            units.loc[units["speaker_role"].isin(config.LAY_ROLES), "segment_id"]
        ),
    }


def _alignment(attention: pd.DataFrame) -> tuple[float, float]:
    """Spearman's rho of survey rank against attention rank; NaN when it cannot be computed."""
    if len(attention) < 3 or attention["n_words"].nunique() < 2:
        return np.nan, np.nan
    result = spearmanr(attention["priority_rank"], attention["attention_rank"])
    return float(result.statistic), float(result.pvalue)


# --------------------------------------------------------------------------- period table
_SUMMED = (
    "meetings_single_lay",
    "n_units",
    "attributed_units",
    "lay_units",
    "outcome_units",
    "outcomes_individual",
    "outcomes_collective",
)


def period_table(board_year: pd.DataFrame, meetings: pd.DataFrame) -> pd.DataFrame:
    """Table period: the whole period's totals the report's findings state, one row."""
    totals = {c: int(board_year[c].sum()) for c in _SUMMED}
    attributed = totals["attributed_units"]
    row = {
        "n_meetings": len(meetings),
        "meetings_without_attendance": int((~meetings["has_attendance"].astype(bool)).sum()),
        **totals,
        "lay_voice_share": totals["lay_units"] / attributed if attributed else np.nan,
    }
    return schemas.conform(pd.DataFrame([row]), "period")


# --------------------------------------------------------------------------- alignment table
def alignment_table(theme_attention: pd.DataFrame, board_year: pd.DataFrame) -> pd.DataFrame:
    """Table alignment: the rho the report shows, for the whole period (year 0) and each year.

    A year's figure is board_year's; where that is missing (no codebook of the board's own, too
    few themes) it is computed from the year's points, which the year's scatter chart shows. The
    whole period's is the one year's figure when there is one year, else from the all-years
    points, which the report's scatter chart shows.
    """
    rows = [_period_alignment(theme_attention, board_year)]
    for y in sorted(int(y) for y in board_year["year"].dropna()):
        year_row = board_year[board_year["year"] == y].iloc[0]
        points = theme_attention[theme_attention["year"] == y]
        rows.append({"year": y, **_points_alignment(points, year_row)})
    return schemas.conform(pd.DataFrame(rows), "alignment")


def _period_alignment(theme_attention: pd.DataFrame, board_year: pd.DataFrame) -> dict[str, Any]:
    points = theme_attention[theme_attention["year"] == 0]
    years = sorted(set(theme_attention["year"].dropna().astype(int)) - {0})
    if points.empty and len(years) == 1:
        points = theme_attention[theme_attention["year"] == years[0]]
    year_row = board_year.iloc[0] if len(board_year) == 1 else None
    return {"year": 0, **_points_alignment(points, year_row)}


def _points_alignment(points: pd.DataFrame, year_row: pd.Series | None) -> dict[str, Any]:
    """rho and p of ``year_row`` (board_year) where it has them, else from the points."""
    points = points[points["theme"] != config.OTHER_THEME]
    if year_row is not None and pd.notna(year_row["alignment_rho"]):
        rho = float(year_row["alignment_rho"])
        p = float(year_row["alignment_p"]) if pd.notna(year_row["alignment_p"]) else np.nan
    else:
        rho, p = _spearman(points["priority_rank"], points["attention_rank"])
    return {"alignment_rho": rho, "alignment_p": p, "n_themes": len(points)}


def _spearman(x: pd.Series, y: pd.Series) -> tuple[float, float]:
    """rho and its p-value, or NaN when fewer than three themes or no variation make it empty."""
    pairs = pd.DataFrame({"x": x.astype("float64"), "y": y.astype("float64")}).dropna()
    if len(pairs) < 3 or pairs["x"].nunique() < 2 or pairs["y"].nunique() < 2:
        return np.nan, np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = spearmanr(pairs["x"], pairs["y"])
    return float(result.statistic), float(result.pvalue)
