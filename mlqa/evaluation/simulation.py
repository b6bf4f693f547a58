"""Generated data with known answers: linear tasks whose true error is exact (Q28), shifted splits (Q29).

A `LinearTask` draws x ~ N(0, I) and y = x . w + noise. For any fitted coefficient vector c the true expected
squared error on new data is noise^2 + ||c - w||^2 (the cross term vanishes because E[x x^T] = I), so the
generalisation error that cross-validation tries to estimate is known exactly, without a test set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm


@dataclass(frozen=True)
class LinearTask:
    """y = x . weights + N(0, noise^2) with x ~ N(0, I): a regression task with an exact true error (Q28)."""

    weights: np.ndarray
    noise: float

    @property
    def n_features(self) -> int:
        """Number of input features (Q28)."""
        return len(self.weights)

    def sample(self, n_datasets: int, n_samples: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Draw `n_datasets` independent data sets of `n_samples` rows: X (B, n, d) and y (B, n) (Q28)."""
        if n_datasets < 1 or n_samples < 2:
            raise ValueError(f"need n_datasets >= 1 and n_samples >= 2, got {n_datasets} and {n_samples}")
        X = rng.normal(size=(n_datasets, n_samples, self.n_features))
        y = X @ self.weights + self.noise * rng.normal(size=(n_datasets, n_samples))
        return X, y

    def true_mse(self, coef: np.ndarray) -> np.ndarray:
        """Exact expected squared error on new data of the linear model(s) `coef` (..., d) (Q28)."""
        coef = np.asarray(coef, dtype=float)
        if coef.shape[-1] != self.n_features:
            raise ValueError(f"coef has {coef.shape[-1]} features, the task has {self.n_features}")
        return self.noise ** 2 + np.sum((coef - self.weights) ** 2, axis=-1)


def linear_task(n_features: int = 10, noise: float = 1.0, signal: float = 1.0, seed: int = 0) -> LinearTask:
    """A random linear task whose weights have squared norm `signal`^2 (Q28)."""
    if n_features < 1 or noise <= 0 or signal < 0:
        raise ValueError(f"need n_features >= 1, noise > 0 and signal >= 0, got {n_features}, {noise}, {signal}")
    w = np.random.default_rng(seed).normal(size=n_features)
    return LinearTask(weights=signal * w / np.linalg.norm(w), noise=noise)


@dataclass(frozen=True)
class GaussianClassTask:
    """Two classes y = +-1 with x ~ N(y * mean, I): a linear rule's true accuracy is exact (Q28)."""

    mean: np.ndarray

    def sample(self, n_datasets: int, n_samples: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Balanced data sets: X (B, n, d) and labels y (B, n) in {-1, +1}, half of each (Q28)."""
        if n_datasets < 1 or n_samples < 2 or n_samples % 2:
            raise ValueError(f"need n_datasets >= 1 and an even n_samples >= 2, got {n_datasets} and {n_samples}")
        y = np.tile(np.repeat([-1.0, 1.0], n_samples // 2), (n_datasets, 1))
        y = rng.permuted(y, axis=1)
        X = y[..., None] * self.mean + rng.normal(size=(n_datasets, n_samples, len(self.mean)))
        return X, y

    def true_accuracy(self, coef: np.ndarray) -> np.ndarray:
        """Exact accuracy of the rule sign(x . coef) on new data: Phi(mean . coef / ||coef||) (Q28)."""
        coef = np.asarray(coef, dtype=float)
        return norm.cdf(coef @ self.mean / np.linalg.norm(coef, axis=-1))


def gaussian_class_task(n_features: int = 10, separation: float = 1.0, seed: int = 0) -> GaussianClassTask:
    """Two Gaussian classes whose means +-mean are `separation` apart along a random direction (Q28)."""
    if n_features < 1 or separation <= 0:
        raise ValueError(f"need n_features >= 1 and separation > 0, got {n_features} and {separation}")
    direction = np.random.default_rng(seed).normal(size=n_features)
    return GaussianClassTask(mean=separation / 2 * direction / np.linalg.norm(direction))


@dataclass(frozen=True)
class DriftSplit:
    """A labelled training set and a test set that may come from a different distribution (Q29)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    feature_names: tuple[str, ...]
    drifting: tuple[str, ...]


DRIFT_FEATURES = ("age", "income", "clicks", "noise_a", "noise_b")


def _rows(n: int, rng: np.random.Generator, age_shift: float, clicks_track_label: bool) -> tuple[np.ndarray, ...]:
    age = rng.normal(age_shift, 1.0, n)
    income = rng.normal(0.0, 1.0, n)
    logit = 2.0 * (age + 0.5 * age ** 2 + income - 0.5)
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    clicks = (2 * y - 1) * 1.0 + rng.normal(0.0, 0.7, n) if clicks_track_label else rng.normal(0.0, 0.7, n)
    noise = rng.normal(size=(n, 2))
    return np.column_stack([age, income, clicks, noise]), y


def drifted_split(n_train: int = 1000, n_test: int = 500, shifted: bool = True, age_shift: float = 1.0,
                  seed: int = 0) -> DriftSplit:
    """Train/test rows; when `shifted`, test 'age' moves by `age_shift` and 'clicks' stops tracking the label (Q29).

    The label depends on age (non-linearly) and income only. In training, 'clicks' is a shortcut that follows the
    label; in a shifted test set it is pure noise. 'noise_a' and 'noise_b' never matter and never drift.
    """
    if n_train < 10 or n_test < 10:
        raise ValueError(f"need at least 10 training and 10 test rows, got {n_train} and {n_test}")
    rng = np.random.default_rng(seed)
    X_train, y_train = _rows(n_train, rng, 0.0, clicks_track_label=True)
    if shifted:
        X_test, y_test = _rows(n_test, rng, age_shift, clicks_track_label=False)
    else:
        X_test, y_test = _rows(n_test, rng, 0.0, clicks_track_label=True)
    drifting = ("age", "clicks") if shifted else ()
    return DriftSplit(X_train, y_train, X_test, y_test, DRIFT_FEATURES, drifting)
