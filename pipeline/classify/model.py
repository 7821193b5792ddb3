"""A calibrated focus classifier over unit features (issue 14), in scikit-learn's contract.

``FocusModel`` is standardisation + multinomial logistic regression, calibrated by
cross-validation (``CalibratedClassifierCV``), seeded. It takes a numeric matrix: the rules'
evidence, tense and structure (:mod:`pipeline.classify.features`) and, when installed, the
sentence embeddings. ``fit`` returns self, learned state ends in ``_``, ``predict_proba`` gives
calibrated probabilities.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from pipeline import config


class FocusModel(ClassifierMixin, BaseEstimator):
    """Scaled logistic regression, its probabilities calibrated by ``cv``-fold sigmoid fits."""

    def __init__(
        self,
        c: float = 0.1,
        balanced: bool = False,
        cv: int = 3,
        method: str = "sigmoid",
        seed: int = config.SEED,
    ) -> None:
        self.c = c
        self.balanced = balanced
        self.cv = cv
        self.method = method
        self.seed = seed

    def _base(self) -> Any:
        return make_pipeline(
            StandardScaler(),
            LogisticRegression(
                C=self.c,
                max_iter=3000,
                class_weight="balanced" if self.balanced else None,
                random_state=self.seed,
            ),
        )

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> FocusModel:
        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError("FocusModel needs at least two classes to fit.")
        _, counts = np.unique(y, return_counts=True)
        folds = int(min(self.cv, counts.min()))
        if folds >= 2:
            model: Any = CalibratedClassifierCV(self._base(), cv=folds, method=self.method)
        else:  # too few of a class to calibrate by cross-validation: the regression alone
            model = self._base()
        if sample_weight is None:
            model.fit(X, y)
        elif folds >= 2:
            model.fit(X, y, sample_weight=sample_weight)
        else:
            model.fit(X, y, logisticregression__sample_weight=sample_weight)
        self.model_ = model
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        proba = np.asarray(self.model_.predict_proba(X), dtype=float)
        return proba

    def predict(self, X: Any) -> np.ndarray:
        return np.asarray(self.classes_[np.argmax(self.predict_proba(X), axis=1)])
