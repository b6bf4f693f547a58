"""The overfitting setup's data: few training digits, a validation split and a large test split (Q6)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.datasets import load_digits


@dataclass(frozen=True)
class OverfitSplit:
    """Train, validation and test arrays of scikit-learn's bundled digits, pixels scaled to [0, 1] (Q6)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    n_classes: int = 10


def digits_overfit_split(train_per_class: int = 15, val_size: int = 300, seed: int = 0) -> OverfitSplit:
    """Draw `train_per_class` training digits per class, `val_size` validation digits, the rest as test (Q6)."""
    X, y = load_digits(return_X_y=True)
    if train_per_class < 1 or val_size < 10 or 10 * train_per_class + val_size > len(y) - 100:
        raise ValueError(f"train_per_class={train_per_class} and val_size={val_size} must leave at least 100 of "
                         f"the {len(y)} digits for testing")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(y))
    train = np.concatenate([order[y[order] == c][:train_per_class] for c in range(10)])
    rest = np.setdiff1d(order, train, assume_unique=True)
    rest = rest[rng.permutation(len(rest))]
    val, test = rest[:val_size], rest[val_size:]
    X = (X / 16.0).astype(np.float32)
    return OverfitSplit(X[train], y[train], X[val], y[val], X[test], y[test])
