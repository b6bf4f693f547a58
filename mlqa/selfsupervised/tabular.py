"""Reader exercise 2-A: a pretext task for tabular data, masked-feature prediction in the style of VIME (Q2).

Each feature of a row is hidden with probability `mask_rate` and replaced by the same feature of a random other row
(so a hidden value still looks plausible). An MLP encoder with two heads must say which features were replaced and
what their true values were. A logistic-regression probe on its features is compared with logistic regression on
the raw (standardized) features, the usual supervised baseline, and with an untrained encoder.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler
from torch import nn

from mlqa.fewshot import mlp_encoder
from mlqa.limited import encode, probe_accuracy, split_labels
from mlqa.utils import get_device, torch_threads

TABULAR_ARMS = ("raw features (supervised baseline)", "random encoder", "masked-feature pretraining")


def corrupt_features(X: torch.Tensor, mask_rate: float, generator: torch.Generator | None = None,
                     ) -> tuple[torch.Tensor, torch.Tensor]:
    """Rows whose features are each, with probability `mask_rate`, taken from a random row; and that mask (Q2)."""
    if X.ndim != 2 or not 0 < mask_rate < 1:
        raise ValueError(f"need a (rows, features) table and 0 < mask_rate < 1, got shape {tuple(X.shape)} "
                         f"and mask_rate={mask_rate}")
    replaced = (torch.rand(X.shape, generator=generator) < mask_rate).float().to(X.device)
    donors = torch.randint(0, len(X), X.shape, generator=generator).to(X.device)
    shuffled = X.gather(0, donors)
    return X * (1 - replaced) + shuffled * replaced, replaced


def pretrain_masked_features(X_unlabeled: np.ndarray, mask_rate: float = 0.3, epochs: int = 50,
                             batch_size: int = 64, seed: int = 0,
                             device: torch.device | str | None = None) -> nn.Sequential:
    """Train an MLP encoder to find and restore replaced features of unlabeled rows; returns it on the CPU (Q2)."""
    if epochs < 1:
        raise ValueError(f"epochs must be >= 1, got {epochs}")
    n_features = X_unlabeled.shape[1]
    device = torch.device(device) if device is not None else get_device()
    encoder = mlp_encoder(n_features, hidden=128, embedding=64, seed=seed).to(device)
    mask_head, value_head = nn.Linear(64, n_features).to(device), nn.Linear(64, n_features).to(device)
    parameters = [*encoder.parameters(), *mask_head.parameters(), *value_head.parameters()]
    optimizer = torch.optim.Adam(parameters, lr=1e-3)
    generator = torch.Generator().manual_seed(seed)
    rows = torch.as_tensor(X_unlabeled, dtype=torch.float32).to(device)
    with torch_threads():
        for _ in range(epochs):
            order = torch.randperm(len(rows), generator=generator).to(device)
            for start in range(0, len(rows), batch_size):
                batch = rows[order[start:start + batch_size]]
                corrupted, replaced = corrupt_features(batch, mask_rate, generator)
                features = encoder(corrupted)
                loss = (F.binary_cross_entropy_with_logits(mask_head(features), replaced)
                        + F.mse_loss(value_head(features), batch))
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
    return encoder.cpu().eval()


def tabular_comparison(budgets: Sequence[int] = (2, 5, 20), seeds: Sequence[int] = (0, 1, 2, 3, 4),
                       epochs: int = 50, device: torch.device | str | None = None) -> dict[str, np.ndarray]:
    """Probe accuracy on breast_cancer per arm in `TABULAR_ARMS`, arrays of shape (seeds, budgets) (Q2)."""
    if not budgets or min(budgets) < 1 or not seeds:
        raise ValueError(f"need at least one budget >= 1 and one seed, got budgets={list(budgets)}, "
                         f"seeds={list(seeds)}")
    X, y = load_breast_cancer(return_X_y=True)
    scores = {arm: np.zeros((len(seeds), len(budgets))) for arm in TABULAR_ARMS}
    for i, seed in enumerate(seeds):
        first = split_labels(X, y, budgets[0], seed)
        scaler = StandardScaler().fit(np.concatenate([first.X_labeled, first.X_pool]))  # no labels used
        unlabeled = scaler.transform(np.concatenate([first.X_labeled, first.X_pool])).astype(np.float32)
        encoders = {"random encoder": mlp_encoder(X.shape[1], hidden=128, embedding=64, seed=seed).eval(),
                    "masked-feature pretraining": pretrain_masked_features(unlabeled, epochs=epochs, seed=seed,
                                                                          device=device)}
        for j, budget in enumerate(budgets):
            split = split_labels(X, y, budget, seed)
            labeled, test = (scaler.transform(part).astype(np.float32) for part in (split.X_labeled, split.X_test))
            scores[TABULAR_ARMS[0]][i, j] = probe_accuracy(labeled, split.y_labeled, test, split.y_test)
            for arm, encoder in encoders.items():
                scores[arm][i, j] = probe_accuracy(encode(encoder, labeled), split.y_labeled,
                                                   encode(encoder, test), split.y_test)
    return scores
