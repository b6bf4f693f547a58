"""Label noise injected at known positions: uniform flips or flips to a similar class (Q21)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

# Class-dependent noise flips each digit to one look-alike partner (pairs swap into each other).
LOOKALIKE_DIGIT: dict[int, int] = {1: 7, 7: 1, 3: 8, 8: 3, 4: 9, 9: 4, 5: 6, 6: 5, 0: 2, 2: 0}
NOISE_KINDS = ("uniform", "class-dependent")


@dataclass
class NoisyDigits:
    """Standardised digits with a noisy training copy of the labels and the mask of flipped positions (Q21)."""

    X_train: np.ndarray
    y_train_true: np.ndarray
    y_train_noisy: np.ndarray
    flipped: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    rate: float
    kind: str


def inject_label_noise(labels: np.ndarray, rate: float, kind: str = "uniform", n_classes: int = 10,
                       seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Flip a `rate` fraction of labels to any other class or to a look-alike digit; return (noisy, flipped) (Q21)."""
    labels = np.asarray(labels)
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"rate must be in [0, 1), got {rate}")
    if kind not in NOISE_KINDS:
        raise ValueError(f"kind must be one of {NOISE_KINDS}, got {kind!r}")
    if labels.ndim != 1 or labels.size == 0 or labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError(f"labels must be a non-empty 1-D array in [0, {n_classes}), got shape {labels.shape}")
    if kind == "class-dependent" and n_classes != len(LOOKALIKE_DIGIT):
        raise ValueError(f"class-dependent noise is defined for the 10 digits, got n_classes={n_classes}")
    rng = np.random.default_rng(seed)
    flipped = np.zeros(labels.size, dtype=bool)
    flipped[rng.choice(labels.size, size=round(rate * labels.size), replace=False)] = True
    noisy = labels.copy()
    if kind == "uniform":
        noisy[flipped] = (labels[flipped] + rng.integers(1, n_classes, flipped.sum())) % n_classes
    else:
        noisy[flipped] = [LOOKALIKE_DIGIT[int(c)] for c in labels[flipped]]
    return noisy, flipped


def noisy_digits(rate: float, kind: str = "uniform", seed: int = 0, test_size: float = 0.4) -> NoisyDigits:
    """Digits split into train and a clean test set, noise injected into the training labels only (Q21)."""
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size, stratify=y, random_state=seed)
    scaler = StandardScaler().fit(X_train)
    noisy, flipped = inject_label_noise(y_train, rate, kind, seed=seed)
    return NoisyDigits(scaler.transform(X_train), y_train, noisy, flipped, scaler.transform(X_test), y_test,
                       rate, kind)
