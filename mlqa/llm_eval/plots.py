"""Figures for Q19: where the metrics fail, and a tiny GPT's perplexity while it learns."""

import math

import numpy as np
from matplotlib.figure import Figure

from mlqa.llm_eval.compare import KINDS, failure_scores
from mlqa.llm_eval.language_model import PerplexityRun, train_tiny_gpt


def metric_failures_figure(scores: dict[str, list[dict]] | None = None) -> Figure:
    """Mean BLEU, ROUGE-L and BERTScore of paraphrases, fluent wrong answers and unrelated text (Q19)."""
    scores = failure_scores() if scores is None else scores
    metrics = ("BLEU", "ROUGE-L", "BERTScore")
    fig = Figure(figsize=(7, 3.6), layout="constrained")
    ax = fig.add_subplot()
    width = 0.8 / len(KINDS)
    for k, kind in enumerate(KINDS):
        means = [np.mean([row[m] for row in scores[kind]]) for m in metrics]
        ax.bar(np.arange(len(metrics)) + (k - 1) * width, means, width, label=kind)
    ax.set_xticks(range(len(metrics)), metrics)
    ax.set_ylabel("score against the reference (0-100)")
    ax.set_title("BLEU and ROUGE reward the wrong answer; BERTScore barely separates them", fontsize=10)
    ax.legend()
    return fig


def perplexity_figure(run: PerplexityRun | None = None) -> Figure:
    """Training perplexity of the character GPT against the unigram and uniform-guess controls (Q19)."""
    run = train_tiny_gpt(0, progress=False)[1] if run is None else run
    fig = Figure(figsize=(6, 3.4), layout="constrained")
    ax = fig.add_subplot()
    ax.plot([math.exp(loss) for loss in run.losses], label="tiny GPT, training batches")
    ax.axhline(run.uniform, color="gray", ls="--", label=f"uniform guess = vocabulary size ({run.uniform:.0f})")
    ax.axhline(run.unigram, color="gray", ls=":", label=f"character frequencies ({run.unigram:.1f})")
    ax.axhline(run.after, color="C1", label=f"tiny GPT, held out after training ({run.after:.1f})")
    ax.set(xlabel="training step", ylabel="perplexity", title="Perplexity falls as the tiny GPT learns")
    ax.legend(fontsize=8)
    return fig
