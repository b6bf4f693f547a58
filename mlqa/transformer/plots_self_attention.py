"""Pictures for Q16: the steps of self-attention, an RNN's alignment, softmax saturation, cost, MiniLM heads."""

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from torch import Tensor

from mlqa.transformer.additive_attention import attention_vs_fixed_context, reversal_pairs
from mlqa.transformer.attention_cost import attention_cost, quadratic_fit, softmax_saturation
from mlqa.transformer.self_attention_steps import SelfAttentionSteps

SATURATION_DIMS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]


def self_attention_steps_figure(steps: SelfAttentionSteps) -> Figure:
    """Scores, softmax weights and output of one self-attention pass, tokens on the axes (Q16)."""
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), gridspec_kw={"width_ratios": [1, 1, 1.2]})
    tokens = steps.tokens
    for ax, matrix, title in ((axes[0], steps.scores, "scores  Q K^T / sqrt(d_k)"),
                              (axes[1], steps.weights, "weights  softmax(scores), rows sum to 1")):
        image = ax.imshow(matrix.detach().cpu(), cmap="viridis")
        ax.set_xticks(range(len(tokens)), tokens, rotation=45)
        ax.set_yticks(range(len(tokens)), tokens)
        ax.set_xlabel("key")
        ax.set_ylabel("query")
        ax.set_title(title, fontsize=10)
        fig.colorbar(image, ax=ax, shrink=0.8)
    image = axes[2].imshow(steps.output.detach().cpu(), cmap="coolwarm", aspect="auto")
    axes[2].set_yticks(range(len(tokens)), tokens)
    axes[2].set_xlabel("output dimension")
    axes[2].set_title("output  weights @ V: a new vector per token", fontsize=10)
    fig.colorbar(image, ax=axes[2], shrink=0.8)
    fig.tight_layout()
    return fig


def alignment_figure(weights: Tensor | None = None, source: list[int] | None = None, title: str = "") -> Figure:
    """Additive attention weights of one reversed sequence: output step (rows) against source digit (Q16).

    Without arguments it trains the small RNN encoder-decoder of `attention_vs_fixed_context` first (~5 s).
    """
    if weights is None or source is None:
        _, model = attention_vs_fixed_context(steps=200, progress=False)
        source_ids, _ = reversal_pairs(1, 12, seed=123)
        _, alignment = model.generate(source_ids, 12)
        weights, source = alignment[0], [i - 2 for i in source_ids[0].tolist()]
        title = "additive attention learns to read the source backwards"
    target = source[::-1]
    fig, ax = plt.subplots(figsize=(5.2, 4.6))
    image = ax.imshow(weights, cmap="viridis", vmin=0, vmax=1)
    ax.set_xticks(range(len(source)), [str(s) for s in source])
    ax.set_yticks(range(len(target)), [str(t) for t in target])
    ax.set_xlabel("source digit (encoder annotation)")
    ax.set_ylabel("output digit (decoder step)")
    ax.set_title(title, fontsize=10)
    fig.colorbar(image, ax=ax, shrink=0.8)
    fig.tight_layout()
    return fig


def saturation_figure(rows: list[dict[str, float]] | None = None) -> Figure:
    """Largest softmax weight and softmax-gradient size against d, raw versus scaled scores (Q16)."""
    rows = rows or softmax_saturation(SATURATION_DIMS)
    dims = [r["d"] for r in rows]
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    for ax, quantity in zip(axes, ("max weight", "gradient norm")):
        for name, style in (("raw", "o-"), ("scaled", "s-")):
            label = "q.k" if name == "raw" else "q.k / sqrt(d)"
            ax.plot(dims, [r[f"{quantity} ({name})"] for r in rows], style, label=label)
        ax.set_xscale("log", base=2)
        ax.set_xlabel("d (size of queries and keys)")
        ax.legend()
    axes[0].set_ylabel("mean largest weight (16 keys)")
    axes[0].set_title("without scaling the softmax turns one-hot", fontsize=10)
    axes[1].set_ylabel("mean |softmax Jacobian|")
    axes[1].set_title("...and its gradient vanishes", fontsize=10)
    fig.tight_layout()
    return fig


def one_query_weights_figure(d: int, num_keys: int = 16, seed: int = 0) -> Figure:
    """One query's softmax weights over `num_keys` random keys of size d, raw and scaled (Q16)."""
    generator = torch.Generator().manual_seed(seed)
    query, keys = torch.randn(d, generator=generator), torch.randn(num_keys, d, generator=generator)
    raw = keys @ query
    fig, axes = plt.subplots(1, 2, figsize=(9, 2.8), sharey=True)
    for ax, scores, title in ((axes[0], raw, "softmax(q.k)"), (axes[1], raw / d**0.5, "softmax(q.k / sqrt(d))")):
        ax.bar(range(num_keys), scores.softmax(-1), color="tab:blue")
        ax.set_title(f"{title}, d = {d}", fontsize=10)
        ax.set_xlabel("key")
    axes[0].set_ylabel("weight")
    axes[0].set_ylim(0, 1)
    fig.tight_layout()
    return fig


def saturation_slider():
    """A slider over d that redraws one query's weights, raw against scaled (Q16)."""
    import ipywidgets as widgets

    return widgets.interactive(lambda log2_d: plt.show(one_query_weights_figure(2**log2_d)),
                               log2_d=widgets.IntSlider(value=6, min=0, max=10, description="log2 d"))


def attention_cost_figure(rows: list[dict[str, float]] | None = None) -> Figure:
    """FLOPs, attention-weight memory and time of self-attention against length, with quadratic fits (Q16)."""
    rows = rows or attention_cost([64, 128, 256, 512, 1024, 2048])
    lengths = np.array([r["length"] for r in rows], dtype=float)
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    dense = np.linspace(0, lengths.max(), 100)
    for ax, key, scale, label in ((axes[0], "flops", 1e9, "GFLOPs (counted)"),
                                  (axes[1], "weight bytes", 2**20, "MiB of attention weights"),
                                  (axes[2], "seconds", 1e-3, "ms (fastest run)")):
        values = np.array([r[key] for r in rows]) / scale
        coefficients, r2 = quadratic_fit(lengths, values)
        ax.plot(lengths, values, "o", label="measured")
        ax.plot(dense, np.polyval(coefficients, dense), "-", label=f"quadratic fit, R$^2$ = {r2:.3f}")
        ax.set_xlabel("sequence length n")
        ax.set_ylabel(label)
        ax.legend(fontsize=8)
    fig.suptitle("self-attention compares every token with every token: cost grows as n$^2$")
    fig.tight_layout()
    return fig


def attention_heads_figure(weights: Tensor, tokens: list[str], title: str, columns: int = 6) -> Figure:
    """One panel per head of a (heads, tokens, tokens) attention tensor (Q16)."""
    heads = weights.size(0)
    rows = -(-heads // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(2.3 * columns, 2.5 * rows + 0.6), squeeze=False)
    for head, ax in enumerate(axes.flat):
        if head >= heads:
            ax.axis("off")
            continue
        ax.imshow(weights[head], cmap="viridis", vmin=0, vmax=1)
        first_column = head % columns == 0
        ax.set_yticks(range(len(tokens)), tokens if first_column else [""] * len(tokens), fontsize=7)
        ax.set_xticks(range(len(tokens)), tokens if head >= heads - columns else [""] * len(tokens),
                      rotation=90, fontsize=7)
        ax.set_title(f"head {head}", fontsize=9)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
