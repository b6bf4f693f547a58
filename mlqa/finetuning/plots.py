"""Figures of the Q18 notebook, drawn from the stored comparisons (Q18)."""

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from mlqa.finetuning.adaptation import ARMS
from mlqa.finetuning.lora import lora_parameter_count
from mlqa.finetuning.results import load_rows, summarise

MINILM_PARAMETERS, MINILM_LAYERS, MINILM_WIDTH = 22_713_216, 6, 384


def adaptation_figure() -> Figure:
    """Test accuracy against trainable parameters of every adaptation arm, every seed and the mean (Q18)."""
    rows = load_rows("compare")
    stats = summarise(rows)
    counts = {row["arm"]: row["trainable"] for row in rows}
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for i, arm in enumerate(ARMS):
        seeds = [row["accuracy"] for row in rows if row["arm"] == arm]
        ax.scatter([counts[arm]] * len(seeds), seeds, color=f"C{i}", alpha=0.4, s=18)
        ax.errorbar(counts[arm], stats[arm]["mean"], yerr=stats[arm]["std"], fmt="o", color=f"C{i}", capsize=4,
                    label=f"{ARMS[arm]}")
    ax.set_xscale("log")
    ax.set_xlabel("trainable parameters (log scale)")
    ax.set_ylabel("test accuracy (1,000 tweets)")
    ax.set_title(f"Adapting MiniLM on {rows[0]['labels']} labelled tweets, same steps for every arm "
                 f"(mean ± std, {stats['features']['n']} seeds)", fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def lora_rank_figure(rank: int = 8) -> Figure:
    """Trainable parameters of LoRA on MiniLM's query and value matrices by rank, against the other arms (Q18)."""
    ranks = [1, 2, 4, 8, 16, 32, 64, 128, 384]
    counts = [lora_parameter_count(MINILM_WIDTH, MINILM_WIDTH, r, 2 * MINILM_LAYERS) for r in ranks]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(ranks, counts, "o-", label="LoRA on query and value, 12 matrices")
    ax.axhline(MINILM_PARAMETERS, color="k", ls="--", label="all of MiniLM (22.7 M)")
    ax.axhline(2 * MINILM_LAYERS * MINILM_WIDTH ** 2, color="C3", ls=":",
               label="the 12 query and value matrices themselves")
    ax.scatter([rank], [lora_parameter_count(MINILM_WIDTH, MINILM_WIDTH, rank, 12)], s=120, color="C1", zorder=3,
               label=f"rank {rank}")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("LoRA rank r")
    ax.set_ylabel("trainable parameters")
    ax.set_title("LoRA grows linearly in r; at full rank (384) it costs twice the matrices it adapts", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def icl_figure() -> Figure:
    """Accuracy of the tiny GPT by number of demonstrations, with true and with swapped label words (Q18)."""
    rows = load_rows("icl")
    fig, ax = plt.subplots(figsize=(7, 4))
    for flipped, style in ((False, "o-"), (True, "s--")):
        points = sorted((r["shots"], r["accuracy"]) for r in rows if r["flipped"] == flipped)
        ax.plot(*zip(*points), style, label="label words swapped" if flipped else "label words as trained")
    ax.axhline(0.5, color="k", lw=0.8, ls=":", label="chance")
    ax.set_xlabel("labelled demonstrations in the prompt")
    ax.set_ylabel("test accuracy (1,000 tweets)")
    ax.set_title("In-context learning in a 0.67 M-parameter GPT trained to read its demonstrations", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def best_of_n_figure(ns: list[int], trained: list[float], control: list[float]) -> Figure:
    """Share of positive picks when the reward model chooses the best of n candidates, against a control (Q18)."""
    if not len(ns) == len(trained) == len(control):
        raise ValueError(f"need one value per n: {len(ns)}, {len(trained)}, {len(control)}")
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(ns, trained, "o-", label="reward model trained on preference pairs")
    ax.plot(ns, control, "s--", label="control: trained on shuffled preferences")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("candidates per pick (n)")
    ax.set_ylabel("share of positive tweets picked")
    ax.set_title("Best-of-n with a learned reward", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
