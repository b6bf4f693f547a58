"""Pictures and controls for Q15: accuracy per augmentation over seeds, and a strength slider."""

import random

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from mlqa.text.augmentation_study import augmentation_study, augmentations


def augmentation_effect_figure(rows: list[dict] | None = None, title: str = "") -> Figure:
    """Test accuracy per augmentation, one dot per seed and the mean, against no augmentation (Q15).

    Without arguments it runs a small study first: 4 seeds, 50 labelled tweets, no synonym replacement.
    """
    if rows is None:
        from mlqa.transformer import load_tweets, sentiment_split

        tweets = load_tweets()
        splits = [sentiment_split(tweets, 50, 1000, seed=s) for s in range(4)]
        arms = {"none": None, **{k: v for k, v in augmentations({}).items() if k != "synonym replacement"},
                "bigram generator": "generator"}
        rows = augmentation_study(splits, arms, copies=4, progress=False)
        title = "50 labelled tweets, 4 seeds"
    names = list(dict.fromkeys(r["augmentation"] for r in rows))
    baseline = np.mean([r["accuracy"] for r in rows if r["augmentation"] == "none"])
    fig, ax = plt.subplots(figsize=(8, 3.8))
    for i, name in enumerate(names):
        values = [r["accuracy"] for r in rows if r["augmentation"] == name]
        ax.scatter(np.full(len(values), i) + np.linspace(-0.15, 0.15, len(values)), values, s=14, alpha=0.6)
        ax.plot([i - 0.3, i + 0.3], [np.mean(values)] * 2, color="black")
    ax.axhline(baseline, color="gray", linestyle="--", label="no augmentation (mean)")
    ax.set_xticks(range(len(names)), names, rotation=25, ha="right")
    ax.set_ylabel("test accuracy")
    ax.set_title(f"TF-IDF + logistic regression, each seed a dot, bar = mean ({title})", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def augmentation_slider(text: str, synonyms: dict[str, list[str]]):
    """A slider for the edit strength p that reprints every augmentation of `text` (Q15)."""
    import ipywidgets as widgets

    def show(p: float, seed: int) -> None:
        for name, augment in augmentations(synonyms, p).items():
            print(f"{name:20s} {augment(text, random.Random(seed))}")

    return widgets.interactive(show, p=widgets.FloatSlider(value=0.2, min=0.0, max=0.8, step=0.05),
                               seed=widgets.IntSlider(value=0, min=0, max=9))
