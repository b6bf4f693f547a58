"""Exercise 30-A: from plenty of unlabeled and related labeled data to a small target task (Q30).

Uses torch (the MLP from `nets`) and the pieces of techniques 3 and 4. The target task is thick-pen digits
with k labels per class. The training pool is cut in two disjoint halves: one half, in the original style
with its labels, is the related labeled data; the other half, redrawn with the thick pen and without labels,
is the unlabeled target data. Four pipelines finetune the same MLP on the k target labels.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from torch import nn
from tqdm.auto import tqdm

from mlqa.limited.data import TechniqueResult, digits_split
from mlqa.limited.nets import accuracy, mlp_classifier, train_classifier
from mlqa.limited.self_supervised import pretrain_inpainting
from mlqa.limited.transfer import finetune, from_scratch, thick_pen
from mlqa.utils import torch_threads

PIPELINES = ("from scratch", "self-supervised -> finetune", "transfer -> finetune",
             "self-supervised -> transfer -> finetune")


def supervised_pretrain(body: nn.Sequential, X: np.ndarray, y: np.ndarray, seed: int = 0) -> nn.Sequential:
    """Train `body` plus a fresh 10-class head on the related labeled data (15 epochs, batches of 64) (Q30)."""
    model = mlp_classifier(10, seed=seed)
    model[0] = body
    return train_classifier(model, X, y, epochs=15, lr=1e-3, batch_size=64, seed=seed)


def pipeline_accuracies(labels_per_class: int = 2, seed: int = 0) -> dict[str, float]:
    """Test accuracy on thick-pen digits of each pipeline in `PIPELINES` for one seed (Q30)."""
    split = digits_split(labels_per_class, seed)
    half = np.random.default_rng(seed).permutation(len(split.y_pool))
    related, unlabeled = half[: len(half) // 2], half[len(half) // 2:]
    X_related, y_related = split.X_pool[related], split.y_pool[related]
    X_unlabeled = thick_pen(split.X_pool[unlabeled])
    X_few, y_few, X_test = thick_pen(split.X_labeled), split.y_labeled, thick_pen(split.X_test)
    with torch_threads():
        inpainter = pretrain_inpainting(X_unlabeled, "scattered", seed=seed)
        ssl_model = mlp_classifier(10, seed=seed)
        ssl_model[0] = inpainter
        models = {
            "from scratch": from_scratch(X_few, y_few, 10, seed),
            "self-supervised -> finetune": finetune(ssl_model, X_few, y_few, 10, seed),
            "transfer -> finetune": finetune(supervised_pretrain(mlp_classifier(10, seed=seed)[0], X_related,
                                                                 y_related, seed), X_few, y_few, 10, seed),
            "self-supervised -> transfer -> finetune": finetune(
                supervised_pretrain(pretrain_inpainting(X_unlabeled, "scattered", seed=seed), X_related,
                                    y_related, seed), X_few, y_few, 10, seed),
        }
        return {name: accuracy(model, X_test, split.y_test) for name, model in models.items()}


def run(labels_per_class: int = 2, seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> TechniqueResult:
    """Exercise 30-A: the MLP from scratch against self-supervised + transfer pretraining, then finetuning (Q30)."""
    runs = [pipeline_accuracies(labels_per_class, seed) for seed in tqdm(seeds, desc="30-A", disable=not progress)]
    means = {name: float(np.mean([r[name] for r in runs])) for name in PIPELINES}
    return TechniqueResult("exercise-30a", "MLP from scratch", "self-supervised -> transfer -> finetune",
                           [r["from scratch"] for r in runs], [r[PIPELINES[-1]] for r in runs], list(seeds),
                           labels_per_class, {"mean_accuracy_by_pipeline": means})
