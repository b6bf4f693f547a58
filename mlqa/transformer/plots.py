"""Pictures for Q17: attention masks, attention weights, masked-token guesses, generation, a timeline."""

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from torch import Tensor

from mlqa.transformer.attention import causal_mask, padding_mask

# (model, year of the paper or report, organisation, family): papers in the notebook's References.
TIMELINE = [
    ("Transformer", 2017, "Google", "encoder-decoder"),
    ("GPT", 2018, "OpenAI", "decoder"),
    ("BERT", 2018, "Google", "encoder"),
    ("GPT-2", 2019, "OpenAI", "decoder"),
    ("RoBERTa", 2019, "Facebook AI", "encoder"),
    ("ALBERT", 2019, "Google", "encoder"),
    ("DistilBERT", 2019, "Hugging Face", "encoder"),
    ("BART", 2019, "Facebook AI", "encoder-decoder"),
    ("T5", 2019, "Google", "encoder-decoder"),
    ("GPT-3", 2020, "OpenAI", "decoder"),
    ("ELECTRA", 2020, "Stanford & Google", "encoder"),
    ("DeBERTa", 2020, "Microsoft", "encoder"),
    ("PaLM", 2022, "Google", "decoder"),
    ("Flan-T5", 2022, "Google", "encoder-decoder"),
    ("LLaMA", 2023, "Meta", "decoder"),
    ("Mistral 7B", 2023, "Mistral AI", "decoder"),
    ("ModernBERT", 2024, "Answer.AI & LightOn", "encoder"),
]
FAMILY_COLORS = {"encoder": "tab:blue", "decoder": "tab:orange", "encoder-decoder": "tab:green"}


def timeline_figure() -> Figure:
    """Well-known encoder-only, decoder-only and encoder-decoder models by year (Q17)."""
    fig, ax = plt.subplots(figsize=(12, 4.6))
    y, ticks = 0.0, []
    for family, color in FAMILY_COLORS.items():
        rows_last_year: list[int] = []  # a label spans ~1.5 years: start a new row when the last one is too close
        members = [entry for entry in TIMELINE if entry[3] == family]
        for name, year, org, _ in members:
            row = next((r for r, last in enumerate(rows_last_year) if year - last >= 2), len(rows_last_year))
            rows_last_year[row:row + 1] = [year]
            ax.scatter(year, y + 0.3 * row, color=color, s=40, zorder=3)
            ax.annotate(f"{name} ({org})", (year, y + 0.3 * row), xytext=(6, 0), textcoords="offset points",
                        va="center", fontsize=8)
        ticks.append((y + 0.15 * (len(rows_last_year) - 1), family))
        y += 0.3 * len(rows_last_year) + 0.5
    ax.set_yticks([t for t, _ in ticks], [f if f == "encoder-decoder" else f"{f}-only" for _, f in ticks])
    ax.set_ylim(-0.4, y - 0.2)
    ax.set_xlim(2016.6, 2026)
    ax.set_xlabel("year of the paper")
    ax.set_title("Three transformer families (Q17)")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def attention_masks_figure(seq: int = 6, source: int = 5, padding: int = 2) -> Figure:
    """Which positions may attend to which, in each family; a white cell is allowed (Q17)."""
    attention_mask = torch.ones(1, seq, dtype=torch.long)
    attention_mask[0, seq - padding :] = 0
    encoder = padding_mask(attention_mask)[0, 0].expand(seq, seq)
    panels = [
        ("encoder (BERT): all tokens,\nexcept padding keys", encoder, "key", "query"),
        ("decoder (GPT): earlier\ntokens only (causal)", causal_mask(seq, seq), "key", "query"),
        ("encoder-decoder: decoder\nself-attention (causal)", causal_mask(seq, seq), "target key", "target query"),
        ("encoder-decoder: cross-attention\nto every source token", torch.ones(seq, source, dtype=torch.bool),
         "source key", "target query"),
    ]
    fig, axes = plt.subplots(1, 4, figsize=(13, 3.6))
    for ax, (title, allowed, xlabel, ylabel) in zip(axes, panels):
        ax.imshow(allowed.float(), cmap="gray", vmin=0, vmax=1)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_xticks(range(allowed.size(1)))
        ax.set_yticks(range(allowed.size(0)))
    fig.suptitle("Attention masks: white = may attend, black = blocked (Q17)")
    fig.tight_layout()
    return fig


def attention_weights_figure(weights: Tensor, query_tokens: list[str], key_tokens: list[str], title: str) -> Figure:
    """Heat maps of one example's attention weights, one panel per head: (heads, queries, keys) (Q17)."""
    heads = weights.size(0)
    fig, axes = plt.subplots(1, heads, figsize=(2.6 * heads + 1, 3.2), squeeze=False)
    for head, ax in enumerate(axes[0]):
        ax.imshow(weights[head], cmap="viridis", vmin=0, vmax=1)
        ax.set_xticks(range(len(key_tokens)), key_tokens, rotation=90, fontsize=8)
        ax.set_yticks(range(len(query_tokens)), query_tokens if head == 0 else [""] * len(query_tokens), fontsize=8)
        ax.set_title(f"head {head}", fontsize=9)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def masked_prediction_figure(context: str, candidates: list[str], probabilities: list[float]) -> Figure:
    """Horizontal bars: the model's top guesses for a [MASK] token (Q17)."""
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(candidates) + 1.2))
    ax.barh(range(len(candidates))[::-1], probabilities, color="tab:blue")
    ax.set_yticks(range(len(candidates))[::-1], candidates)
    ax.set_xlabel("probability")
    ax.set_title(context, fontsize=9)
    fig.tight_layout()
    return fig


def generation_steps_figure(prompt: str, steps: list[list[tuple[str, float]]], chosen: list[str]) -> Figure:
    """One row per generation step: the top candidates with their probabilities; the chosen one outlined (Q17)."""
    top = len(steps[0])
    probabilities = torch.tensor([[p for _, p in step] for step in steps])
    fig, ax = plt.subplots(figsize=(1.5 * top + 2, 0.45 * len(steps) + 1.4))
    ax.imshow(probabilities, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for row, (step, pick) in enumerate(zip(steps, chosen)):
        for col, (token, p) in enumerate(step):
            color = "white" if p > 0.6 else "black"
            weight = "bold" if token == pick else "normal"
            ax.text(col, row, f"{token}\n{p:.2f}", ha="center", va="center", fontsize=7, color=color, weight=weight)
    ax.set_xticks(range(top), [f"rank {i + 1}" for i in range(top)])
    ax.set_yticks(range(len(steps)), [f"step {i + 1}" for i in range(len(steps))])
    ax.set_title(f"Generating after {prompt!r}: candidates per step, bold = sampled", fontsize=9)
    fig.tight_layout()
    return fig
