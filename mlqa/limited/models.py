"""The scikit-learn models every limited-label technique compares against (Q30)."""

from __future__ import annotations

from typing import Callable

from sklearn.base import ClassifierMixin
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC


def logistic_regression() -> LogisticRegression:
    """Multinomial logistic regression with newton-cg: a few steps on digits, ten times faster than lbfgs (Q30)."""
    return LogisticRegression(solver="newton-cg", max_iter=1000)


MODELS: dict[str, Callable[[], ClassifierMixin]] = {
    "logistic regression": logistic_regression,
    "SVM (RBF)": lambda: SVC(gamma="scale"),
    "1-nearest neighbour": lambda: KNeighborsClassifier(n_neighbors=1),
    "random forest": lambda: RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=1),
}


def make_model(name: str) -> ClassifierMixin:
    """A fresh, unfitted copy of the model registered under `name` (Q30)."""
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; known models: {', '.join(MODELS)}")
    return MODELS[name]()
