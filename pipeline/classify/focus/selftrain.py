"""Self-training: learn a board's own wording from the units the rules are sure of.

The rules see cues; a board has its own phrasing for results and commitments that no lexicon
lists. The estimator is fitted to the units whose rule label is confident, with features the
rules cannot weigh together (word and word-pair counts, the rules' commitment and result
strengths, the sentences' tense and modality, the agenda item's kind), and its calibrated
probabilities become ``focus_score``. Measured on the gold files, letting the model relabel the
units the rules are unsure of lowered agreement (docs/focus.md), so the rules' label stands and
the model supplies the calibrated score.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from pipeline.core import config

# Rule confidence at or above which a unit trains the model and keeps its rule label.
SURE: Final = 0.75
# Fewer confident examples of a label than this, and the model is not fitted at all.
MIN_PER_LABEL: Final = 8


class SelfTrainedFocus(ClassifierMixin, BaseEstimator):
    """Logistic regression over text and cue features, calibrated by cross-validation.

    ``fit(texts_and_features, labels)`` takes pairs of (text, numeric feature row); state is
    kept in attributes ending in ``_``; ``predict_proba`` gives calibrated probabilities.
    """

    def __init__(self, c: float = 1.0, seed: int = config.SEED) -> None:
        self.c = c
        self.seed = seed

    def _matrix(self, X: Sequence[tuple[str, Sequence[float]]], fit: bool) -> Any:
        texts = [t for t, _ in X]
        numeric = sparse.csr_matrix(np.asarray([list(f) for _, f in X], dtype=float))
        words = self.vectorizer_.fit_transform(texts) if fit else self.vectorizer_.transform(texts)
        return sparse.hstack([words, numeric]).tocsr()

    def fit(self, X: Sequence[tuple[str, Sequence[float]]], y: Sequence[str]) -> SelfTrainedFocus:
        labels = np.asarray(y)
        if len(labels) != len(X):
            raise ValueError(f"{len(X)} units but {len(labels)} labels: give one label per unit.")
        counts = {label: int((labels == label).sum()) for label in set(labels)}
        if len(counts) < 2:
            raise ValueError(f"SelfTrainedFocus needs at least 2 classes; got {len(counts)} class.")
        self.vectorizer_ = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        matrix = self._matrix(X, fit=True)
        folds = max(2, min(3, min(counts.values())))
        base = LogisticRegression(
            C=self.c, max_iter=2000, class_weight="balanced", random_state=self.seed
        )
        self.model_ = CalibratedClassifierCV(base, cv=folds, method="sigmoid").fit(matrix, labels)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X: Sequence[tuple[str, Sequence[float]]]) -> Any:
        check_is_fitted(self)
        return self.model_.predict_proba(self._matrix(X, fit=False))

    def predict(self, X: Sequence[tuple[str, Sequence[float]]]) -> Any:
        proba = self.predict_proba(X)  # first: it says when the model is not fitted
        return self.classes_[np.argmax(proba, axis=1)]


def refine(
    texts: Sequence[str],
    features: Sequence[Sequence[float]],
    labels: Sequence[str],
    scores: Sequence[float],
) -> tuple[list[str], list[float]]:
    """Labels and calibrated scores after self-training; the rules' output if it cannot train.

    Every unit keeps its rule label, with the model's calibrated probability of it as its score:
    letting the model's sure label replace an unsure rule label lowered agreement on every gold
    file (docs/focus.md).
    """
    labels, scores = list(labels), [float(s) for s in scores]
    sure = [i for i, s in enumerate(scores) if s >= SURE]
    present = {labels[i] for i in sure}
    if set(present) != set(config.FOCUS_LABELS) or any(
        sum(labels[i] == lab for i in sure) < MIN_PER_LABEL for lab in config.FOCUS_LABELS
    ):
        return labels, scores
    X = list(zip(texts, features, strict=True))
    model = SelfTrainedFocus().fit([X[i] for i in sure], [labels[i] for i in sure])
    proba = model.predict_proba(X)
    classes = list(model.classes_)
    return labels, [round(float(row[classes.index(labels[i])]), 3) for i, row in enumerate(proba)]
