"""Pictures for Q8: accuracy against distance, attention's memory against length, a toy scaling law."""

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from mlqa.transformer.long_range import LongRangeResult, attention_classifier
from mlqa.transformer.parallelism import attention_score_bytes, fit_exponent, sequential_steps
from mlqa.transformer.scaling import ScalingResult, scaling_study
from mlqa.transformer.synthetic_language import random_language
from mlqa.utils import torch_threads

COLORS = {"attention": "tab:orange", "lstm": "tab:blue"}


def long_range_figure(result: LongRangeResult) -> Figure:
    """Test accuracy against the distance k for both models: every seed as a dot, the mean as a line (Q8)."""
    fig, ax = plt.subplots(figsize=(6, 3.6))
    for kind in result.kinds:
        accuracies = result.accuracies[result.kinds.index(kind)]
        for j in range(len(result.seeds)):
            ax.scatter(result.ks, accuracies[:, j], color=COLORS[kind], alpha=0.5, s=18)
        label = "self-attention" if kind == "attention" else "LSTM"
        ax.plot(result.ks, result.mean(kind), "-o", color=COLORS[kind], label=label)
    ax.axhline(1 / 16, color="grey", ls=":", label="chance (1/16)")
    ax.set(xscale="log", xlabel="distance k to the token to recall", ylabel="test accuracy", ylim=(-0.03, 1.05),
           title=f"Recall a token k positions back ({result.steps} steps each)")
    ax.set_xticks(result.ks, [str(k) for k in result.ks])
    ax.legend(loc="center left")
    fig.tight_layout()
    return fig


def attention_memory_figure(lengths: tuple[int, ...] = (64, 128, 256, 512, 1024)) -> Figure:
    """Sequential steps of an LSTM and attention, and the measured bytes of the L x L scores, against L (Q8)."""
    model = attention_classifier(16, max(lengths)).gpt
    generator = torch.Generator().manual_seed(0)
    score_bytes = [attention_score_bytes(model, torch.randint(16, (1, n), generator=generator)) for n in lengths]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    left.plot(lengths, [sequential_steps("lstm", n) for n in lengths], "-o", color=COLORS["lstm"], label="LSTM")
    left.plot(lengths, [sequential_steps("attention", n) for n in lengths], "-o", color=COLORS["attention"],
              label="self-attention (1 layer)")
    left.set(xscale="log", yscale="log", xlabel="sequence length L", ylabel="steps that must run in order",
             title="Sequential steps per layer")
    right.plot(lengths, np.array(score_bytes) / 2**20, "-o", color=COLORS["attention"])
    right.set(xscale="log", yscale="log", xlabel="sequence length L", ylabel="MiB per sequence",
              title=f"Attention scores (1 layer, 2 heads): slope {fit_exponent(lengths, score_bytes):.2f}")
    for ax in (left, right):
        ax.set_xticks(lengths, [str(n) for n in lengths])
    left.legend()
    fig.tight_layout()
    return fig


def scaling_figure(result: ScalingResult | None = None) -> Figure:
    """Reducible loss against non-embedding parameters on log axes, with the fitted power law (Q8)."""
    if result is None:  # the notebook's study on one thread (tiny models run fastest there), with fewer steps
        with torch_threads(1):
            result = scaling_study(random_language(32, 1, 0.3, seed=5), steps=80, progress=False)
    fig, ax = plt.subplots(figsize=(6, 3.8))
    ax.plot(result.parameters, result.reducible, "o", color="tab:purple", label="trained GPTs")
    grid = np.geomspace(result.parameters.min(), result.parameters.max(), 50)
    law = result.law
    ax.plot(grid, law(grid), "--", color="grey",
            label=f"fit: {law.coefficient:.2f} N^-{law.exponent:.2f}  (R² = {law.r_squared:.3f})")
    for width, n, loss in zip(result.widths, result.parameters, result.reducible):
        ax.annotate(f"d={width}", (n, loss), textcoords="offset points", xytext=(5, 4), fontsize=8)
    ax.set(xscale="log", yscale="log", xlabel="non-embedding parameters N",
           ylabel="test loss − entropy floor (nats)", title="A toy scaling law on a known language")
    ax.legend()
    fig.tight_layout()
    return fig
