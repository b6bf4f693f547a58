"""Confident learning from scratch: out-of-fold probabilities, the confident joint, label issues (Q21).

Northcutt, Jiang and Chuang (2021): an example is a label issue when the model is confident (above the
per-class threshold) that it belongs to a class other than its given label.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

ISSUE_METHODS = ("confident_joint", "prune_by_noise_rate")


def out_of_fold_pred_probs(X: np.ndarray, labels: np.ndarray, model: ClassifierMixin | None = None,
                           n_folds: int = 4, seed: int = 0) -> np.ndarray:
    """Predicted probabilities for each example from a model that never saw it (k-fold cross-fitting) (Q21)."""
    X, labels = np.asarray(X), np.asarray(labels)
    if len(X) != len(labels):
        raise ValueError(f"X has {len(X)} rows but labels has {len(labels)}")
    model = model if model is not None else LogisticRegression(C=0.1, max_iter=300)
    n_classes = int(labels.max()) + 1
    pred_probs = np.zeros((len(labels), n_classes))
    for train, held_out in StratifiedKFold(n_folds, shuffle=True, random_state=seed).split(X, labels):
        fitted = clone(model).fit(X[train], labels[train])
        pred_probs[np.ix_(held_out, fitted.classes_)] = fitted.predict_proba(X[held_out])
    return pred_probs


def _check(labels: np.ndarray, pred_probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    labels, pred_probs = np.asarray(labels), np.asarray(pred_probs, dtype=float)
    if pred_probs.ndim != 2 or labels.shape != (len(pred_probs),):
        raise ValueError(f"labels {labels.shape} and pred_probs {pred_probs.shape} must be (n,) and (n, k)")
    if labels.min() < 0 or labels.max() >= pred_probs.shape[1]:
        raise ValueError(f"labels must lie in [0, {pred_probs.shape[1]}), got [{labels.min()}, {labels.max()}]")
    return labels, pred_probs


def class_thresholds(labels: np.ndarray, pred_probs: np.ndarray) -> np.ndarray:
    """Per class k, the mean predicted probability of k over the examples labelled k (Q21)."""
    labels, pred_probs = _check(labels, pred_probs)
    return np.array([pred_probs[labels == k, k].mean() if np.any(labels == k) else 1.0
                     for k in range(pred_probs.shape[1])])


def confident_guess(labels: np.ndarray, pred_probs: np.ndarray) -> np.ndarray:
    """The class each example confidently belongs to, or -1 where no class passes its threshold (Q21)."""
    labels, pred_probs = _check(labels, pred_probs)
    above = pred_probs >= class_thresholds(labels, pred_probs) - 1e-6
    best_above = np.where(above, pred_probs, -np.inf).argmax(axis=1)
    return np.where(above.any(axis=1), best_above, -1)


def confident_joint(labels: np.ndarray, pred_probs: np.ndarray) -> np.ndarray:
    """Counts C[given, true guess] over the confidently counted examples (at least 1 on the diagonal) (Q21)."""
    labels, pred_probs = _check(labels, pred_probs)
    guess = confident_guess(labels, pred_probs)
    k = pred_probs.shape[1]
    counted = guess >= 0
    joint = np.bincount(labels[counted] * k + guess[counted], minlength=k * k).reshape(k, k)
    np.fill_diagonal(joint, np.maximum(joint.diagonal(), 1))
    return joint


def find_label_issues(labels: np.ndarray, pred_probs: np.ndarray, method: str = "confident_joint") -> np.ndarray:
    """Boolean mask of likely label errors found by confident learning (Q21).

    `confident_joint` flags the off-diagonal examples of the confident joint; `prune_by_noise_rate` calibrates
    the joint to the label counts and, for each (given i, true j) cell, flags that many examples labelled i
    with the largest margin p_j - p_i (never one whose prediction is its given label).
    """
    if method not in ISSUE_METHODS:
        raise ValueError(f"method must be one of {ISSUE_METHODS}, got {method!r}")
    labels, pred_probs = _check(labels, pred_probs)
    if method == "confident_joint":
        guess = confident_guess(labels, pred_probs)
        return (guess >= 0) & (guess != labels)
    joint = confident_joint(labels, pred_probs).astype(float)
    label_counts = np.bincount(labels, minlength=pred_probs.shape[1])
    calibrated = joint / joint.sum(axis=1, keepdims=True) * label_counts[:, None]
    issues = np.zeros(len(labels), dtype=bool)
    for given in range(pred_probs.shape[1]):
        members = np.flatnonzero(labels == given)
        for true in range(pred_probs.shape[1]):
            n_flag = min(round(calibrated[given, true]), max(len(members) - 1, 0)) if true != given else 0
            if n_flag > 0:
                margin = pred_probs[members, true] - pred_probs[members, given]
                issues[members[np.argsort(-margin, kind="stable")[:n_flag]]] = True
    return issues & (pred_probs.argmax(axis=1) != labels)


def precision_recall(found: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """Precision and recall of a found-issue mask against the mask of known flips (Q21)."""
    found, truth = np.asarray(found, dtype=bool), np.asarray(truth, dtype=bool)
    if found.shape != truth.shape:
        raise ValueError(f"found {found.shape} and truth {truth.shape} must have the same shape")
    hits = np.sum(found & truth)
    return float(hits / max(found.sum(), 1)), float(hits / max(truth.sum(), 1))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Overlap of two boolean masks: |a and b| / |a or b| (1.0 when both are empty) (Q21)."""
    a, b = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    if a.shape != b.shape:
        raise ValueError(f"masks of shapes {a.shape} and {b.shape} cannot be compared")
    union = np.sum(a | b)
    return float(np.sum(a & b) / union) if union else 1.0
