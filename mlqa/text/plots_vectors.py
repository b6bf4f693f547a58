"""Pictures for Q14: a 2-D map of word families, and static versus contextual similarity of word senses."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from mlqa.text.corpus import FAMILIES, family_corpus
from mlqa.text.skipgram import train_skipgram
from mlqa.text.vectors import WordVectors, build_vocabulary

FAMILY_COLORS = {"animal": "tab:orange", "food": "tab:green", "vehicle": "tab:blue", "tool": "tab:purple"}


def word_map_figure(vectors: WordVectors | None = None, title: str = "") -> Figure:
    """The generated corpus's nouns projected on the top two principal components, coloured by family (Q14).

    Without arguments it trains skip-gram on the generated corpus first (a few seconds).
    """
    if vectors is None:
        sentences = family_corpus(num_sentences=3000, seed=0)
        vectors = train_skipgram(sentences, build_vocabulary(sentences, 5), dim=30, epochs=3, batch_size=512,
                                 progress=False)
        title = "skip-gram vectors of the generated corpus"
    nouns = [(family, word) for family, pairs in FAMILIES.items() for pair in pairs for word in pair]
    nouns += [("other", w) for w in ("bank", "river", "money") if w in vectors.index]
    points = np.stack([vectors.vector(w) for _, w in nouns])
    centered = points - points.mean(0)
    _, _, components = np.linalg.svd(centered, full_matrices=False)
    xy = centered @ components[:2].T
    fig, ax = plt.subplots(figsize=(7, 5.5))
    for (family, word), (x, y) in zip(nouns, xy):
        plural = any(word == pair[1] for pairs in FAMILIES.values() for pair in pairs)
        ax.scatter(x, y, color=FAMILY_COLORS.get(family, "black"), marker="s" if plural else "o", s=30)
        ax.annotate(word, (x, y), fontsize=8, xytext=(3, 3), textcoords="offset points")
    for family, color in FAMILY_COLORS.items():
        ax.scatter([], [], color=color, label=family)
    ax.scatter([], [], color="gray", marker="o", label="singular")
    ax.scatter([], [], color="gray", marker="s", label="plural")
    ax.legend(fontsize=8, ncol=2)
    ax.set_xlabel("principal component 1")
    ax.set_ylabel("principal component 2")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def senses_figure(contextual: dict[str, dict[str, float]], static: dict[str, dict[str, float]]) -> Figure:
    """Within-sense and across-sense cosine similarity per word, static against contextual vectors (Q14)."""
    words = list(contextual)
    x = np.arange(len(words))
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
    for ax, results, title in ((axes[0], static, "static (MiniLM's input embedding)"),
                               (axes[1], contextual, "contextual (MiniLM's last layer)")):
        ax.bar(x - 0.2, [results[w]["within sense"] for w in words], 0.4, label="same sense")
        ax.bar(x + 0.2, [results[w]["across senses"] for w in words], 0.4, label="other sense")
        ax.set_xticks(x, words)
        ax.set_title(title, fontsize=10)
        ax.set_ylim(0.5, 1.02)
    axes[0].set_ylabel("mean cosine similarity")
    axes[1].legend(fontsize=8)
    fig.suptitle("one point per word cannot tell senses apart; contextual vectors can")
    fig.tight_layout()
    return fig


def neighbour_explorer(vectors: dict[str, WordVectors], words: list[str]):
    """A drop-down of words that prints each method's nearest neighbours side by side (Q14)."""
    import ipywidgets as widgets

    def show(word: str) -> None:
        for name, table in vectors.items():
            print(f"{name:26s}", ", ".join(w for w, _ in table.nearest(word, 8)))

    return widgets.interactive(show, word=widgets.Dropdown(options=words, value=words[0], description="word"))
