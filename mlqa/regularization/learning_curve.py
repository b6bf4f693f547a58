"""Learning curves from scratch: train and validation score against the training-set size (Q5).

For every cross-validation split and every size n, a fresh copy of the estimator is fitted on the first n
training indices of that split and scored on them and on the split's validation part. Sizes given as fractions
are fractions of the largest training fold, as in scikit-learn's `learning_curve`, which this must equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.datasets import load_digits
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from tqdm.auto import tqdm

DIGIT_SIZES = (25, 50, 100, 200, 400, 800, 1437)  # 1437 = every training digit of a 5-fold split
CURVE_MODELS: dict[str, Callable[[], Any]] = {
    "RBF SVM (flexible)": lambda: SVC(gamma="scale"),
    "depth-3 tree (rigid)": lambda: DecisionTreeClassifier(max_depth=3, random_state=0),
}


@dataclass(frozen=True)
class LearningCurve:
    """Scores of shape (sizes, folds) at each absolute training-set size (Q5)."""

    train_sizes: np.ndarray
    train_scores: np.ndarray
    val_scores: np.ndarray

    @property
    def gap(self) -> np.ndarray:
        """Mean train score minus mean validation score at each size (Q5)."""
        return self.train_scores.mean(1) - self.val_scores.mean(1)


def absolute_train_sizes(train_sizes: Sequence[float] | np.ndarray, n_max: int) -> np.ndarray:
    """Turn fractions in (0, 1] of `n_max`, or counts in [1, n_max], into sorted unique counts (Q5)."""
    sizes = np.asarray(train_sizes)
    if sizes.ndim != 1 or sizes.size == 0:
        raise ValueError(f"train_sizes must be a non-empty 1-D sequence, got shape {sizes.shape}")
    if np.issubdtype(sizes.dtype, np.floating):
        if sizes.min() <= 0 or sizes.max() > 1:
            raise ValueError(f"fractional train_sizes must lie in (0, 1], got [{sizes.min()}, {sizes.max()}]")
        return np.unique(np.clip((sizes * n_max).astype(int), 1, n_max))
    if sizes.min() < 1 or sizes.max() > n_max:
        raise ValueError(f"train_sizes as counts must lie in [1, {n_max}], got [{sizes.min()}, {sizes.max()}]")
    return np.unique(sizes.astype(int))


def learning_curve_scores(estimator: Any, X: np.ndarray, y: np.ndarray,
                          train_sizes: Sequence[float] | np.ndarray = (0.1, 0.325, 0.55, 0.775, 1.0),
                          cv: int | Any = 5, scoring: Callable[[Any, np.ndarray, np.ndarray], float] | None = None,
                          progress: bool = False) -> LearningCurve:
    """Train and validation scores of `estimator` at each training-set size, per CV split (Q5).

    `cv` is a number of folds (stratified for classifiers, unshuffled, like scikit-learn) or a splitter with a
    `split(X, y)` method; `scoring(fitted, X, y)` defaults to the estimator's own `score`.
    """
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y) or len(X) < 2:
        raise ValueError(f"X and y need the same number (>= 2) of samples, got {len(X)} and {len(y)}")
    if isinstance(cv, int):
        if cv < 2:
            raise ValueError(f"cv must be at least 2 folds, got {cv}")
        cv = StratifiedKFold(cv) if is_classifier(estimator) else KFold(cv)
    splits = list(cv.split(X, y))
    sizes = absolute_train_sizes(train_sizes, len(splits[0][0]))
    score = scoring or (lambda fitted, X_part, y_part: fitted.score(X_part, y_part))
    train_scores = np.zeros((len(sizes), len(splits)))
    val_scores = np.zeros((len(sizes), len(splits)))
    for j, (train, val) in enumerate(tqdm(splits, desc="folds", disable=not progress)):
        for i, n in enumerate(sizes):
            subset = train[:n]
            fitted = clone(estimator).fit(X[subset], y[subset])
            train_scores[i, j] = score(fitted, X[subset], y[subset])
            val_scores[i, j] = score(fitted, X[val], y[val])
    return LearningCurve(sizes, train_scores, val_scores)


def digits_learning_curves(train_sizes: Sequence[int] = DIGIT_SIZES, seed: int = 0,
                           progress: bool = False) -> dict[str, LearningCurve]:
    """Learning curves of `CURVE_MODELS` on the bundled digits, 5 shuffled stratified folds (Q5)."""
    X, y = load_digits(return_X_y=True)
    cv = StratifiedKFold(5, shuffle=True, random_state=seed)
    return {name: learning_curve_scores(make(), X / 16.0, y, train_sizes, cv)
            for name, make in tqdm(CURVE_MODELS.items(), desc="learning curves", disable=not progress)}
