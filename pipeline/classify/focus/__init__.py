"""Classify: focus and outcome scope per unit (involvement levels: pipeline.involvement.levels)."""

from __future__ import annotations

import pandas as pd

from pipeline.classify.focus import shipped
from pipeline.classify.focus.cues import CONTEXTS, Cues, load_cues
from pipeline.classify.focus.features import read_unit, rule_features
from pipeline.classify.focus.model import FocusModel, labelled_scores
from pipeline.classify.focus.scope import scopes
from pipeline.classify.focus.selftrain import refine
from pipeline.classify.focus.tense import docs
from pipeline.core.textcache import Store

__all__ = ["classify", "focus_decisions", "model_decisions"]


def classify(
    units: pd.DataFrame,
    cues: Cues | None = None,
    *,
    model: bool = True,
    cache: Store | None = None,
) -> pd.DataFrame:
    """Add focus, focus_score and outcome_scope to coded units.

    Focus comes from the shipped focus model (:mod:`pipeline.classify.focus.shipped`) over the
    rules' evidence and the layout, its probability as ``focus_score``; with ``model=False``, or
    when no usable model is installed, from the cue rules and self-training alone. With a
    ``cache``, each unit's feature row for the model is kept between runs
    (:func:`pipeline.classify.focus.features.rule_features`); the model is applied to every unit.
    """
    cues = cues or load_cues()
    out = units.copy()
    fitted = shipped.load() if model else None
    if fitted is not None and len(out):
        focus, score = model_decisions(out, cues, fitted, cache)
    else:
        focus, score = focus_decisions(out, cues)
    out["focus"] = focus
    out["focus_score"] = score
    outcomes = [i for i, f in enumerate(out["focus"]) if f == "outcome"]
    scoped = scopes([str(out["text"].iloc[i]) for i in outcomes], cues, cache)
    scope = [""] * len(out)
    for i, (side, _) in zip(outcomes, scoped, strict=True):
        scope[i] = side
    out["outcome_scope"] = scope
    return out


def model_decisions(
    units: pd.DataFrame, cues: Cues, fitted: FocusModel, cache: Store | None = None
) -> tuple[list[str], list[float]]:
    """Each unit's focus (the rules, and the layout of action tables) and the fitted focus
    model's calibrated probability of it (:func:`pipeline.classify.focus.model.labelled_scores`)."""
    labels, scores = labelled_scores(fitted, rule_features(units, cues, cache))
    return [str(label) for label in labels], [round(float(s), 3) for s in scores]


def focus_decisions(
    units: pd.DataFrame, cues: Cues, *, self_train: bool = True
) -> tuple[list[str], list[float]]:
    """Each unit's focus and its confidence: the rules per sentence, then self-training."""
    texts = [str(t).replace("\n", " ") for t in units["text"]]
    titles = units["item_title"] if "item_title" in units.columns else [""] * len(units)
    decisions, features = [], []
    for doc, is_action, title in zip(docs(texts), units["is_action"], titles, strict=True):
        d, context, tense = read_unit(list(doc.sents), str(title or ""), bool(is_action), cues)
        decisions.append(d)
        flags = [float(k in context) for k in CONTEXTS]
        features.append([d.commitment, d.result, float(d.process_cue), *flags, *tense])
    labels = [d.label for d in decisions]
    scores = [d.score for d in decisions]
    if not self_train:
        return labels, scores
    return refine(texts, features, labels, scores)
