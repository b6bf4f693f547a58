"""Figures for Q6: the overfitting comparison, training curves and the dropout sweep (Q6)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from mlqa.regularization.overfitting import MethodResult, compare_methods, dropout_sweep
from mlqa.regularization.training import StackedHistory
from mlqa.utils import use_style


def plot_methods(results: dict[str, MethodResult]) -> Figure:
    """Loss gap, accuracy gap and test accuracy of every method, bars = mean, dots = seeds (Q6)."""
    use_style()
    names = list(results)
    fig, axes = plt.subplots(1, 3, figsize=(12, 4.8), sharey=True)
    panels = [("validation - train loss", lambda r: r.loss_gap), ("train - validation accuracy", lambda r: r.acc_gap),
              ("test accuracy", lambda r: r.test_acc)]
    y = np.arange(len(names))
    for ax, (title, value) in zip(axes, panels):
        values = [value(results[n]) for n in names]
        colors = ["#adb5bd" if n == "baseline" else "#2a9d8f" for n in names]
        ax.barh(y, [v.mean() for v in values], color=colors, alpha=0.8)
        for i, v in enumerate(values):
            ax.plot(v, np.full(len(v), i), "k.", ms=4)
        ax.axvline(value(results["baseline"]).mean(), color="#e76f51", lw=1, ls="--")
        ax.set_title(title)
    axes[0].set_yticks(y, names)
    axes[0].invert_yaxis()
    axes[2].set_xlim(0.7, 0.95)
    fig.suptitle("Every method on the same overfitting setup (50 training digits); dashed: the baseline")
    fig.tight_layout()
    return fig


def plot_curves(history: StackedHistory, models: dict[str, int]) -> Figure:
    """Train and validation accuracy and loss per epoch for the named model rows of a stacked run (Q6)."""
    use_style()
    fig, (acc, loss) = plt.subplots(1, 2, figsize=(10, 3.6))
    for (label, row), color in zip(models.items(), plt.rcParams["axes.prop_cycle"].by_key()["color"]):
        end, best = history.stopped_epoch[row] + 1, history.best_epoch[row]
        for ax, train, val in ((acc, history.train_acc, history.val_acc), (loss, history.train_loss, history.val_loss)):
            ax.plot(train[:end, row], color=color, ls="--", lw=1, label=f"{label}, train")
            ax.plot(val[:end, row], color=color, lw=1.5, label=f"{label}, validation")
            if end < len(val):
                ax.plot(best, val[best, row], "o", color=color, label=f"{label}, restored checkpoint")
    acc.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1.02))
    loss.set(xlabel="epoch", ylabel="cross-entropy", yscale="log")
    loss.legend(fontsize=7)
    fig.tight_layout()
    return fig


def plot_dropout_sweep(history: StackedHistory, rates: list[float]) -> Figure:
    """Final train-validation loss and accuracy gaps against the dropout rate (Q6)."""
    use_style()
    fig, ax = plt.subplots(figsize=(5, 3.4))
    ax.plot(rates, history.val_loss[-1] - history.train_loss[-1], "o-", label="validation - train loss")
    ax.plot(rates, history.train_acc[-1] - history.val_acc[-1], "s-", label="train - validation accuracy")
    ax.set(xlabel="dropout rate", ylabel="gap after training", title="Dropout narrows the loss gap (seed 0)")
    ax.legend()
    fig.tight_layout()
    return fig


def overfitting_figure() -> Figure:
    """The Q6 summary figure: every method's gaps and test accuracy over seeds 0, 1, 2 (Q6)."""
    results, _ = compare_methods()
    return plot_methods(results)


def dropout_figure() -> Figure:
    """The dropout sweep's gaps against the rate, seed 0 (Q6)."""
    rates = [0.0, 0.2, 0.4, 0.6, 0.8]
    return plot_dropout_sweep(dropout_sweep(rates), rates)
