"""The plots of the Q30 notebook: learning curves, gain grids and bar charts of accuracies (Q30)."""

from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

from mlqa.utils import use_style


def plot_curves(x: Sequence[int], curves: Mapping[str, np.ndarray], title: str,
                xlabel: str = "labels per class", logx: bool = True) -> plt.Figure:
    """Mean test accuracy (band: ±1 sd over seeds) against labels; `curves` maps a name to (seeds, points) (Q30)."""
    use_style()
    fig, ax = plt.subplots(figsize=(6.5, 4))
    for name, values in curves.items():
        values = np.asarray(values)
        mean, sd = values.mean(axis=0), values.std(axis=0)
        ax.plot(x, mean, marker="o", label=name)
        ax.fill_between(x, mean - sd, mean + sd, alpha=0.15)
    if logx:
        ax.set_xscale("log")
        ax.set_xticks(list(x), [str(v) for v in x])
    ax.set(xlabel=xlabel, ylabel="test accuracy", title=title)
    ax.legend()
    fig.tight_layout()
    return fig


def plot_gain_grid(gains: Mapping[str, float], title: str) -> plt.Figure:
    """A model x augmentation grid of accuracy gains; keys look like 'model + augmentation' (Q30)."""
    use_style()
    models = list(dict.fromkeys(key.split(" + ")[0] for key in gains))
    methods = list(dict.fromkeys(key.split(" + ")[1] for key in gains))
    grid = np.array([[gains[f"{m} + {a}"] for a in methods] for m in models])
    limit = np.abs(grid).max()
    fig, ax = plt.subplots(figsize=(7, 3.6))
    image = ax.imshow(grid, cmap="RdBu", vmin=-limit, vmax=limit)
    for (i, j), value in np.ndenumerate(grid):
        ax.text(j, i, f"{value:+.3f}", ha="center", va="center",
                color="white" if abs(value) > 0.6 * limit else "black")
    ax.set_xticks(range(len(methods)), methods, rotation=30, ha="right")
    ax.set_yticks(range(len(models)), models)
    ax.grid(False)
    fig.colorbar(image, ax=ax, label="accuracy gain")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_accuracy_bars(groups: Mapping[str, Mapping[str, float]], title: str) -> plt.Figure:
    """Grouped bars: one group per case, one bar per method, height = mean test accuracy (Q30)."""
    use_style()
    methods = list(dict.fromkeys(m for group in groups.values() for m in group))
    width = 0.8 / len(methods)
    fig, ax = plt.subplots(figsize=(7, 3.8))
    for j, method in enumerate(methods):
        xs = [i + j * width for i, group in enumerate(groups.values()) if method in group]
        heights = [group[method] for group in groups.values() if method in group]
        bars = ax.bar(xs, heights, width, label=method)
        ax.bar_label(bars, fmt="%.2f", fontsize=8)
    ax.set_xticks([i + width * (len(methods) - 1) / 2 for i in range(len(groups))], list(groups))
    ax.set(ylabel="test accuracy", title=title, ylim=(0, 1.2))
    ax.legend(fontsize=8, loc="upper center", ncol=len(methods))
    fig.tight_layout()
    return fig


def plot_gains(gains: Mapping[str, Sequence[float]], title: str, labels: Mapping[str, str] | None = None
               ) -> plt.Figure:
    """Horizontal bars of each technique's mean gain over its own baseline, whiskers ±1 sd over seeds (Q30).

    `gains` maps a technique to its per-seed gains; `labels` adds a note per bar (its k and baseline), because
    techniques measured at different k against different baselines are not directly comparable.
    """
    use_style()
    names = list(gains)[::-1]
    means = [float(np.mean(gains[n])) for n in names]
    spreads = [float(np.std(gains[n])) for n in names]
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(names) + 1.2))
    ax.barh(names, means, xerr=spreads, capsize=3,
            color=["tab:green" if v > 0 else "tab:red" for v in means], alpha=0.85)
    if labels:
        for i, name in enumerate(names):
            ax.text(max(means) + max(spreads) + 0.01, i, labels.get(name, ""), va="center", fontsize=7)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set(xlabel="test accuracy gain over the technique's own baseline (mean ± sd over seeds)", title=title)
    ax.set_xlim(min(means) - max(spreads) - 0.03, max(means) + max(spreads) + (0.2 if labels else 0.04))
    fig.tight_layout()
    return fig


def plot_dots(values: Mapping[str, Sequence[float]], ylabel: str, title: str = "") -> plt.Figure:
    """Every seed as a dot and the mean as a bar, on an axis from 0 to 1 so gaps are not exaggerated (Q30)."""
    use_style()
    fig, ax = plt.subplots(figsize=(1.3 * len(values) + 1.5, 3.2))
    for i, points in enumerate(values.values()):
        ax.bar(i, np.mean(points), color=f"C{i}", alpha=0.35)
        ax.plot([i] * len(points), points, "o", color=f"C{i}")
    ax.set_xticks(range(len(values)), list(values), rotation=15, ha="right")
    ax.set(ylim=(0, 1), ylabel=ylabel, title=title)
    fig.tight_layout()
    return fig
