"""The plots of the Q20 notebook: the drifting stream, accuracy and compute per update, forgetting (Q20)."""

from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

from mlqa.production.continual import History, compare_strategies
from mlqa.production.stream import wave_stream
from mlqa.utils import use_style


def plot_stream(seed: int = 0) -> plt.Figure:
    """The wave stream: every window's training points coloured by time, and the fixed boundary (Q20)."""
    use_style()
    stream = wave_stream(seed=seed)
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.4), sharey=True)
    colors = plt.cm.viridis(np.linspace(0, 1, len(stream)))
    for t, (window, color) in enumerate(zip(stream, colors)):
        axes[0].scatter(*window.X.T, s=4, color=color, label=f"t={t}" if t in (0, len(stream) - 1) else None)
        axes[1].scatter(*window.X.T, s=4, c=np.where(window.y == 1, "C1", "C0"))
    x1 = np.linspace(-9, 9, 300)
    for ax in axes:
        ax.plot(x1, 1.5 * np.sin(0.8 * x1), color="black", lw=1)
        ax.set(xlim=(-9.5, 9.5), ylim=(-4, 4), xlabel="x1")
    axes[0].set(ylabel="x2", title="windows over time (colour = window)")
    axes[1].set(title="labels: 1 above the wave")
    axes[0].legend(fontsize=8, markerscale=3)
    fig.tight_layout()
    return fig


def plot_updates(runs: Mapping[str, Sequence[History]]) -> plt.Figure:
    """Next-window accuracy (mean ± sd over seeds) and examples processed per update, over time (Q20)."""
    use_style()
    fig, axes = plt.subplots(1, 2, figsize=(12, 3.8))
    for name, histories in runs.items():
        accuracy = np.array([h.next_accuracy for h in histories])
        steps = np.arange(1, accuracy.shape[1] + 1)
        axes[0].plot(steps, accuracy.mean(0), marker="o", ms=3, label=name)
        axes[0].fill_between(steps, accuracy.mean(0) - accuracy.std(0), accuracy.mean(0) + accuracy.std(0), alpha=0.1)
        axes[1].plot(np.arange(len(histories[0].examples)), histories[0].examples, marker="o", ms=3, label=name)
    axes[0].set(xlabel="update t (evaluated on window t + 1)", ylabel="accuracy on the next window",
                title="Accuracy on the next window")
    axes[1].set(xlabel="update t", ylabel="examples processed (examples x epochs)", title="Compute per update")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_forgetting(histories: Mapping[str, History]) -> plt.Figure:
    """Accuracy on every window's held-out points after every update, one heat map per strategy (Q20)."""
    use_style()
    fig, axes = plt.subplots(1, len(histories), figsize=(4.2 * len(histories), 3.8), squeeze=False)
    for ax, (name, history) in zip(axes[0], histories.items()):
        image = ax.imshow(history.accuracy_matrix, vmin=0.3, vmax=1.0, cmap="viridis")
        ax.set(xlabel="window evaluated", ylabel="after update", title=f"{name}: forgetting {history.forgetting:.2f}")
        ax.title.set_fontsize(9)
    fig.colorbar(image, ax=axes[0].tolist(), shrink=0.8, label="accuracy")
    return fig


def plot_final_accuracy(histories: Mapping[str, History]) -> plt.Figure:
    """Accuracy on each window after the last update: what the deployed model still knows (Q20)."""
    use_style()
    fig, ax = plt.subplots(figsize=(6, 3.4))
    for name, history in histories.items():
        ax.plot(history.accuracy_matrix[-1], marker="o", ms=3, label=name)
    ax.set(xlabel="window", ylabel="accuracy after the last update", ylim=(0.3, 1.02))
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def stream_figure() -> plt.Figure:
    """Registered figure: the drifting wave stream (Q20)."""
    return plot_stream()


def plot_rehearsal_size(rehearsal_size: int = 200, seed: int = 0) -> plt.Figure:
    """Final accuracy per window for plain stateful updates and for a rehearsal buffer of the given size (Q20)."""
    stateful = compare_strategies((seed,), ("stateful",), progress=False)["stateful"][0]
    rehearsal = compare_strategies((seed,), ("rehearsal",), progress=False, rehearsal_size=rehearsal_size)
    return plot_final_accuracy({"stateful": stateful, f"rehearsal, buffer {rehearsal_size}": rehearsal["rehearsal"][0]})
