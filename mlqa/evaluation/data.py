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
