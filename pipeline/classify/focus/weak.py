"""Weak labels for the focus model: the cue rules and the layout, as labelling functions.

Each function votes a label or abstains. The rules vote their label when sure (their score at
least ``SURE``); the layout of an action table votes "action" for a unit that opens on an
owner and a dash or colon ("Member 5 - Toilet block"). Nothing here is fitted to hand coding;
the votes label all the unlabelled text there is, so a body's own wording and layout reach the
model even when no other body writes that way.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from pipeline.classify.focus.features import NAMES
from pipeline.core import config

SURE: Final = 0.75


def rule_labels(features: np.ndarray) -> np.ndarray:
    """The rules' label per unit, read back from the one-hot columns of the features."""
    cols = [NAMES.index(f"rule_{label}") for label in config.FOCUS_LABELS]
    return np.asarray(config.FOCUS_LABELS)[np.argmax(features[:, cols], axis=1)]


def weak_labels(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the units some labelling function votes for, and the label voted."""
    sure = features[:, NAMES.index("rule_score")] >= SURE
    action = layout_action(features)
    labels = vote(features)
    index = np.flatnonzero(action | sure)
    return index, labels[index]


def layout_action(features: np.ndarray) -> np.ndarray:
    """Units the action-table layout votes "action" for: an owner, then a dash or colon.

    A vote for units under a column or item headed by a person or "Who" was tried too; it
    lowered agreement on two bodies other than the one it was drawn from (docs/focus.md), so
    it is only a feature the model weighs.
    """
    return np.asarray(features[:, NAMES.index("owner_first")] > 0)


def vote(features: np.ndarray) -> np.ndarray:
    """The labelling functions' decision per unit: the rules' label, unless the layout says
    "action"."""
    return np.where(layout_action(features), "action", rule_labels(features))
