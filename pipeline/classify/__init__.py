"""Classify: focus and outcome scope per unit (involvement levels: pipeline.levels)."""

from __future__ import annotations

import pandas as pd

from pipeline.classify.cues import CONTEXTS, Cues, load_cues
from pipeline.classify.focus import decide, item_context
from pipeline.classify.scope import scope_of
from pipeline.classify.selftrain import refine
from pipeline.classify.tense import FEATURES, docs, form

__all__ = ["classify", "focus_decisions"]


def classify(units: pd.DataFrame, cues: Cues | None = None) -> pd.DataFrame:
    """Add focus, focus_score and outcome_scope to coded units."""
    cues = cues or load_cues()
    out = units.copy()
    focus, score = focus_decisions(out, cues)
    out["focus"] = focus
    out["focus_score"] = score
    out["outcome_scope"] = [
        scope_of(t, cues)[0] if f == "outcome" else ""
        for t, f in zip(out["text"], out["focus"], strict=True)
    ]
    return out


def focus_decisions(
    units: pd.DataFrame, cues: Cues, *, self_train: bool = True
) -> tuple[list[str], list[float]]:
    """Each unit's focus and its confidence: the rules per sentence, then self-training."""
    texts = [str(t).replace("\n", " ") for t in units["text"]]
    titles = units["item_title"] if "item_title" in units.columns else [""] * len(units)
    decisions, features = [], []
    for doc, is_action, title in zip(docs(texts), units["is_action"], titles, strict=True):
        sents = list(doc.sents)
        forms = [form(s, cues.actor_words, cues.not_commitment_verbs) for s in sents]
        context = item_context(str(title or ""), cues)
        d = decide([s.text for s in sents], forms, cues, is_action=bool(is_action), context=context)
        decisions.append(d)
        tense = [max((f.vector()[k] for f in forms), default=0.0) for k in range(len(FEATURES))]
        flags = [float(k in context) for k in CONTEXTS]
        features.append([d.commitment, d.result, float(d.process_cue), *flags, *tense])
    labels = [d.label for d in decisions]
    scores = [d.score for d in decisions]
    if not self_train:
        return labels, scores
    fixed = [bool(a) for a in units["is_action"]]
    return refine(texts, features, labels, scores, fixed)
