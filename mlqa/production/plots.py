"""The plots of the Part IV notebooks (Q20-Q23)."""

from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

from mlqa.production.confident_learning import confident_joint
from mlqa.production.data_centric import NoiseRun, detect, noise_sweep
from mlqa.utils import use_style


def plot_detection_vs_noise(runs: Sequence[NoiseRun]) -> plt.Figure:
    """Precision and recall of the found issues against the noise rate, ours (solid) and cleanlab's (dashed) (Q21)."""
    use_style()
    kinds = list(dict.fromkeys(r.data.kind for r in runs))
    fig, axes = plt.subplots(1, len(kinds), figsize=(5 * len(kinds), 3.6), sharey=True, squeeze=False)
    for ax, kind in zip(axes[0], kinds):
        rates = sorted({r.data.rate for r in runs if r.data.kind == kind})
        for score, color in (("precision", "C0"), ("recall", "C1")):
            for prefix, style in (("", "-"), ("cleanlab ", "--")):
                values = np.array([[r.scores[prefix + score] for r in runs
                                    if r.data.kind == kind and r.data.rate == rate] for rate in rates])
                ax.errorbar(rates, values.mean(axis=1), yerr=values.std(axis=1), color=color, ls=style, marker="o",
                            capsize=3, label=f"{prefix or 'ours: '}{score}")
        ax.set(title=f"{kind} noise", xlabel="noise rate", ylim=(0.5, 1.0))
    axes[0, 0].set_ylabel("against the known flips")
    axes[0, -1].legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_arms(arms: Mapping[str, Mapping[str, Mapping[float, np.ndarray]]]) -> plt.Figure:
    """Test accuracy of each arm (mean ± sd over seeds) against the noise rate, one panel per kind of noise (Q21)."""
    use_style()
    fig, axes = plt.subplots(1, len(arms), figsize=(5.5 * len(arms), 4), sharey=True, squeeze=False)
    for ax, (kind, by_arm) in zip(axes[0], arms.items()):
        for arm, by_rate in by_arm.items():
            rates = sorted(by_rate)
            values = np.array([by_rate[r] for r in rates])
            ax.errorbar(rates, values.mean(axis=1), yerr=values.std(axis=1), marker="o", capsize=3, label=arm,
                        ls=":" if "oracle" in arm else "-")
        ax.set(xlabel="noise rate", title=f"{kind} label noise")
    axes[0, 0].set_ylabel("test accuracy (clean test labels)")
    axes[0, -1].legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_confident_joint(rate: float = 0.2, kind: str = "class-dependent", seed: int = 0) -> plt.Figure:
    """The confident joint of one noisy digits run as a heat map, with the detection scores in the title (Q21)."""
    use_style()
    run = detect(rate, kind, seed)
    joint = confident_joint(run.data.y_train_noisy, run.pred_probs)
    fig, ax = plt.subplots(figsize=(4.8, 4.2))
    ax.imshow(np.log1p(joint), cmap="Blues")
    for (i, j), count in np.ndenumerate(joint):
        ax.text(j, i, str(count), ha="center", va="center", fontsize=7)
    ax.set(xlabel="confident guess of the true label", ylabel="given (noisy) label", xticks=range(10), yticks=range(10),
           title=f"{kind}, rate {rate:.2f}: precision {run.scores['precision']:.2f}, recall {run.scores['recall']:.2f}")
    ax.title.set_fontsize(9)
    fig.tight_layout()
    return fig


def label_noise_figure() -> plt.Figure:
    """Registered figure: precision and recall of confident learning against the noise rate, one seed (Q21)."""
    return plot_detection_vs_noise(noise_sweep((0.1, 0.2, 0.3, 0.4), seeds=(0,), progress=False))
