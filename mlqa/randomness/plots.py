"""Figures for Q10: the spread each source of randomness causes, and how sampling settings shape generation."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from mlqa.randomness.generation import TOY_LOGITS, TOY_VOCABULARY, next_token_probabilities
from mlqa.randomness.sources import SOURCE_NAMES, spread_by_source
from mlqa.utils import use_style


def spread_figure(spread: dict[str, list[float]] | None = None, extra: dict[str, list[float]] | None = None):
    """Test accuracy of each run, one row per source of randomness, with mean and std (Q10)."""
    use_style()
    spread = dict(spread if spread is not None else spread_by_source(progress=False))
    spread.update(extra or {})
    fig, ax = plt.subplots(figsize=(7, 0.55 * len(spread) + 1.2))
    for row, accs in enumerate(spread.values()):
        accs = 100 * np.asarray(accs)
        ax.scatter(accs, np.full(len(accs), row), color="#1f77b4", alpha=0.7, zorder=3)
        ax.plot([accs.min(), accs.max()], [row, row], color="#1f77b4", alpha=0.4)
        std = accs.std(ddof=1) if len(accs) > 1 else 0.0
        ax.annotate(f"std {std:.2f}", (accs.max(), row), xytext=(8, -3), textcoords="offset points", fontsize=8)
    ax.set_yticks(range(len(spread)), [SOURCE_NAMES.get(s, s) for s in spread])
    ax.invert_yaxis()
    ax.set_xlabel("test accuracy (%)")
    ax.set_title("One source of randomness varied, everything else fixed")
    return fig


def sampling_figure(temperature: float = 1.0, top_k: int | None = None, top_p: float | None = None):
    """The next-token distribution of the toy prompt under a temperature, top-k and top-p (Q10)."""
    use_style()
    probs = next_token_probabilities(TOY_LOGITS, temperature, top_k, top_p).numpy()
    base = next_token_probabilities(TOY_LOGITS, 1.0).numpy()
    fig, ax = plt.subplots(figsize=(7, 3))
    x = np.arange(len(TOY_VOCABULARY))
    ax.bar(x - 0.2, base, 0.4, label="temperature 1, no filter", color="#cccccc")
    ax.bar(x + 0.2, probs, 0.4, label=f"T={temperature:g}, top-k={top_k}, top-p={top_p}", color="#e76f51")
    ax.set_xticks(x, TOY_VOCABULARY, rotation=30)
    ax.set_ylabel("probability")
    ax.set_ylim(0, 1)
    ax.set_title('Next token after "The cat sat on the"')
    ax.legend()
    return fig
