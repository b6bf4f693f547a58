"""scikit-learn's bundled 8x8 digits as float tensors in [0, 1], split in two stratified halves (Q1)."""

from dataclasses import dataclass

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


@dataclass(frozen=True)
class DigitsHalves:
    """Train and test halves of the digits: images (n, 64) scaled to [0, 1] and labels (Q1)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def digits_halves(seed: int = 0) -> DigitsHalves:
    """The 1,797 digits split 50/50, stratified by class; pixel values divided by 16 (Q1)."""
    digits = load_digits()
    X = (digits.data / 16.0).astype(np.float32)
    X_train, X_test, y_train, y_test = train_test_split(X, digits.target, test_size=0.5, stratify=digits.target,
                                                        random_state=seed)
    return DigitsHalves(X_train, y_train, X_test, y_test)


def references_and_queries(labels: np.ndarray, per_class: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Indices of `per_class` labelled references per class and of every other row (the queries) (Q1)."""
    counts = np.bincount(labels)
    if per_class < 1 or per_class >= counts.min():
        raise ValueError(f"per_class must be in [1, {counts.min() - 1}] (the smallest class has {counts.min()} rows), "
                         f"got {per_class}")
    rng = np.random.default_rng(seed)
    references = np.concatenate([rng.choice(np.flatnonzero(labels == c), per_class, replace=False)
                                 for c in range(len(counts))])
    queries = np.setdiff1d(np.arange(len(labels)), references)
    return np.sort(references), queries
