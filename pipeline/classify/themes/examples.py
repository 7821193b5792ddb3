"""Coding with examples: learn the themes from units a person has already coded.

When a researcher has hand-coded some units (a gold file in the format ``involve validate``
reads, or a REFI-QDA project), the coder learns from them instead of relying on the codebook's
words alone, and says how well it learned before it codes the rest:

1. The example rows are joined to the units exactly as ``involve validate`` joins gold rows
   (``pipeline.evaluate.validate``: by the unit key of the original words, then a fuzzy fallback
   within the same document), so an example means the same unit in both commands.
2. Features per unit: its embedding (item title in front, as the zero-example coder reads it),
   its seed evidence per theme, and the zero-example coder's probabilities. The last two carry
   the codebook into the model, so a theme with few examples still has its seeds and definition
   behind it.
3. ``ExampleThemes``, a multinomial logistic regression with balanced class weights (a theme
   with eight examples counts as much as one with eighty), is fitted on the examples.
4. Agreement is estimated by stratified k-fold cross-validation over the examples: five folds,
   fewer when the rarest label has fewer than five examples. Each fold's model codes every
   unit and its probabilities are averaged with the agenda item's, as in the final coding; only
   the held-out examples are scored. Kappa and macro-F1 over all held-out predictions are
   reported.
5. The model fitted on all examples codes the units that are not examples. Examples keep their
   human label. ``theme_source`` says which: ``human``, ``trained`` or ``zero-shot``.

``ExampleThemes`` follows the scikit-learn estimator contract (parameters stored in
``__init__``, ``fit`` returns ``self``, learned state ends in ``_``, ``predict_proba`` in
``classes_`` order) with a fixed ``random_state`` (``config.SEED``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import cohen_kappa_score, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from pipeline.classify.themes import ZeroShot, item_context, zero_shot
from pipeline.core import config
from pipeline.core.embed import Embedder
from pipeline.core.errors import GoldFileError
from pipeline.inputs.codebook import Codebook

MAX_FOLDS = 5
MIN_EXAMPLES_PER_LABEL = 2  # fewer and a label cannot be both learned from and held out

SOURCE_HUMAN = "human"
SOURCE_TRAINED = "trained"
SOURCE_ZERO_SHOT = "zero-shot"


class ExampleThemes(ClassifierMixin, BaseEstimator):
    """Multinomial logistic regression over standardised features, balanced class weights."""

    def __init__(self, C: float = 0.1, random_state: int = config.SEED) -> None:
        self.C = C
        self.random_state = random_state

    def fit(self, X: Any, y: Any) -> ExampleThemes:
        # scikit-learn's own checks: a 2-D finite numeric X, one label per row (sets
        # n_features_in_); parametrize_with_checks holds the class to them
        # (tests/classify/test_estimators).
        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError(
                "examples of at least 2 classes (labels) are needed to learn from; got 1 class "
                f"({self.classes_[0]})."
            )
        self.pipeline_ = Pipeline(
            [
                ("scale", StandardScaler()),
                (
                    "logistic",
                    LogisticRegression(
                        C=self.C,
                        class_weight="balanced",
                        max_iter=3000,
                        random_state=self.random_state,
                    ),
                ),
            ]
        ).fit(X, y)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return np.asarray(self.pipeline_.predict_proba(X))

    def predict(self, X: Any) -> np.ndarray:
        proba = self.predict_proba(X)  # first: it says when the model is not fitted
        return np.asarray(self.classes_[proba.argmax(axis=1)])


@dataclass
class ExampleCoding:
    """The coded units and what cross-validation over the examples said."""

    units: pd.DataFrame  # the input units with theme, theme_score, theme_source
    cv: dict[str, Any] = field(default_factory=dict)

    def to_text(self) -> str:
        """Two or three lines for the terminal."""
        cv = self.cv
        lines = [
            f"Examples: {cv['n_examples']} coded units matched of {cv['n_rows']} rows "
            f"({cv['n_unmatched']} unmatched), {len(cv['labels'])} labels."
        ]
        if cv.get("folds"):
            lines.append(
                f"Cross-validated agreement ({cv['folds']}-fold, stratified): "
                f"kappa {cv['kappa']:.3f}, macro-F1 {cv['macro_f1']:.3f}, "
                f"accuracy {cv['accuracy']:.3f}."
            )
        else:
            lines.append(f"No cross-validation: {cv['note']}")
        lines.append(
            f"Coded {cv['n_trained']} further units with the trained model; "
            f"{cv['n_examples']} keep their human label."
        )
        return "\n".join(lines)


def match_examples(
    units: pd.DataFrame, examples: pd.DataFrame, origin: str, codebook: Codebook
) -> tuple[dict[int, str], int]:
    """Human theme per unit position, and how many example rows found no unit.

    Rows without a theme are skipped; a theme that is neither a codebook id nor ``other`` is an
    error naming the row, since it would otherwise be learned as a label no one can read.
    """
    # The same join as `involve validate`, so rows mean the same.
    from pipeline.evaluate.matching import match_gold, tidy_headers

    frame = tidy_headers(examples)
    if "text" not in frame.columns or "theme" not in frame.columns:
        found = ", ".join(map(str, frame.columns)) or "none"
        raise GoldFileError(
            f"{origin}: an examples file needs 'text' and 'theme' columns (and optionally "
            f"'source'). Columns found: {found}."
        )
    allowed = {*codebook.ids, config.OTHER_THEME}
    themed = frame[[str(t).strip() != "" for t in frame["theme"]]].reset_index(drop=True)
    for i, label in enumerate(themed["theme"]):
        if str(label).strip() not in allowed:
            raise GoldFileError(
                f"{origin}: theme '{label}' (example {i + 1}) is not in the codebook "
                f"'{codebook.name}'. Allowed: {', '.join(sorted(allowed))}."
            )
    pairs, unmatched, _ = match_gold(units.reset_index(drop=True), themed)
    labels = {s: str(themed["theme"][g]).strip() for g, s in pairs}
    return labels, len(unmatched)


def features(zs: ZeroShot) -> np.ndarray:
    """Embedding, log seed evidence and zero-example probabilities, side by side."""
    return np.hstack([zs.vectors, np.log1p(zs.evidence), zs.proba])


def code_with_examples(
    units: pd.DataFrame,
    codebook: Codebook,
    embedder: Embedder,
    examples: pd.DataFrame,
    origin: str,
) -> ExampleCoding:
    """Code the units, learning from the human-coded ``examples`` (see the module docstring)."""
    labels_at, n_unmatched = match_examples(units, examples, origin, codebook)
    counts = pd.Series(list(labels_at.values()), dtype=str).value_counts()
    if len(counts) < 2:
        raise GoldFileError(
            f"{origin}: {len(labels_at)} example rows matched units, with "
            f"{len(counts)} theme(s); examples of at least two themes are needed."
        )
    units = units.reset_index(drop=True)
    zs = zero_shot(units, codebook, embedder)
    X = features(zs)
    rows = np.array(sorted(labels_at))
    y = np.array([labels_at[r] for r in rows])

    cv: dict[str, Any] = {
        "origin": origin,
        "n_rows": len(examples),
        "n_examples": len(rows),
        "n_unmatched": int(n_unmatched),
        "labels": {str(k): int(v) for k, v in counts.sort_index().items()},
        "model": "ExampleThemes (logistic regression on embedding, seed evidence and "
        "zero-example probabilities; balanced class weights)",
        "seed": config.SEED,
    }
    cv.update(cross_validate(X, y, rows, zs))

    model = ExampleThemes().fit(X[rows], y)
    proba = item_context(model.predict_proba(X), zs.context, zs.procedural)
    classes = list(model.classes_)
    out = units.copy()
    best = proba.argmax(axis=1)
    out["theme"] = [classes[b] for b in best]
    out["theme_score"] = [round(float(p[b]), 3) for p, b in zip(proba, best, strict=True)]
    out["theme_source"] = SOURCE_TRAINED
    out.loc[rows, "theme"] = y
    out.loc[rows, "theme_score"] = 1.0
    out.loc[rows, "theme_source"] = SOURCE_HUMAN
    cv["n_trained"] = int(len(units) - len(rows))
    return ExampleCoding(out, cv)


def n_folds(y: np.ndarray) -> int:
    """MAX_FOLDS, fewer when the rarest label has fewer examples (0: too few to validate)."""
    rarest = int(pd.Series(y).value_counts().min())
    return min(MAX_FOLDS, rarest) if rarest >= MIN_EXAMPLES_PER_LABEL else 0


def cross_validate(X: np.ndarray, y: np.ndarray, rows: np.ndarray, zs: ZeroShot) -> dict[str, Any]:
    """Stratified k-fold agreement over the examples (``rows`` of ``X``, labels ``y``)."""
    k = n_folds(y)
    if k < 2:
        return {
            "folds": 0,
            "note": f"a label has fewer than {MIN_EXAMPLES_PER_LABEL} examples.",
        }
    predicted = np.empty(len(y), dtype=object)
    folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=config.SEED)
    for train, test in folds.split(rows, y):
        model = ExampleThemes().fit(X[rows[train]], y[train])
        proba = item_context(model.predict_proba(X), zs.context, zs.procedural)
        predicted[test] = model.classes_[proba[rows[test]].argmax(axis=1)]
    pred = predicted.astype(str)
    return {
        "folds": k,
        "kappa": round(float(cohen_kappa_score(y, pred)), 4),
        "macro_f1": round(float(f1_score(y, pred, average="macro", zero_division=0)), 4),
        "accuracy": round(float(np.mean(pred == y)), 4),
    }
