"""One protocol for every limited-label technique: few labels per class, an unlabeled pool, a test set (Q30)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


@dataclass
class Split:
    """A labeled set with k labels per class, an unlabeled pool and a held-out test set (Q30)."""

    X_labeled: np.ndarray
    y_labeled: np.ndarray
    X_pool: np.ndarray
    y_pool: np.ndarray  # hidden from the techniques; used only to simulate an oracle or for analysis
    X_test: np.ndarray
    y_test: np.ndarray

    @property
    def n_classes(self) -> int:
        """Number of classes in the task."""
        return int(np.unique(np.concatenate([self.y_labeled, self.y_test])).size)


def split_labels(X: np.ndarray, y: np.ndarray, labels_per_class: int, seed: int = 0,
                 test_size: float = 0.5) -> Split:
    """Stratified train/test split, then keep `labels_per_class` labels per class; the rest is the pool (Q30)."""
    classes, counts = np.unique(y, return_counts=True)
    if classes.size < 2:
        raise ValueError(f"need at least 2 classes, got {classes.size} ({classes.tolist()})")
    if labels_per_class < 1:
        raise ValueError(f"labels_per_class must be >= 1, got {labels_per_class}")
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, stratify=y, random_state=seed)
    rng = np.random.default_rng(seed)
    labeled = []
    for c in classes:
        idx = np.flatnonzero(y_train == c)
        if labels_per_class > idx.size:
            raise ValueError(f"asked for {labels_per_class} labels per class, but class {c} has only "
                             f"{idx.size} training samples")
        labeled.extend(rng.choice(idx, size=labels_per_class, replace=False))
    labeled = np.sort(np.array(labeled))
    pool = np.setdiff1d(np.arange(len(y_train)), labeled)
    return Split(X_train[labeled], y_train[labeled], X_train[pool], y_train[pool], X_test, y_test)


def digits_split(labels_per_class: int, seed: int = 0, test_size: float = 0.5) -> Split:
    """scikit-learn's bundled 8x8 digits (pixels scaled to [0, 1]) split by `split_labels` (Q30)."""
    X, y = load_digits(return_X_y=True)
    return split_labels(X.astype(np.float32) / 16.0, y, labels_per_class, seed, test_size)


@dataclass
class TechniqueResult:
    """What one technique buys over its baseline, per seed (Q30)."""

    name: str
    baseline_name: str
    result_name: str
    baseline: list[float]
    result: list[float]
    seeds: list[int]
    labels_per_class: int
    details: dict = field(default_factory=dict)

    @property
    def baseline_mean(self) -> float:
        """Mean baseline accuracy over seeds."""
        return float(np.mean(self.baseline))

    @property
    def result_mean(self) -> float:
        """Mean accuracy of the technique over seeds."""
        return float(np.mean(self.result))

    @property
    def gain(self) -> float:
        """Mean accuracy gained over the baseline (negative when the technique hurts)."""
        return self.result_mean - self.baseline_mean

    def summary_line(self) -> str:
        """The CLI's last line: `NAME: baseline <acc> -> <acc>`."""
        return f"{self.name}: baseline {self.baseline_mean:.3f} -> {self.result_mean:.3f}"
