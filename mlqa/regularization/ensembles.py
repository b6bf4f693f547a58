"""Majority vote, bagging and k-fold ensembles for any scikit-learn-style estimator (Q6)."""

from __future__ import annotations

import time

import numpy as np
import torch
from sklearn.base import clone

from mlqa.regularization.training import StackedMLP
from mlqa.utils import torch_threads


def majority_vote(predictions: np.ndarray, n_classes: int) -> np.ndarray:
    """The most frequent label per column of (models, samples) predictions; ties go to the lowest label (Q6)."""
    if predictions.ndim != 2 or predictions.min() < 0 or predictions.max() >= n_classes:
        raise ValueError(f"need (models, samples) labels in [0, {n_classes}), got shape {predictions.shape}")
    counts = np.zeros((n_classes, predictions.shape[1]), dtype=int)
    for row in predictions:
        counts[row, np.arange(predictions.shape[1])] += 1
    return counts.argmax(0)


def bootstrap_indices(n_samples: int, n_models: int, seed: int = 0) -> list[np.ndarray]:
    """One bootstrap sample (n_samples draws with replacement) per model (Q6)."""
    if n_samples < 1 or n_models < 1:
        raise ValueError(f"need n_samples >= 1 and n_models >= 1, got {n_samples}, {n_models}")
    rng = np.random.default_rng(seed)
    return [rng.integers(0, n_samples, n_samples) for _ in range(n_models)]


def kfold_train_indices(n_samples: int, k: int) -> list[np.ndarray]:
    """Training indices of each of k contiguous folds, as scikit-learn's KFold without shuffling (Q6)."""
    if not 2 <= k <= n_samples:
        raise ValueError(f"need 2 <= k <= n_samples, got k={k}, n_samples={n_samples}")
    sizes = np.full(k, n_samples // k) + (np.arange(k) < n_samples % k)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    return [np.concatenate([np.arange(0, lo), np.arange(hi, n_samples)]) for lo, hi in zip(bounds[:-1], bounds[1:])]


def fit_members(estimator, X: np.ndarray, y: np.ndarray, index_sets: list[np.ndarray]) -> list:
    """One clone of `estimator` fitted on each index set (bootstrap samples, folds) (Q6)."""
    return [clone(estimator).fit(X[idx], y[idx]) for idx in index_sets]


def ensemble_predict(members: list, X: np.ndarray, n_classes: int, voting: str = "hard") -> np.ndarray:
    """Hard (majority) or soft (mean probability) vote of fitted members (Q6)."""
    if voting == "hard":
        return majority_vote(np.stack([m.predict(X) for m in members]), n_classes)
    if voting == "soft":
        return np.mean([m.predict_proba(X) for m in members], axis=0).argmax(1)
    raise ValueError(f"voting must be 'hard' or 'soft', got {voting!r}")


def inference_seconds(n_members: int, hidden: int = 128, n_samples: int = 1000, repeats: int = 20) -> float:
    """Fastest of `repeats` timings of predicting `n_samples` inputs with `n_members` MLPs, one pass each (Q6)."""
    if n_members < 1 or repeats < 1:
        raise ValueError(f"need n_members >= 1 and repeats >= 1, got {n_members}, {repeats}")
    members = [StackedMLP([seed], hidden=hidden).eval() for seed in range(n_members)]
    X = torch.rand(1, n_samples, 64)
    times = []
    with torch_threads(), torch.no_grad():
        for _ in range(repeats + 2):
            start = time.perf_counter()
            torch.stack([member(X).softmax(2) for member in members]).mean(0)
            times.append(time.perf_counter() - start)
    return float(min(times[2:]))  # the minimum: other processes only ever add time
