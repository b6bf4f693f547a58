"""Figures for proper metrics (Q27), k-fold cross-validation (Q28) and train/test discordance (Q29)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from mlqa.evaluation.proper_metrics import SCORING_RULES, best_report, expected_binary_score
from mlqa.utils import use_style


def plot_scoring_rules(p: float = 0.7) -> plt.Figure:
    """Expected loss of each scoring rule against the reported probability q, for a true probability p (Q27)."""
    use_style()
    grid = np.linspace(0.001, 0.999, 999)
    fig, axes = plt.subplots(1, len(SCORING_RULES), figsize=(12, 3.0), sharex=True)
    for ax, rule in zip(axes, SCORING_RULES):
        ax.plot(grid, expected_binary_score(rule, p, grid))
        low, high = best_report(rule, p, grid)
        if high > low:
            ax.axvspan(low, high, color="tab:green", alpha=0.25, label=f"best q in [{low:.2f}, {high:.2f}]")
        else:
            ax.axvline(low, color="tab:green", label=f"best q = {low:.2f}")
        ax.axvline(p, color="black", ls="--", lw=1, label=f"true p = {p:.2f}")
        ax.set(title=rule, xlabel="reported probability q")
        ax.legend(fontsize=7)
    axes[0].set_ylabel("expected loss")
    fig.suptitle("A proper scoring rule is minimised by reporting the true probability (green: the best reports)",
                 fontsize=10)
    fig.tight_layout()
    return fig


def scoring_rules_figure() -> plt.Figure:
    """Figure q27-scoring-rules: expected log loss, Brier, absolute error and 0-1 loss at p = 0.7 (Q27)."""
    return plot_scoring_rules(0.7)


def scoring_rule_slider():
    """A slider for the true probability p that redraws the expected scores of the four rules (Q27)."""
    import ipywidgets as widgets
    from IPython.display import display

    out = widgets.Output()
    slider = widgets.FloatSlider(value=0.7, min=0.05, max=0.95, step=0.05, description="true p")

    def redraw(_=None):
        with out:
            out.clear_output(wait=True)
            fig = plot_scoring_rules(slider.value)
            display(fig)
            plt.close(fig)

    slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([slider, out])
