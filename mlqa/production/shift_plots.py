"""The plots of the Q23 notebook: each shift drawn, detection rates and accuracies before and after correction (Q23)."""

from __future__ import annotations

from typing import Mapping

import matplotlib.pyplot as plt
import numpy as np

from mlqa.production.drift_tests import DRIFT_TESTS
from mlqa.production.shifts import draw
from mlqa.utils import use_style

SHIFT_TITLES = {"none": "source", "covariate": "covariate shift: P(x) moves", "label": "label shift: P(y) moves",
                "concept": "concept drift: P(y|x) moves", "domain": "domain shift: a new sensor"}


def _scatter(ax: plt.Axes, kind: str, strength: float, seed: int, n: int = 400) -> None:
    sample = draw(kind, n, seed, strength)
    ax.scatter(*sample.X.T, c=np.where(sample.y == 1, "C1", "C0"), s=6, alpha=0.6)
    x1 = np.linspace(-4, 4, 100)
    ax.plot(x1, 0.35 * x1**2 - 1, color="gray", lw=1, ls="--", label="source boundary")
    ax.set(xlim=(-4.5, 4.5), ylim=(-4.5, 4.5), title=SHIFT_TITLES[kind])
    ax.title.set_fontsize(9)


def plot_shifts(strength: float = 1.0, seed: int = 0) -> plt.Figure:
    """The source sample and the four shifted samples side by side; colour is the class (Q23)."""
    use_style()
    fig, axes = plt.subplots(1, 5, figsize=(16, 3.4), sharex=True, sharey=True)
    for ax, kind in zip(axes, SHIFT_TITLES):
        _scatter(ax, kind, strength, seed)
    axes[0].legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    return fig


def plot_shift_and_tests(kind: str = "covariate", strength: float = 0.3, seed: int = 0) -> plt.Figure:
    """One target sample over the source sample, with each test's p-value in the title (Q23)."""
    use_style()
    source, target = draw("none", 200, seed=10_000 + seed), draw(kind, 200, seed=20_000 + seed, strength=strength)
    fig, ax = plt.subplots(figsize=(5, 4.4))
    ax.scatter(*source.X.T, s=8, alpha=0.5, label="source")
    ax.scatter(*target.X.T, s=8, alpha=0.5, label=f"target ({kind}, strength {strength:.2f})")
    p_values = {name: test(source.X, target.X).p_value for name, test in DRIFT_TESTS.items()}
    ax.set(xlim=(-4.5, 4.5), ylim=(-4.5, 4.5),
           title="\n".join(f"{name}: p = {p:.3g}" for name, p in p_values.items()))
    ax.title.set_fontsize(8)
    ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    return fig


def plot_detection_rates(rates: Mapping[str, Mapping[str, float]], title: str) -> plt.Figure:
    """Grouped bars: share of draws flagged by each test, per kind of shift ('none' = false alarms) (Q23)."""
    use_style()
    kinds, tests = list(rates), list(next(iter(rates.values())))
    fig, ax = plt.subplots(figsize=(7, 3.6))
    width = 0.8 / len(tests)
    for i, test in enumerate(tests):
        ax.bar(np.arange(len(kinds)) + i * width, [rates[k][test] for k in kinds], width, label=test)
    ax.axhline(0.05, color="gray", ls=":", lw=1)
    ax.set_xticks(np.arange(len(kinds)) + width * (len(tests) - 1) / 2, kinds)
    ax.set(ylabel="share of draws flagged (p < 0.05)", ylim=(0, 1.05), title=title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_corrections(results: Mapping[str, Mapping[str, np.ndarray]]) -> plt.Figure:
    """Target accuracy (mean ± sd over seeds) before and after each correction, one panel per shift (Q23)."""
    use_style()
    fig, axes = plt.subplots(1, len(results), figsize=(5 * len(results), 3.8), squeeze=False)
    for ax, (shift, by_arm) in zip(axes[0], results.items()):
        arms = [a for a in by_arm if "share" not in a and "estimate" not in a and "sample size" not in a]
        ax.barh(arms, [by_arm[a].mean() for a in arms], xerr=[by_arm[a].std() for a in arms], color="C0")
        ax.set(xlim=(0.5, 1.0), xlabel="target test accuracy", title=shift)
        ax.invert_yaxis()
    fig.tight_layout()
    return fig


def shifts_figure() -> plt.Figure:
    """Registered figure: the four kinds of shift drawn on one data set (Q23)."""
    return plot_shifts()
