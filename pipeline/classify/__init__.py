"""Classify: focus and outcome scope per unit, involvement level per agenda item."""

from __future__ import annotations

import re

import pandas as pd

from pipeline import config
from pipeline.classify.focus import focus_of
from pipeline.classify.scope import scope_of

__all__ = ["classify"]

# Observable cues for the five levels of the coding manual, strongest first.
_LEAD = re.compile(
    r"\b(?:presented|introduced|led|chaired|gave a presentation|took the board)\b", re.I
)
_DECIDE = re.compile(r"\b(?:proposed|seconded|moved|amend\w*)\b", re.I)
_SHARED = re.compile(
    r"\b(?:working group|task and finish|co-?produc\w*|co-?led|jointly|"
    r"together with)\b",
    re.I,
)
_CONSULTED = re.compile(
    r"\b(?:views|feedback|comments|opinions?)\s+(?:were|was|had been)\s+"
    r"(?:sought|invited|asked|requested)\b|\binvited\s+\w+\s+(?:views|comments)",
    re.I,
)


def classify(units: pd.DataFrame) -> pd.DataFrame:
    """Add focus, focus_score, outcome_scope and level to coded units."""
    out = units.copy()
    focus = [focus_of(t, a) for t, a in zip(out["text"], out["is_action"], strict=True)]
    out["focus"] = [f for f, _ in focus]
    out["focus_score"] = [s for _, s in focus]
    out["outcome_scope"] = [
        scope_of(t)[0] if f == "outcome" else ""
        for t, f in zip(out["text"], out["focus"], strict=True)
    ]
    out["level"] = _levels(out)
    return out


def _levels(units: pd.DataFrame) -> pd.Series:
    """Involvement level 1-5 for items where a lay member takes part; missing elsewhere."""
    levels = pd.Series(pd.NA, index=units.index, dtype="Int64")
    for _, item in units.groupby(["meeting_id", "item_no"], sort=False):
        lay = item[item["speaker_role"].isin(config.LAY_ROLES)]
        if lay.empty:
            continue
        lay_text = " ".join(lay["text"])
        item_text = " ".join(item["text"])
        if _LEAD.search(lay_text):
            level = 5
        elif _DECIDE.search(lay_text):
            level = 4
        elif _SHARED.search(item_text):
            level = 3
        elif _CONSULTED.search(item_text):
            level = 1
        else:
            level = 2
        levels.loc[item.index] = level
    return levels
