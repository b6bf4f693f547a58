"""Multi-task learning: hard against soft parameter sharing, with a case where each one wins (Q30).

Written in torch. The main task is the 10-way digit label with a few labels per class; an auxiliary task has a label
for every image of the pool. Hard sharing trains one trunk with two heads; soft sharing trains two networks whose
trunks are only pulled together by a penalty on their difference (Ruder, 2017, surveys both). The trunk is
small (16 units), as tasks compete for it. With a related auxiliary task (coarse labels of the same images: is the
digit odd, is it at least 5) hard sharing transfers the most; with a task on differently arranged inputs (the
digits' pixels scrambled, standing in for another sensor) one shared trunk must serve both and hard sharing loses,
while soft sharing lets each task keep its own weights. The margins are a few points, averaged over seeds.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from tqdm.auto import tqdm

from mlqa.limited.data import Split, TechniqueResult, digits_split
from mlqa.limited.nets import accuracy
from mlqa.utils import torch_threads


def related_labels(y: np.ndarray) -> np.ndarray:
    """Coarse labels that share structure with the digit: 2 * (digit >= 5) + (digit is odd), 4 classes (Q30)."""
    return 2 * (y >= 5) + y % 2


def auxiliary_task(split: Split, kind: str, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Inputs and labels of the auxiliary task over labeled set + pool: 'related' or 'unrelated' (Q30)."""
    X_all = np.concatenate([split.X_labeled, split.X_pool])
    y_all = np.concatenate([split.y_labeled, split.y_pool])  # a simulated annotator labels the whole pool
    if kind == "related":  # same images, coarse labels
        return X_all, related_labels(y_all)
    if kind == "unrelated":  # another "sensor": pixels scrambled by a fixed permutation, its own labels
        return X_all[:, np.random.default_rng(seed).permutation(64)], y_all
    raise ValueError(f"kind must be 'related' or 'unrelated', got {kind!r}")


def trunk(hidden: int = 16) -> nn.Sequential:
    """The layer tasks may share: 64 pixels -> `hidden` ReLU features (Q30)."""
    return nn.Sequential(nn.Linear(64, hidden), nn.ReLU())


def train_multi_task(split: Split, aux_inputs: np.ndarray, aux_labels: np.ndarray, sharing: str, penalty: float = 1e-3,
                     hidden: int = 16, epochs: int = 300, seed: int = 0) -> nn.Module:
    """Train main (labeled set) and auxiliary (labeled set + pool) tasks; return the main-task network (Q30)."""
    if sharing not in ("none", "hard", "soft"):
        raise ValueError(f"sharing must be 'none', 'hard' or 'soft', got {sharing!r}")
    torch.manual_seed(seed)
    main_trunk = trunk(hidden)
    aux_trunk = main_trunk if sharing == "hard" else trunk(hidden)
    main_head, aux_head = nn.Linear(hidden, split.n_classes), nn.Linear(hidden, int(aux_labels.max()) + 1)
    modules = nn.ModuleList([main_trunk, aux_trunk, main_head, aux_head])
    optimizer = torch.optim.Adam(modules.parameters(), lr=3e-3, weight_decay=1e-4)
    X_main = torch.as_tensor(split.X_labeled, dtype=torch.float32)
    y_main = torch.as_tensor(split.y_labeled, dtype=torch.long)
    X_aux = torch.as_tensor(aux_inputs, dtype=torch.float32)
    y_aux = torch.as_tensor(aux_labels, dtype=torch.long)
    for _ in range(epochs):
        loss = F.cross_entropy(main_head(main_trunk(X_main)), y_main)
        if sharing != "none":
            loss = loss + F.cross_entropy(aux_head(aux_trunk(X_aux)), y_aux)
        if sharing == "soft":
            loss = loss + penalty * sum(((a - b) ** 2).sum() for a, b in
                                        zip(main_trunk.parameters(), aux_trunk.parameters()))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return nn.Sequential(main_trunk, main_head).eval()


def compare_sharing(split: Split, seed: int = 0) -> dict[str, float]:
    """Main-task test accuracy: single task, then hard and soft sharing with a related and an unrelated task (Q30)."""
    with torch_threads():
        single = train_multi_task(split, *auxiliary_task(split, "related", seed), "none", seed=seed)
        scores = {"single task": accuracy(single, split.X_test, split.y_test)}
        for kind in ("related", "unrelated"):
            for sharing in ("hard", "soft"):
                model = train_multi_task(split, *auxiliary_task(split, kind, seed), sharing, seed=seed)
                scores[f"{sharing} sharing, {kind} task"] = accuracy(model, split.X_test, split.y_test)
    return scores


def run(labels_per_class: int = 5, seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> TechniqueResult:
    """Digits: a single-task MLP vs hard sharing with a related auxiliary task; details hold all four cases (Q30)."""
    scores = [compare_sharing(digits_split(labels_per_class, seed), seed)
              for seed in tqdm(seeds, desc="seeds", disable=not progress)]
    details = {name: [s[name] for s in scores] for name in scores[0]}
    return TechniqueResult("multi-task", "single task", "hard sharing, related task", details["single task"],
                           details["hard sharing, related task"], list(seeds), labels_per_class, details)
