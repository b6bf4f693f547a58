"""Pictures for few-shot learning: one episode of novel classes, accuracy against N and K (Q3)."""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np

from mlqa.fewshot.classes import base_and_novel_pairs
from mlqa.fewshot.compare import accuracy_grid
from mlqa.fewshot.protonet import sample_episodes
from mlqa.utils import use_style


def episode_figure(n_way: int = 5, k_shot: int = 2, n_query: int = 2, seed: int = 0) -> plt.Figure:
    """One test episode of novel two-digit classes: support images, then queries, one row per class (Q3)."""
    use_style()
    base, novel = base_and_novel_pairs(seed=seed)
    shared = set(base.names) & set(novel.names)
    if shared:
        raise ValueError(f"base and novel classes must be disjoint, both hold {sorted(shared)}")
    support, query, chosen = sample_episodes(novel, n_way, k_shot, n_query, 1, np.random.default_rng(seed))
    images = np.concatenate([support[0], query[0]], axis=1)
    fig, axes = plt.subplots(n_way, k_shot + n_query, figsize=(1.3 * (k_shot + n_query), 0.75 * n_way + 0.9))
    for (row, column), ax in np.ndenumerate(axes):
        ax.imshow(images[row, column].reshape(8, 16), cmap="gray_r")
        ax.set_xticks([])
        ax.set_yticks([])
        if column == 0:
            ax.set_ylabel(f"class {novel.names[chosen[0, row]]}", rotation=0, ha="right", va="center")
        if row == 0:
            ax.set_title("support" if column < k_shot else "query", fontsize=9)
    fig.suptitle(f"A {n_way}-way {k_shot}-shot test episode of novel classes\n"
                 f"(meta-training used {len(base)} other pairs; none shared)", fontsize=10)
    fig.tight_layout()
    return fig


def plot_accuracy_grid(grid: dict[str, np.ndarray], ways: Sequence[int], shots: Sequence[int]) -> plt.Figure:
    """Accuracy against K, one line per N, one panel per method; `grid` maps a method to (ways, shots) (Q3)."""
    use_style()
    fig, axes = plt.subplots(1, len(grid), figsize=(4.2 * len(grid), 3.4), sharey=True)
    for ax, (name, values) in zip(np.atleast_1d(axes), grid.items()):
        for n, row in zip(ways, values):
            ax.plot(shots, row, marker="o", label=f"{n}-way")
        ax.set_xscale("log")
        ax.set_xticks(list(shots), [str(k) for k in shots])
        ax.set(title=name, xlabel="K (support images per class)", ylim=(0, 1))
    np.atleast_1d(axes)[0].set_ylabel("query accuracy, novel classes")
    np.atleast_1d(axes)[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def accuracy_figure(ways: Sequence[int] = (2, 5, 10, 20), shots: Sequence[int] = (1, 2, 5, 10)) -> plt.Figure:
    """Accuracy on novel two-digit classes against N and K, raw pixels beside a prototypical network (Q3)."""
    return plot_accuracy_grid(accuracy_grid(ways, shots), ways, shots)
