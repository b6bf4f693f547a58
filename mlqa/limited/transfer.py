"""Technique 3, transfer learning: pretrain on related labeled data, finetune on a few target labels (Q30).

Uses torch (a one-hidden-layer MLP from `nets`). The target task is digits drawn with a thicker pen, with k
labels per class; the related data are the pool's digits in the original style, with their labels. Two
controls show when transfer does not pay: mirrored target digits and pretraining on digits 0-4 for a target
of digits 5-9 (other classes).
"""

from __future__ import annotations

import copy
from typing import Callable, Sequence

import numpy as np
from scipy import ndimage
from sklearn.datasets import load_digits
from torch import nn
from tqdm.auto import tqdm

from mlqa.limited.data import TechniqueResult, digits_split, split_labels
from mlqa.limited.nets import accuracy, mlp_classifier, one_thread, train_classifier


def thick_pen(X: np.ndarray) -> np.ndarray:
    """Redraw 8x8 digits with a thicker pen: a 2x2 grey dilation (Q30)."""
    thick = ndimage.grey_dilation(X.reshape(-1, 8, 8), size=(1, 2, 2))
    return np.ascontiguousarray(thick.reshape(len(X), 64), dtype=np.float32)


def mirror(X: np.ndarray) -> np.ndarray:
    """Mirror 8x8 digits left to right (Q30)."""
    return np.ascontiguousarray(X.reshape(-1, 8, 8)[:, :, ::-1].reshape(len(X), 64), dtype=np.float32)


def pretrain(X: np.ndarray, y: np.ndarray, n_classes: int, seed: int = 0) -> nn.Sequential:
    """Train the MLP on plenty of related labeled data: 15 epochs in mini-batches of 64 (Q30)."""
    return train_classifier(mlp_classifier(n_classes, seed=seed), X, y, epochs=15, lr=1e-3, batch_size=64,
                            seed=seed)


def finetune(pretrained: nn.Sequential, X: np.ndarray, y: np.ndarray, n_classes: int,
             seed: int = 0) -> nn.Sequential:
    """Copy a pretrained MLP, give it a new head when the classes differ, and train all of it on few labels (Q30)."""
    model = copy.deepcopy(pretrained)
    if model[-1].out_features != n_classes:
        model[-1] = nn.Linear(model[-1].in_features, n_classes)
    return train_classifier(model, X, y, epochs=100, lr=1e-3, seed=seed)


def from_scratch(X: np.ndarray, y: np.ndarray, n_classes: int, seed: int = 0) -> nn.Sequential:
    """The same MLP trained on the few labels only (Q30)."""
    return train_classifier(mlp_classifier(n_classes, seed=seed), X, y, epochs=100, lr=3e-3, seed=seed)


def style_transfer_experiment(style: Callable[[np.ndarray], np.ndarray], labels_per_class: int,
                              seed: int = 0) -> dict[str, float]:
    """Scratch, zero-shot and finetuned accuracy on `style`-drawn digits; pretraining uses the pool's labels (Q30)."""
    split = digits_split(labels_per_class, seed)
    X_few, X_test = style(split.X_labeled), style(split.X_test)
    with one_thread():
        source_model = pretrain(split.X_pool, split.y_pool, 10, seed)
        return {"from scratch": accuracy(from_scratch(X_few, split.y_labeled, 10, seed), X_test, split.y_test),
                "source model as is": accuracy(source_model, X_test, split.y_test),
                "pretrained + finetuned": accuracy(finetune(source_model, X_few, split.y_labeled, 10, seed),
                                                   X_test, split.y_test)}


def other_classes_experiment(labels_per_class: int, seed: int = 0) -> dict[str, float]:
    """Scratch against finetuned accuracy on digits 5-9 after pretraining on all of digits 0-4 (Q30)."""
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    source = y < 5
    split = split_labels(X[~source], y[~source] - 5, labels_per_class, seed)
    with one_thread():
        source_model = pretrain(X[source], y[source], 5, seed)
        tuned = finetune(source_model, split.X_labeled, split.y_labeled, 5, seed)
        scratch = from_scratch(split.X_labeled, split.y_labeled, 5, seed)
        return {"from scratch": accuracy(scratch, split.X_test, split.y_test),
                "pretrained + finetuned": accuracy(tuned, split.X_test, split.y_test)}


def run(labels_per_class: int = 3, seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> TechniqueResult:
    """Thick-pen digits: MLP from scratch against pretrained on original-style digits and finetuned (Q30)."""
    cases: dict[str, list[dict[str, float]]] = {"thick pen": [], "mirrored": [], "digits 0-4 -> 5-9": []}
    for seed in tqdm(seeds, desc="transfer", disable=not progress):
        cases["thick pen"].append(style_transfer_experiment(thick_pen, labels_per_class, seed))
        cases["mirrored"].append(style_transfer_experiment(mirror, labels_per_class, seed))
        cases["digits 0-4 -> 5-9"].append(other_classes_experiment(labels_per_class, seed))
    means = {case: {k: float(np.mean([r[k] for r in runs])) for k in runs[0]} for case, runs in cases.items()}
    thick = cases["thick pen"]
    return TechniqueResult("transfer", "MLP from scratch", "pretrained on original-style digits + finetuned",
                           [r["from scratch"] for r in thick], [r["pretrained + finetuned"] for r in thick],
                           list(seeds), labels_per_class, {"mean_accuracy_by_case": means})
