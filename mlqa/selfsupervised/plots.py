"""Figures for Q2: augmented views, masked-autoencoder reconstructions, probe curves, the two pipelines (Q2)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from mlqa.limited import digits_split
from mlqa.selfsupervised.augment import random_views
from mlqa.selfsupervised.masked_autoencoder import patch_mask, trained_masked_autoencoder
from mlqa.selfsupervised.probe import ARMS, ProbeCurves, probe_curves
from mlqa.utils import use_style


def _show(ax: plt.Axes, image: np.ndarray, title: str = "") -> None:
    ax.imshow(np.asarray(image).reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title, fontsize=8)


def views_figure(n_digits: int = 6, seed: int = 0) -> Figure:
    """Digits, two random SimCLR views of each, and a masked version of each (2x2 patches, ratio 0.5) (Q2)."""
    use_style()
    images = torch.as_tensor(digits_split(1, seed).X_test[:n_digits])
    generator = torch.Generator().manual_seed(seed)
    rows = {"digit": images, "view 1": random_views(images, generator), "view 2": random_views(images, generator),
            "masked (0.5)": images * patch_mask(n_digits, 0.5, generator=generator)}
    fig, axes = plt.subplots(len(rows), n_digits, figsize=(1.1 * n_digits, 1.2 * len(rows)))
    for r, (name, batch) in enumerate(rows.items()):
        for c in range(n_digits):
            _show(axes[r, c], batch[c].numpy())
        axes[r, 0].set_ylabel(name, fontsize=8)
    fig.suptitle("SimCLR pulls two views of a digit together; the masked autoencoder redraws hidden patches")
    fig.tight_layout()
    return fig


def reconstruction_figure(mask_ratio: float = 0.5, n_digits: int = 6, seed: int = 0) -> Figure:
    """Test digits, their masked versions at `mask_ratio` and the masked autoencoder's redrawings (Q2)."""
    use_style()
    model = trained_masked_autoencoder(seed)
    images = digits_split(1, seed).X_test[:n_digits]
    mask = patch_mask(n_digits, mask_ratio, generator=torch.Generator().manual_seed(seed))
    rows = {"test digit": images, f"masked ({mask_ratio:.2f})": images * mask.numpy(),
            "filled in": model.reconstruct(images, mask)}
    fig, axes = plt.subplots(len(rows), n_digits, figsize=(1.1 * n_digits, 1.25 * len(rows)))
    for r, (name, batch) in enumerate(rows.items()):
        for c in range(n_digits):
            _show(axes[r, c], batch[c])
        axes[r, 0].set_ylabel(name, fontsize=8)
    fig.suptitle(f"Masked autoencoder (trained at ratio {model.mask_ratio}), test mask ratio {mask_ratio:.2f}")
    fig.tight_layout()
    return fig


def probe_figure(curves: ProbeCurves | None = None) -> Figure:
    """Test accuracy against labels per class for every arm, mean ± std over seeds (Q2)."""
    use_style()
    curves = curves or probe_curves()
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for arm in ARMS:
        style = "--" if arm in ("raw pixels", "random encoder") else "-"
        ax.errorbar(curves.budgets, curves.mean(arm), yerr=curves.std(arm), marker="o", linestyle=style,
                    capsize=3, label=arm)
    ax.set_xscale("log")
    ax.set_xticks(curves.budgets, [str(b) for b in curves.budgets])
    ax.set_xlabel("labels per class (log scale)")
    ax.set_ylabel("test accuracy")
    ax.set_title(f"Linear probes on frozen features vs training from scratch ({len(curves.seeds)} seeds)")
    ax.legend()
    fig.tight_layout()
    return fig


def _box(ax: plt.Axes, x: float, y: float, text: str, color: str) -> None:
    ax.add_patch(FancyBboxPatch((x - 0.11, y - 0.1), 0.22, 0.2, boxstyle="round,pad=0.01", fc=color, ec="0.3"))
    ax.text(x, y, text, ha="center", va="center", fontsize=8)


def _arrow(ax: plt.Axes, start: float, end: float, y: float) -> None:
    ax.add_patch(FancyArrowPatch((start + 0.115, y), (end - 0.115, y), arrowstyle="-|>", mutation_scale=12,
                                 color="0.3"))


def pipelines_figure() -> Figure:
    """Transfer learning and self-supervised learning drawn as two pipelines that end in the same fine-tuning (Q2)."""
    use_style()
    fig, ax = plt.subplots(figsize=(8.5, 3.2))
    xs = (0.12, 0.42, 0.72)
    rows = {0.72: ("Transfer learning", "#f6d5a8",
                   ("large labeled data set\n(e.g. ImageNet labels)", "supervised pretraining\n(predict the labels)",
                    "fine-tune on the\nsmall labeled target set")),
            0.25: ("Self-supervised learning", "#b9dcf2",
                   ("unlabeled data\n(often the target domain)", "pretext task: labels made\nfrom the data itself\n"
                    "(masking, views, order)", "fine-tune or linear probe\non the small labeled set"))}
    for y, (title, color, steps) in rows.items():
        ax.text(0.005, y + 0.16, title, fontsize=10, fontweight="bold")
        for x, text in zip(xs, steps):
            _box(ax, x, y, text, "#d8efd0" if x == xs[-1] else color)
        _arrow(ax, xs[0], xs[1], y)
        _arrow(ax, xs[1], xs[2], y)
    ax.text(0.88, 0.5, "same downstream step:\nonly where the\npretraining signal\ncomes from differs", fontsize=8,
            ha="center", va="center", color="0.25")
    ax.set_xlim(0, 1)
    ax.set_ylim(0.05, 0.95)
    ax.axis("off")
    fig.tight_layout()
    return fig
