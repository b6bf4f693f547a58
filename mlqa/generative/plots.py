"""Figures for Q9: samples of every family next to held-out data, and one family on a chosen data set."""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch

from mlqa.generative.compare import compare_families
from mlqa.generative.data import make_dataset
from mlqa.generative.families import FAMILIES
from mlqa.utils import use_style


def samples_figure(results=None, samples=None, test=None):
    """One panel per family: its samples over the held-out data, titled with distance and modes (Q9)."""
    use_style()
    if samples is None:
        results, samples, test = compare_families(progress=False)
    fig, axes = plt.subplots(2, (len(results) + 2) // 2, figsize=(12, 6.4), sharex=True, sharey=True)
    panels = [("held-out data", test, None)] + [(r.name, samples[r.family], r) for r in results]
    for ax, (title, points, r) in zip(axes.flat, panels):
        ax.scatter(test[:, 0], test[:, 1], s=2, color="#cccccc")
        ax.scatter(points[:, 0], points[:, 1], s=2, color="#e76f51" if r else "#264653")
        ax.set_title(title if r is None else f"{title}\nSW {r.sliced_wasserstein:.2f}, modes {r.modes}/8",
                     fontsize=9)
        ax.set_xlim(-3.2, 3.2)
        ax.set_ylim(-3.2, 3.2)
        ax.set_aspect("equal")
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    fig.suptitle("Samples (orange) over held-out data (grey), same data and training budget", fontsize=11)
    fig.tight_layout()
    return fig


def one_family_figure(family: str = "flow", data: str = "moons", steps: int = 600, seed: int = 0):
    """Train one family on one toy data set and draw its samples (for the interactive cell) (Q9)."""
    use_style()
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; known: {', '.join(FAMILIES)}")
    train = make_dataset(data, 2000, seed)
    torch.manual_seed(seed)
    model = FAMILIES[family]()
    model.fit(train, steps=steps, seed=seed)
    points = model.sample(1000, seed).detach()
    fig, ax = plt.subplots(figsize=(4, 4))
    ax.scatter(train[:1000, 0], train[:1000, 1], s=2, color="#cccccc", label="data")
    ax.scatter(points[:, 0], points[:, 1], s=2, color="#e76f51", label=model.name)
    ax.set_aspect("equal")
    ax.legend(loc="upper right", markerscale=4)
    ax.set_title(f"{model.name} on {data}, {steps} steps")
    return fig
