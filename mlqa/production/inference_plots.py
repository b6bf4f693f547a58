"""The plots of the Q22 notebook: throughput against batch size, and speed-up against accuracy change (Q22)."""

from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt

from mlqa.production.inference_model import train_digits_mlp
from mlqa.production.loop_tiling import tiling_speedup
from mlqa.production.speedups import SpeedUp, throughput_by_batch
from mlqa.utils import use_style


def plot_throughput(throughput: Mapping[int, float]) -> plt.Figure:
    """Samples per second and milliseconds per call against the batch size (Q22)."""
    use_style()
    sizes = list(throughput)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
    axes[0].plot(sizes, [throughput[s] for s in sizes], marker="o")
    axes[0].set(xscale="log", yscale="log", xlabel="batch size", ylabel="samples per second", title="Throughput")
    axes[1].plot(sizes, [1000 * s / throughput[s] for s in sizes], marker="o", color="C1")
    axes[1].set(xscale="log", yscale="log", xlabel="batch size", ylabel="ms per call", title="Latency of one call")
    fig.tight_layout()
    return fig


def plot_speedups(speedups: Sequence[SpeedUp]) -> plt.Figure:
    """Every technique as a point: speed-up (log scale) against the change in test accuracy (Q22)."""
    use_style()
    fig, ax = plt.subplots(figsize=(7, 4))
    for i, s in enumerate(speedups):
        ax.scatter(s.speedup, 100 * s.accuracy_change, color=f"C{i % 10}", s=40)
        ax.annotate(s.name, (s.speedup, 100 * s.accuracy_change), fontsize=8, xytext=(4, 4), textcoords="offset points")
    ax.axvline(1.0, color="gray", ls=":")
    ax.axhline(0.0, color="gray", ls=":")
    ax.set(xscale="log", xlabel="speed-up (times faster, one run on this CPU)", ylabel="accuracy change (points)",
           title="Speed-up against accuracy change")
    fig.tight_layout()
    return fig


def plot_tiling(tile: int = 32, n: int = 384) -> plt.Figure:
    """Seconds of the naive and the tiled C matrix product for one tile size (Q22)."""
    use_style()
    seconds = tiling_speedup(n, tile, repeat=1)
    names = [k for k in seconds if "error" not in k]
    fig, ax = plt.subplots(figsize=(5, 2.6))
    ax.barh(names, [seconds[k] for k in names], color=["C3", "C2"])
    ax.set(xlabel="seconds", title=f"{n} x {n} product: {seconds[names[0]] / seconds[names[1]]:.1f}x faster tiled")
    fig.tight_layout()
    return fig


def throughput_figure() -> plt.Figure:
    """Registered figure: throughput and latency against batch size for the digits MLP (Q22)."""
    return plot_throughput(throughput_by_batch(train_digits_mlp()))
