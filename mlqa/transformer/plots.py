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
    """Heat maps of one example's attention weights, one panel per head, with a colour bar (Q17).

    `weights` is (heads, queries, keys); `query_tokens` label the rows (e.g. the token each row predicts).
    """
    heads = weights.size(0)
    fig, axes = plt.subplots(1, heads, figsize=(2.6 * heads + 2, 3.4), squeeze=False)
    for head, ax in enumerate(axes[0]):
        image = ax.imshow(weights[head], cmap="viridis", vmin=0, vmax=1)
        ax.set_xticks(range(len(key_tokens)), key_tokens, rotation=90, fontsize=8)
        ax.set_yticks(range(len(query_tokens)), query_tokens if head == 0 else [""] * len(query_tokens), fontsize=8)
        ax.set_title(f"head {head}", fontsize=9)
    fig.colorbar(image, ax=axes[0].tolist(), fraction=0.02, pad=0.02, label="attention weight")
    fig.suptitle(title, fontsize=10)
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


def generation_steps_figure(prompt: str, steps: list[dict], token_name) -> Figure:
    """One row per generation step: the top candidates and their probabilities; the picked token outlined (Q17).

    `steps` come from generation_trace; `token_name(id)` turns an id into text. When the sampled token is not
    among the top candidates, an extra column shows it with its rank.
    """
    top = len(steps[0]["top_ids"])
    outside = any(step["picked_rank"] > top for step in steps)
    columns = top + outside
    fig, ax = plt.subplots(figsize=(1.5 * columns + 2, 0.45 * len(steps) + 1.4))
    grid = torch.full((len(steps), columns), float("nan"))
    for row, step in enumerate(steps):
        grid[row, :top] = torch.tensor(step["top_probabilities"])
        cells = list(zip(step["top_ids"], step["top_probabilities"]))
        if step["picked_rank"] > top:
            grid[row, top] = step["picked_probability"]
            cells.append((step["picked"], step["picked_probability"]))
        for col, (token, p) in enumerate(cells):
            label = f"{token_name(token)}\n{p:.2f}" + (f" (rank {step['picked_rank']})" if col == top else "")
            ax.text(col, row, label, ha="center", va="center", fontsize=7, color="white" if p > 0.6 else "black",
                    weight="bold" if token == step["picked"] else "normal")
            if token == step["picked"]:
                ax.add_patch(plt.Rectangle((col - 0.48, row - 0.45), 0.96, 0.9, fill=False, edgecolor="tab:red", lw=2))
    ax.imshow(grid, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(columns), [f"rank {i + 1}" for i in range(top)] + (["picked, outside top"] if outside else []))
    ax.set_yticks(range(len(steps)), [f"step {i + 1}" for i in range(len(steps))])
    ax.set_title(f"Generating after {prompt!r}: candidates per step, red box = picked token", fontsize=9)
    fig.tight_layout()
    return fig


def sweep_17a_figure() -> Figure:
    """Exercise 17-A: test accuracy against the number of labels, mean and every seed, from stored results (Q17)."""
    from mlqa.transformer.results import load_results, summarise

    rows = [row for record in load_results("sweep-17a") for row in record["rows"]]
    summary = summarise(rows)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    colors = {"frozen + LR": "tab:blue", "finetuned, head from LR (LP-FT)": "tab:orange",
              "finetuned, random head": "tab:red", "untrained encoder, frozen + LR": "tab:gray"}
    for arm, color in colors.items():
        sizes = sorted({n for n, a in summary if a == arm})
        if not sizes:
            continue
        means = [summary[n, arm]["mean"] for n in sizes]
        stds = [summary[n, arm]["std"] for n in sizes]
        ax.errorbar(sizes, means, yerr=stds, color=color, marker="o", capsize=3, label=arm)
        seeds = [row for row in rows if row["arm"] == arm]
        ax.scatter([r["labels"] for r in seeds], [r["accuracy"] for r in seeds], color=color, s=10, alpha=0.4)
    ax.set_xscale("log")
    ax.set_xticks(sorted({r["labels"] for r in rows}), [str(n) for n in sorted({r["labels"] for r in rows})])
    ax.set_xlabel("labelled tweets (balanced)")
    ax.set_ylabel("test accuracy (1,000 tweets)")
    ax.set_title("17-A: all-MiniLM-L6-v2 frozen vs finetuned, mean ± std over seeds (dots: seeds)", fontsize=9)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def sweep_17b_figure() -> Figure:
    """Exercise 17-B: test accuracy of each arm, mean ± std over seeds and every seed, from stored results (Q17)."""
    from mlqa.transformer.results import load_results, summarise

    rows = [row for record in load_results("sweep-17b") for row in record["rows"]]
    summary = summarise(rows, group=("arm",))
    arms = [arm for (arm,) in summary]
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(arms) + 1.5))
    for i, arm in enumerate(arms):
        color = "tab:gray" if arm.startswith("untrained") else "tab:orange" if arm.startswith("decoder") else "tab:blue"
        ax.barh(i, summary[arm,]["mean"], xerr=summary[arm,]["std"], color=color, alpha=0.7, capsize=3)
        ax.scatter([r["accuracy"] for r in rows if r["arm"] == arm], [i] * summary[arm,]["n"], color="black", s=8)
    ax.set_yticks(range(len(arms)), arms, fontsize=8)
    ax.invert_yaxis()
    ax.axvline(0.5, color="black", lw=0.8, ls="--")
    ax.set_xlim(0.4, 1.0)
    ax.set_xlabel("test accuracy (1,000 tweets; dashed: chance)")
    ax.set_title("17-B: tiny decoder vs tiny encoder (same corpus, tokenizer, size, token predictions)", fontsize=9)
    fig.tight_layout()
    return fig
