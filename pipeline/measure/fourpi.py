"""The NIP 4Pi involvement standards, rated per year from what the minutes record (table four_pi).

The 4Pi standards (National Involvement Partnership, revised 2015) ask five things of involvement:
Principles (listening that leads to change), Purpose (a recorded reason for involving people),
Presence (at least two, ideally three, service users or carers at any meeting), Process
(papers, support, payment planned in advance) and Impact (a difference that can be shown).

Minutes can only show part of this. Each standard is rated from the year's board_year row, units
and uptake links: *met* when the evidence covers what the standard asks, *partial* when it covers
some of it, and *not evidenced* when the minutes are silent, which is not the same as the
standard being broken. The units behind each rating are listed so a reader can check it; the
annual report (pipeline/report/checklist.py) words the table. The phrases that evidence Purpose
and Process are in the editable lexicon ``themes/involvement-cues.yaml``, section ``four_pi``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
import pandas as pd

from pipeline.core import config, schemas
from pipeline.inputs.involvement_cues import FourPiCues, InvolvementCues, load_involvement_cues

MET, PARTIAL, NOT_EVIDENCED = config.FOUR_PI_RATINGS

# A standard is met on uptake when at least this share of lay contributions is acted on: half is
# the point at which a lay member can expect more often than not that what they say leads somewhere.
UPTAKE_MET: Final = 0.5
# Purpose is shown by the board discussing why it involves people, at this many meetings or more.
PURPOSE_MEETINGS_MET: Final = 2

Rating = dict[str, object]


def four_pi(
    board_year: pd.DataFrame,
    units: pd.DataFrame,
    meetings: pd.DataFrame,
    links: pd.DataFrame | None,
    cues: InvolvementCues | None = None,
) -> pd.DataFrame:
    """Table four_pi: the five standards for each year of board_year. ``links`` (table uptake)
    is None when uptake was not measured; ``cues`` is the involvement lexicon (the bundled one
    when None)."""
    phrases = (cues or load_involvement_cues()).four_pi
    rows: list[Rating] = []
    for row in board_year.to_dict("records"):
        year = int(row["year"])
        ids = set(meetings.loc[meetings["year"] == year, "meeting_id"].astype(str))
        segments = units[units["meeting_id"].astype(str).isin(ids)]
        uptake = (
            None if links is None else links[links["contribution_meeting_id"].astype(str).isin(ids)]
        )
        year_row = {str(k): v for k, v in row.items()}
        for rated in rate_year(year_row, segments, uptake, phrases):
            rows.append({"year": year, **rated})
    if not rows:
        return schemas.empty("four_pi")
    return schemas.conform(pd.DataFrame(rows), "four_pi")


def rate_year(
    year_row: Mapping[str, object],
    segments: pd.DataFrame,
    uptake: pd.DataFrame | None,
    cues: FourPiCues | None = None,
) -> list[Rating]:
    """The five standards of one year, from its board_year row, its units and its uptake links."""
    cues = cues or load_involvement_cues().four_pi
    return [
        principles(year_row, segments, uptake),
        purpose(segments, cues),
        presence(year_row),
        process(segments, cues),
        impact(year_row, segments, uptake),
    ]


def principles(
    year_row: Mapping[str, object], segments: pd.DataFrame, uptake: pd.DataFrame | None
) -> Rating:
    """Listening that leads to change is what the minutes can show: contributions taken up."""
    lay = segments[segments["speaker_role"].isin(config.LAY_ROLES)]
    if uptake is None or not _has(year_row, "uptake_rate"):
        rating = PARTIAL if len(lay) else NOT_EVIDENCED
        return _rated("Principles", rating, False, _ids(lay), n_units=len(lay))
    rate = _float(year_row.get("uptake_rate"))
    taken = _int(year_row.get("lay_taken_up"))
    if taken == 0 or not np.isfinite(rate):
        rating = NOT_EVIDENCED
    else:
        rating = MET if rate >= UPTAKE_MET else PARTIAL
    ids = [str(i) for i in uptake["contribution_id"].astype(str).unique()]
    return _rated("Principles", rating, True, ids, n_units=len(lay))


def purpose(segments: pd.DataFrame, cues: FourPiCues) -> Rating:
    """A board that records why it involves people discusses it: strategy, terms, roles."""
    hits = _matching(segments, cues.purpose)
    meetings = hits["meeting_id"].nunique() if len(hits) else 0
    if meetings >= PURPOSE_MEETINGS_MET:
        rating = MET
    elif meetings:
        rating = PARTIAL
    else:
        rating = NOT_EVIDENCED
    # Which of the lexicon's phrases the board used, in the lexicon's order, for the report to
    # name: a user's edited lexicon is reported in its own words.
    texts = hits["text"].astype(str).str.lower() if len(hits) else pd.Series(dtype=str)
    found = [c for c in cues.purpose if texts.str.contains(_phrase(c)).any()]
    return _rated(
        "Purpose",
        rating,
        True,
        _ids(hits),
        n_units=len(hits),
        n_meetings=meetings,
        aspects=found,
    )


def presence(year_row: Mapping[str, object]) -> Rating:
    """Straight from the attendance lists: the one standard minutes record in full."""
    held = _int(year_row.get("n_meetings"))
    met = _int(year_row.get("meetings_standard_met"))
    if held == 0:
        rating = NOT_EVIDENCED
    elif met == held:
        rating = MET
    elif met:
        rating = PARTIAL
    else:
        rating = NOT_EVIDENCED
    return _rated("Presence", rating, True, [], n_meetings=held)


def process(segments: pd.DataFrame, cues: FourPiCues) -> Rating:
    """The aspects of a well-run process (three in the bundled lexicon: communication, support
    and training, payment); each the minutes mention counts once."""
    found: list[str] = []
    hits_all = segments.iloc[0:0]
    for aspect, phrases in cues.process.items():
        hits = _matching(segments, phrases)
        if len(hits):
            found.append(aspect)
            hits_all = pd.concat([hits_all, hits])
    hits_all = hits_all.drop_duplicates("segment_id")
    if len(found) == len(cues.process):
        rating = MET
    elif found:
        rating = PARTIAL
    else:
        rating = NOT_EVIDENCED
    missing = [a for a in cues.process if a not in found]
    return _rated(
        "Process",
        rating,
        True,
        _ids(hits_all),
        n_units=len(hits_all),
        aspects=found,
        missing=missing,
    )


def impact(
    year_row: Mapping[str, object], segments: pd.DataFrame, uptake: pd.DataFrame | None
) -> Rating:
    """A difference traced to lay contributions, best of all one that reaches everyone."""
    if not _has(year_row, "lay_linked_outcomes"):
        outcomes = segments[segments["focus"] == "outcome"]
        rating = PARTIAL if len(outcomes) else NOT_EVIDENCED
        return _rated("Impact", rating, False, _ids(outcomes), n_units=len(outcomes))
    linked = _int(year_row.get("lay_linked_outcomes"))
    collective = _int(year_row.get("lay_linked_outcomes_collective"))
    if collective:
        rating = MET
    elif linked:
        rating = PARTIAL
    else:
        rating = NOT_EVIDENCED
    ids: list[str] = []
    if uptake is not None and len(uptake):
        outcome_ids = set(segments.loc[segments["focus"] == "outcome", "segment_id"].astype(str))
        ids = [t for t in uptake["target_id"].astype(str).unique() if t in outcome_ids]
    return _rated("Impact", rating, True, ids, n_units=len(ids))


# --------------------------------------------------------------------------- helpers
def _rated(
    standard: str,
    rating: str,
    measured: bool,
    ids: Sequence[str],
    *,
    n_units: int = 0,
    n_meetings: int = 0,
    aspects: Sequence[str] = (),
    missing: Sequence[str] = (),
) -> Rating:
    return {
        "standard": standard,
        "rating": rating,
        "measured": measured,
        "n_units": n_units,
        "n_meetings": n_meetings,
        "aspects_found": ";".join(aspects),
        "aspects_missing": ";".join(missing),
        "evidence_segment_ids": ";".join(ids),
    }


def _has(row: Mapping[str, object], column: str) -> bool:
    return column in row and np.isfinite(_float(row.get(column)))


def _float(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")


def _int(value: object) -> int:
    number = _float(value)
    return int(number) if np.isfinite(number) else 0


def _phrase(cue: str) -> re.Pattern[str]:
    return re.compile(r"\b" + re.escape(cue) + r"\b")


def _matching(segments: pd.DataFrame, cues: Sequence[str]) -> pd.DataFrame:
    if segments.empty:
        return segments
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\b")
    mask = segments["text"].astype(str).str.lower().str.contains(pattern)
    return segments[mask]


def _ids(rows: pd.DataFrame) -> list[str]:
    return [str(i) for i in rows["segment_id"]] if "segment_id" in rows else []
