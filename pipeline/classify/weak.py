"""Weak labels for the focus model: the cue rules and the layout, as labelling functions.

Each function votes a label or abstains. The rules vote their label when sure (their score at
least ``SURE``); two layout conventions of action tables vote "action": a unit that opens on an
owner and a dash or colon ("Member 5 - Toilet block"), and a unit under a column or item headed
by a person or "Who"/"Action" (unless the rules call it an outcome). Nothing here is fitted to
hand coding; the votes label all the unlabelled text there is, so a body's own wording and
layout reach the model even when no other body writes that way.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from pipeline import config
from pipeline.classify.features import NAMES

SURE: Final = 0.75


def rule_labels(features: np.ndarray) -> np.ndarray:
    """The rules' label per unit, read back from the one-hot columns of the features."""
    cols = [NAMES.index(f"rule_{label}") for label in config.FOCUS_LABELS]
    return np.asarray(config.FOCUS_LABELS)[np.argmax(features[:, cols], axis=1)]


def weak_labels(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the units some labelling function votes for, and the label voted."""
    rules = rule_labels(features)
    sure = features[:, NAMES.index("rule_score")] >= SURE
    owner_first = features[:, NAMES.index("owner_first")] > 0
    under_owner = (features[:, NAMES.index("title_owner")] > 0) & (rules != "outcome")
    action = owner_first | under_owner
    labels = np.where(action, "action", rules)
    index = np.flatnonzero(action | sure)
    return index, labels[index]
