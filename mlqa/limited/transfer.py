"""Technique 3, transfer learning: pretrain on related labeled data, finetune on a few target labels (Q30).

Uses torch (a one-hidden-layer MLP from `nets`). The target task is digits drawn with a thicker pen, with k
labels per class; the related data are the pool's digits in the original style, with their labels. Two
controls ask when transfer pays less: mirrored target digits and pretraining on digits 0-4 for a target of digits
5-9 (other classes). Both arms get the same budget and the same search: 100 full-batch Adam steps at each learning
rate in `LEARNING_RATES`, every parameter (a finetuned model's fresh head included) at that rate; each arm is
reported at its own best rate and over the whole sweep.
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
from mlqa.limited.nets import accuracy, mlp_classifier, train_classifier
from mlqa.utils import torch_threads

LEARNING_RATES = (1e-3, 3e-3, 1e-2, 3e-2)
ARMS = ("from scratch", "pretrained + finetuned")
STEPS = 100


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


def finetune(pretrained: nn.Sequential, X: np.ndarray, y: np.ndarray, n_classes: int, seed: int = 0,
             lr: float = 1e-3) -> nn.Sequential:
    """Copy a pretrained MLP, give it a new head when the classes differ, train all of it at `lr` (Q30)."""
    model = copy.deepcopy(pretrained)
    if model[-1].out_features != n_classes:
        model[-1] = nn.Linear(model[-1].in_features, n_classes)
    return train_classifier(model, X, y, epochs=STEPS, lr=lr, seed=seed)


def from_scratch(X: np.ndarray, y: np.ndarray, n_classes: int, seed: int = 0, lr: float = 1e-3) -> nn.Sequential:
    """The same MLP trained on the few labels only, same steps and learning rate as `finetune` (Q30)."""
    return train_classifier(mlp_classifier(n_classes, seed=seed), X, y, epochs=STEPS, lr=lr, seed=seed)


def sweep(source_model: nn.Sequential, X_few: np.ndarray, y_few: np.ndarray, X_test: np.ndarray,
          y_test: np.ndarray, n_classes: int, seed: int,
          learning_rates: Sequence[float] = LEARNING_RATES) -> dict[str, dict[float, float]]:
    """Test accuracy of both arms at every learning rate: arm -> rate -> accuracy (Q30)."""
    if not learning_rates or min(learning_rates) <= 0:
        raise ValueError(f"learning rates must be positive and at least one, got {list(learning_rates)}")
    return {"from scratch": {lr: accuracy(from_scratch(X_few, y_few, n_classes, seed, lr), X_test, y_test)
                             for lr in learning_rates},
            "pretrained + finetuned": {lr: accuracy(finetune(source_model, X_few, y_few, n_classes, seed, lr),
                                                    X_test, y_test) for lr in learning_rates}}


def style_transfer_experiment(style: Callable[[np.ndarray], np.ndarray], labels_per_class: int, seed: int = 0,
                              learning_rates: Sequence[float] = LEARNING_RATES) -> dict:
    """The sweep on `style`-drawn digits after pretraining on the pool's labels, plus the source model as is (Q30)."""
    split = digits_split(labels_per_class, seed)
    X_few, X_test = style(split.X_labeled), style(split.X_test)
    with torch_threads():
        source_model = pretrain(split.X_pool, split.y_pool, 10, seed)
        result = sweep(source_model, X_few, split.y_labeled, X_test, split.y_test, 10, seed, learning_rates)
        return {**result, "source model as is": accuracy(source_model, X_test, split.y_test)}


def other_classes_experiment(labels_per_class: int, seed: int = 0,
                             learning_rates: Sequence[float] = LEARNING_RATES) -> dict:
    """The sweep on digits 5-9 after pretraining on all of digits 0-4 (Q30)."""
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    source = y < 5
    split = split_labels(X[~source], y[~source] - 5, labels_per_class, seed)
    with torch_threads():
        source_model = pretrain(X[source], y[source], 5, seed)
        return sweep(source_model, split.X_labeled, split.y_labeled, split.X_test, split.y_test, 5, seed,
                     learning_rates)


def best_rates(runs: list[dict]) -> dict[str, float]:
    """For each arm, the learning rate with the highest mean accuracy over seeds (Q30)."""
    return {arm: max(runs[0][arm], key=lambda lr: np.mean([r[arm][lr] for r in runs])) for arm in ARMS}


def run(labels_per_class: int = 3, seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> TechniqueResult:
    """Thick-pen digits: MLP from scratch against pretrained on original-style digits and finetuned (Q30)."""
    cases: dict[str, list[dict]] = {"thick pen": [], "mirrored": [], "digits 0-4 -> 5-9": []}
    for seed in tqdm(seeds, desc="transfer", disable=not progress):
        cases["thick pen"].append(style_transfer_experiment(thick_pen, labels_per_class, seed))
        cases["mirrored"].append(style_transfer_experiment(mirror, labels_per_class, seed))
        cases["digits 0-4 -> 5-9"].append(other_classes_experiment(labels_per_class, seed))
    rates = {case: best_rates(runs) for case, runs in cases.items()}
    per_seed = {case: {arm: [r[arm][rates[case][arm]] for r in runs] for arm in ARMS}
                for case, runs in cases.items()}
    for case in ("thick pen", "mirrored"):
        per_seed[case]["source model as is"] = [r["source model as is"] for r in cases[case]]
    sweeps = {case: {arm: {lr: [r[arm][lr] for r in runs] for lr in LEARNING_RATES} for arm in ARMS}
              for case, runs in cases.items()}
    thick = per_seed["thick pen"]
    return TechniqueResult("transfer", "MLP from scratch, best rate", "pretrained + finetuned, best rate",
                           thick["from scratch"], thick["pretrained + finetuned"], list(seeds), labels_per_class,
                           {"accuracy_by_case": per_seed, "best_rate": rates, "sweep": sweeps})
