"""Self-training over the corpus: learn the board's own wording from its most confident units.

The zero-example coder knows the themes only from the survey's words; the board writes about them
in its own ("IPS employment specialists" for work, "involvement standards" for being listened
to). Self-training bridges the two without any human coding: the units the zero-example coder is
surest about become pseudo-labelled training data for a classifier over the unit embeddings,
which then reads every unit, including those whose words the survey never used.

``SelfTrainingThemes`` follows the scikit-learn estimator contract: parameters are set in
``__init__`` and only stored there, ``fit`` returns ``self``, learned state ends in ``_``
(``classes_``, ``pipeline_``, ``n_pseudo_``), ``predict_proba`` gives a probability per class in
``classes_`` order, and ``random_state`` is fixed. Unlabelled units are marked ``-1`` in ``y``,
as in ``sklearn.semi_supervised``. The classifier is a ``Pipeline`` of an L2 ``Normalizer`` and a
multinomial ``LogisticRegression``: a log-loss model, so its probabilities are calibrated on the
data it is fitted to, and deterministic with the lbfgs solver.

Classes are weighted by the inverse of their number of labels (``class_weight="balanced"``), as
the focus classifier's self-training and the coder trained on human examples do. Pseudo-labels
come in the proportions the zero-example coder predicts each theme, so a theme the board seldom
discusses may have two of them against thirty for another. Unweighted, the classifier would learn
those proportions as prior odds and call even a unit at the rare theme's own centre something
else; the coder's probabilities already carry how common each theme is, and the classifier is
there to learn what each theme looks like in the board's wording.

Rounds: fit on the labelled units, then add the unlabelled units whose predicted class has
probability at least ``threshold`` as pseudo-labels, and fit again, for ``max_rounds`` rounds or
until no unit is added. 0.8 asks for a clear majority of the probability mass in one class, out
of eleven or so, before a unit may teach the classifier.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import Normalizer
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

UNLABELLED = -1


class SelfTrainingThemes(ClassifierMixin, BaseEstimator):
    """Logistic regression on embeddings, refitted with its own confident predictions."""

    def __init__(
        self,
        C: float = 1.0,
        threshold: float = 0.8,
        max_rounds: int = 2,
        class_weight: str | None = "balanced",
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.threshold = threshold
        self.max_rounds = max_rounds
        self.class_weight = class_weight
        self.random_state = random_state

    def _pipeline(self) -> Pipeline:
        return Pipeline(
            [
                ("normalise", Normalizer()),
                (
                    "logistic",
                    LogisticRegression(
                        C=self.C,
                        class_weight=self.class_weight,
                        max_iter=2000,
                        random_state=self.random_state,
                    ),
                ),
            ]
        )

    def fit(self, X: Any, y: Any) -> SelfTrainingThemes:
        # scikit-learn's own checks: a 2-D finite numeric X, one label per row (sets
        # n_features_in_); parametrize_with_checks holds the class to them
        # (tests/classify/test_estimators).
        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        labelled = y != UNLABELLED
        self.classes_ = np.unique(y[labelled])
        if len(self.classes_) < 2:
            raise ValueError(
                "self-training needs labelled units of at least two classes; got "
                f"{len(self.classes_)} class{'' if len(self.classes_) == 1 else 'es'}."
            )
        targets = y.copy()
        self.n_pseudo_ = 0
        self.pipeline_ = self._pipeline().fit(X[labelled], targets[labelled])
        for _ in range(self.max_rounds):
            unlabelled = np.flatnonzero(targets == UNLABELLED)
            if not len(unlabelled):
                break
            proba = self.pipeline_.predict_proba(X[unlabelled])
            sure = proba.max(axis=1) >= self.threshold
            if not sure.any():
                break
            chosen = self.pipeline_.classes_[proba.argmax(axis=1)]
            targets[unlabelled[sure]] = chosen[sure]
            self.n_pseudo_ += int(sure.sum())
            known = targets != UNLABELLED
            self.pipeline_ = self._pipeline().fit(X[known], targets[known])
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        proba = self.pipeline_.predict_proba(validate_data(self, X, reset=False))
        # Every class of ``classes_`` stays in the model (none is dropped by pseudo-labelling).
        return np.asarray(proba)

    def predict(self, X: Any) -> np.ndarray:
        proba = self.predict_proba(X)  # first: it says when the model is not fitted
        return np.asarray(self.classes_[proba.argmax(axis=1)])
