"""Generated data sets for Q24-Q26: counts, ordinal labels, accuracy with a known truth, heteroscedastic noise."""

from __future__ import annotations

import numpy as np


def poisson_counts(n: int = 500, n_features: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Counts y ~ Poisson(exp(0.5 + X w)) with standard-normal X and a fixed w (Q24)."""
    if n < 2 or n_features < 1:
        raise ValueError(f"need n >= 2 and n_features >= 1; got {n} and {n_features}")
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_features))
    weights = np.linspace(0.6, -0.3, n_features)
    return X, rng.poisson(np.exp(0.5 + X @ weights)).astype(float)


ORDINAL_THRESHOLDS = (-2.5, -1.0, 0.0, 0.6, 1.5, 3.0)


def ordinal_labels(
    n: int = 400, n_features: int = 8, thresholds: tuple[float, ...] = ORDINAL_THRESHOLDS, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Ordered labels 0..K-1 from a latent score X w + logistic noise cut at uneven thresholds (Q24)."""
    if n < 2 or n_features < 1 or list(thresholds) != sorted(thresholds):
        raise ValueError(f"need n >= 2, n_features >= 1 and sorted thresholds; got {n}, {n_features}, {thresholds}")
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_features))
    weights = np.linspace(1.0, 0.2, n_features)
    latent = X @ weights + rng.logistic(scale=0.5, size=n)
    return X.astype(np.float32), np.searchsorted(np.asarray(thresholds), latent).astype(np.int64)


def noisy_circle(n: int = 300, label_noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two classes inside and outside a circle in 2-D, a share `label_noise` of labels flipped (Q25).

    Draw a huge sample from it to know a model's true accuracy.
    """
    if n < 1 or not 0 <= label_noise < 0.5:
        raise ValueError(f"need n >= 1 and 0 <= label_noise < 0.5; got {n} and {label_noise}")
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.5, 1.5, size=(n, 2))
    inside = (X**2).sum(axis=1) < 1.0
    flipped = rng.random(n) < label_noise
    return X, (inside ^ flipped).astype(np.int64)


def heteroscedastic_regression(n: int = 1000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """y = 2 sin(x) + noise whose standard deviation grows from 0.1 to 1.6 as x goes from 0 to 5 (Q26)."""
    if n < 1:
        raise ValueError(f"need n >= 1; got {n}")
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 5, size=n)
    return x[:, None], 2 * np.sin(x) + (0.1 + 0.3 * x) * rng.normal(size=n)


def overlapping_classes(n: int = 1000, n_classes: int = 5, spread: float = 1.0,
                        seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian classes with means on a circle of radius 2 in 2-D, overlapping more as `spread` grows (Q26)."""
    if n < 1 or n_classes < 2 or spread <= 0:
        raise ValueError(f"need n >= 1, n_classes >= 2 and spread > 0; got {n}, {n_classes}, {spread}")
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, size=n)
    angles = 2 * np.pi * np.arange(n_classes) / n_classes
    means = 2 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return means[y] + spread * rng.normal(size=(n, 2)), y
