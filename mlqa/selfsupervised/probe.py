"""Linear probes against the label budget: random features, two self-supervised encoders, training from scratch (Q2).

Per seed, both self-supervised encoders pretrain once on every training image without its label (the pool the
labeled images are drawn from); then for each budget of k labels per class a logistic-regression probe is fitted
on their frozen features. Supervised training from scratch trains the same encoder (Q30's `mlp_body`) plus a
head on the k labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch
from tqdm.auto import tqdm

from mlqa.limited import (
    accuracy,
    digits_split,
    encode,
    mlp_body,
    mlp_classifier,
    probe_accuracy,
    train_classifier,
)
from mlqa.selfsupervised.contrastive import pretrain_simclr
from mlqa.selfsupervised.masked_autoencoder import pretrain_masked_autoencoder
from mlqa.utils import torch_threads

ARMS = ("raw pixels", "random encoder", "masked autoencoder", "SimCLR", "supervised from scratch")


@dataclass
class ProbeCurves:
    """Test accuracy per arm, as an array of shape (seeds, budgets) (Q2)."""

    budgets: list[int]
    seeds: list[int]
    accuracy: dict[str, np.ndarray]

    def mean(self, arm: str) -> np.ndarray:
        """Mean accuracy of `arm` over seeds, one value per budget (Q2)."""
        return self.accuracy[arm].mean(0)

    def std(self, arm: str) -> np.ndarray:
        """Standard deviation of `arm`'s accuracy over seeds, one value per budget (Q2)."""
        return self.accuracy[arm].std(0)


def probe_curves(budgets: Sequence[int] = (1, 2, 5, 20), seeds: Sequence[int] = (0, 1, 2), epochs: int = 60,
                 device: torch.device | str | None = None, progress: bool = False) -> ProbeCurves:
    """Accuracy of every arm in `ARMS` for each budget of labels per class and each seed (Q2)."""
    if not budgets or min(budgets) < 1 or not seeds:
        raise ValueError(f"need at least one budget >= 1 and one seed, got budgets={list(budgets)}, "
                         f"seeds={list(seeds)}")
    scores = {arm: np.zeros((len(seeds), len(budgets))) for arm in ARMS}
    for i, seed in enumerate(tqdm(seeds, desc="seeds", disable=not progress)):
        first = digits_split(budgets[0], seed)
        unlabeled = np.concatenate([first.X_labeled, first.X_pool])  # the same images for every budget
        encoders = {"random encoder": mlp_body(seed=seed).eval(),
                    "masked autoencoder": pretrain_masked_autoencoder(unlabeled, epochs=epochs, seed=seed,
                                                                      device=device).encoder,
                    "SimCLR": pretrain_simclr(unlabeled, epochs=epochs, seed=seed, device=device)}
        for j, budget in enumerate(budgets):
            split = digits_split(budget, seed)
            scores["raw pixels"][i, j] = probe_accuracy(split.X_labeled, split.y_labeled, split.X_test, split.y_test)
            for arm, encoder in encoders.items():
                scores[arm][i, j] = probe_accuracy(encode(encoder, split.X_labeled), split.y_labeled,
                                                     encode(encoder, split.X_test), split.y_test)
            with torch_threads():
                model = train_classifier(mlp_classifier(split.n_classes, seed=seed), split.X_labeled, split.y_labeled,
                                         seed=seed)
            scores["supervised from scratch"][i, j] = accuracy(model, split.X_test, split.y_test)
    return ProbeCurves(list(budgets), list(seeds), scores)
