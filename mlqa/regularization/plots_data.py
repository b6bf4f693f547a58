"""Figures for Q5: learning curves, the augmentation gallery and what augmentation does at small data (Q5)."""

from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from sklearn.datasets import load_digits

from mlqa.regularization.augmentation_effect import AUGMENTATIONS, augmentation_comparison
from mlqa.regularization.data_augmentation import Augmentation, augment
from mlqa.regularization.learning_curve import LearningCurve, digits_learning_curves
from mlqa.regularization.overfitting import MethodResult
from mlqa.utils import use_style


def plot_learning_curves(curves: Mapping[str, LearningCurve]) -> Figure:
    """Train and validation accuracy against training-set size, mean and min-max band over folds (Q5)."""
    use_style()
    fig, axes = plt.subplots(1, len(curves), figsize=(5.5 * len(curves), 4), sharey=True, squeeze=False)
    for ax, (name, curve) in zip(axes[0], curves.items()):
        for scores, label, color in ((curve.train_scores, "train", "#264653"),
                                     (curve.val_scores, "validation", "#e76f51")):
            ax.plot(curve.train_sizes, scores.mean(1), "o-", color=color, label=label)
            ax.fill_between(curve.train_sizes, scores.min(1), scores.max(1), color=color, alpha=0.2)
        ax.set_xscale("log")
        ax.set_xlabel("training-set size")
        ax.set_title(name)
    axes[0, 0].set_ylabel("accuracy")
    axes[0, 0].legend()
    fig.suptitle("Learning curves on the digits (5 folds): the gap closes as data grows")
    fig.tight_layout()
    return fig


def learning_curve_figure() -> Figure:
    """The RBF SVM and the depth-3 tree's learning curves on the digits (Q5)."""
    return plot_learning_curves(digits_learning_curves())


def plot_gallery(arms: Mapping[str, Augmentation] = AUGMENTATIONS, digits: Sequence[int] = (0, 2, 3, 5, 7),
                 seed: int = 0) -> Figure:
    """The first image of each class in `digits` under one random draw of each augmentation (Q5)."""
    use_style()
    X, y = load_digits(return_X_y=True)
    if not digits or min(digits) < 0 or max(digits) > 9:
        raise ValueError(f"digits must be classes 0-9, got {list(digits)}")
    images = torch.as_tensor(np.stack([X[y == c][0] for c in digits]) / 16.0, dtype=torch.float32)
    fig, axes = plt.subplots(len(digits), len(arms), figsize=(1.6 * len(arms), 1.6 * len(digits)), squeeze=False)
    for j, (name, a) in enumerate(arms.items()):
        generator = torch.Generator().manual_seed(seed)
        moved = augment(images, a.shift, a.degrees, a.noise, a.flip, generator).numpy()
        for i in range(len(digits)):
            axes[i, j].imshow(moved[i].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
            axes[i, j].axis("off")
        axes[0, j].set_title(name.replace(" (", "\n("), fontsize=8)
    fig.tight_layout()
    return fig


def gallery_figure() -> Figure:
    """Digits 0, 2, 3, 5 and 7 under every augmentation of the comparison (Q5)."""
    return plot_gallery()


def plot_augmentation(results: Mapping[str, MethodResult], baseline: str = "none") -> Figure:
    """Validation-minus-train loss and test accuracy per augmentation: bars = means, dots = seeds (Q5)."""
    use_style()
    names = list(results)
    fig, axes = plt.subplots(1, 2, figsize=(11, 0.45 * len(names) + 1.8), sharey=True)
    y = np.arange(len(names))
    for ax, (title, value) in zip(axes, (("validation - train loss", lambda r: r.loss_gap),
                                         ("test accuracy", lambda r: r.test_acc))):
        values = [value(results[n]) for n in names]
        ax.barh(y, [v.mean() for v in values], color=["#adb5bd" if n == baseline else "#2a9d8f" for n in names])
        for i, v in enumerate(values):
            ax.plot(v, np.full(len(v), i), "k.", ms=4)
        ax.axvline(value(results[baseline]).mean(), color="#e76f51", lw=1, ls="--")
        ax.set_title(title)
    axes[0].set_yticks(y, names)
    axes[0].invert_yaxis()
    lowest = min(results[n].test_acc.min() for n in names)
    axes[1].set_xlim(max(0.0, lowest - 0.05), 1.0)
    fig.suptitle("Train-time augmentation, 50 training digits; dashed: no augmentation")
    fig.tight_layout()
    return fig


def augmentation_figure() -> Figure:
    """Every augmentation of the comparison on Q6's 50-digit setup, seeds 0-2 (Q5)."""
    return plot_augmentation(augmentation_comparison(seeds=(0, 1, 2), device="cpu"))
