"""A calibrated focus classifier over unit features (issue 14), in scikit-learn's contract.

``FocusModel`` is standardisation + multinomial logistic regression, calibrated by
cross-validation (``CalibratedClassifierCV``), seeded. It takes a numeric matrix: the rules'
evidence, tense and structure (:mod:`pipeline.classify.focus.features`) and, when installed, the
sentence embeddings. ``fit`` returns self, learned state ends in ``_``, ``predict_proba`` gives
calibrated probabilities.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from pipeline.core import config


class FocusModel(ClassifierMixin, BaseEstimator):
    """Standardised logistic regression, its probabilities calibrated by cross-validation."""

    def __init__(
        self,
        c: float = 0.1,
        balanced: bool = False,
        cv: Any = 3,
        method: str = "sigmoid",
        seed: int = config.SEED,
    ) -> None:
        self.c = c
        self.balanced = balanced
        self.cv = cv
        self.method = method
        self.seed = seed

    def _base(self) -> LogisticRegression:
        return LogisticRegression(
            C=self.c,
            max_iter=3000,
            class_weight="balanced" if self.balanced else None,
            random_state=self.seed,
        )

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> FocusModel:
        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError(
                f"FocusModel needs at least 2 classes; got 1 class ({self.classes_[0]})."
            )
        # Scaled here, not in a Pipeline: CalibratedClassifierCV passes sample weights only to
        # an estimator whose own fit takes them.
        self.scaler_ = StandardScaler().fit(X, sample_weight=sample_weight)
        X = self.scaler_.transform(X)
        _, counts = np.unique(y, return_counts=True)
        # ``cv`` is a number of folds (fewer if a class has fewer units) or a splitter.
        folds: Any = int(min(self.cv, counts.min())) if isinstance(self.cv, int) else self.cv
        if not isinstance(folds, int) or folds >= 2:
            model: Any = CalibratedClassifierCV(self._base(), cv=folds, method=self.method)
        else:  # too few of a class to calibrate by cross-validation: the regression alone
            model = self._base()
        model.fit(X, y, sample_weight=sample_weight)
        self.model_ = model
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return np.asarray(self.model_.predict_proba(self.scaler_.transform(X)), dtype=float)

    def predict(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        return np.asarray(self.classes_[np.argmax(self.predict_proba(X), axis=1)])


# What the shipped model was chosen with on the leave-one-body-out measure (docs/focus.md):
# regularisation, and the weight of one weakly labelled unit against one hand-coded unit.
C: Final = 0.1
WEAK_WEIGHT: Final = 0.05


def labelled_scores(fitted: FocusModel, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The shipped decision: the labelling functions' label (the cue rules, and "action" where
    the layout of an action table says so), with the model's calibrated probability of it.

    Measured leave-one-body-out this agrees with the hand coding as well as the model's own
    argmax (docs/focus.md) and, unlike it, leaves the project's own boards' labels as the rules
    give them; the model's part is the calibrated ``focus_score``.
    """
    from pipeline.classify.focus.weak import vote

    labels = vote(features)
    proba = fitted.predict_proba(features)
    columns = {str(c): i for i, c in enumerate(fitted.classes_)}
    picked = np.asarray([columns.get(str(label), -1) for label in labels])
    scores = np.where(picked >= 0, proba[np.arange(len(labels)), np.maximum(picked, 0)], 0.0)
    return labels, scores


def fit_focus(
    features: np.ndarray,
    gold_index: np.ndarray,
    gold_labels: np.ndarray,
    *,
    weak_weight: float = WEAK_WEIGHT,
    c: float = C,
) -> FocusModel:
    """A model fitted on hand-coded units and, at a lower weight, every weakly labelled unit."""
    from pipeline.classify.focus.weak import weak_labels

    weak_index, weak = weak_labels(features)
    X = np.vstack([features[gold_index], features[weak_index]])
    y = np.concatenate([np.asarray(gold_labels, dtype=object), weak.astype(object)])
    w = np.concatenate([np.ones(len(gold_index)), np.full(len(weak_index), weak_weight)])
    return FocusModel(c=c).fit(X, y.astype(str), sample_weight=w)
