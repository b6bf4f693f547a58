"""Figures for proper metrics (Q27), k-fold cross-validation (Q28) and train/test discordance (Q29)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from mlqa.evaluation.cross_validation import BudgetChoice, KFoldStudy, choose_k, kfold_study
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


def plot_kfold_studies(studies: list[KFoldStudy]) -> plt.Figure:
    """Bias, spread and cost of the k-fold estimate against k, one line per simulated seed (Q28)."""
    use_style()
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.3))
    for seed, study in enumerate(studies):
        ks = study.ks
        axes[0].plot(ks, [study.bias(k) for k in ks], marker="o", label=f"seed {seed}")
        axes[1].plot(ks, [study.std(k) for k in ks], marker="o", label=f"seed {seed}")
    study = studies[0]
    axes[2].plot(study.ks, [study.fits[k] for k in study.ks], marker="o", label="model fits")
    axes[2].plot(study.ks, [study.training_rows(k) / study.n_samples for k in study.ks], marker="s",
                 label="training rows / n")
    axes[0].axhline(0, color="black", lw=1)
    titles = ("bias: mean(estimate - true error)", "spread: std of the estimate", "cost")
    for ax, title in zip(axes, titles):
        ax.set_xscale("log")
        ax.set_xticks(study.ks, [study.label(k) for k in study.ks])
        ax.minorticks_off()
        ax.set(xlabel="k", title=title)
        ax.legend(fontsize=8)
    fig.suptitle(f"k-fold CV of ridge regression, n = {study.n_samples} rows, "
                 f"{len(study.true_error)} simulated data sets per seed", fontsize=10)
    fig.tight_layout()
    return fig


def kfold_figure() -> plt.Figure:
    """Figure q28-kfold-bias-variance: bias, spread and cost of k-fold CV for k = 2 ... LOO over 3 seeds (Q28)."""
    from mlqa.evaluation.simulation import linear_task

    task = linear_task(n_features=10)
    return plot_kfold_studies([kfold_study(task, n_samples=40, n_datasets=1000, seed=seed) for seed in range(3)])


def plot_budget_choices(choices_by_n: dict[int, list[BudgetChoice]], budget_fits: int) -> plt.Figure:
    """For each data-set size, the RMSE (estimate vs true error) of every (k, repeats) the budget allows (Q28)."""
    use_style()
    fig, axes = plt.subplots(1, len(choices_by_n), figsize=(4 * len(choices_by_n), 3.2), squeeze=False)
    for ax, (n, choices) in zip(axes[0], choices_by_n.items()):
        ordered = sorted(choices, key=lambda c: c.k)
        labels = [f"{'LOO' if c.k == n else c.k}x{c.repeats}" for c in ordered]
        best = min(ordered, key=lambda c: c.rmse)
        ax.bar(labels, [c.rmse for c in ordered],
               color=["tab:green" if c is best else "tab:blue" for c in ordered])
        ax.set(title=f"n = {n}", xlabel="k x repeats", ylabel="RMSE vs true error")
    fig.suptitle(f"Spending a budget of {budget_fits} fits (green: the most accurate estimate)", fontsize=10)
    fig.tight_layout()
    return fig


def budget_slider():
    """Sliders for the data-set size and the budget of fits that redraw the (k, repeats) comparison (Q28)."""
    import ipywidgets as widgets
    from IPython.display import display

    from mlqa.evaluation.simulation import linear_task

    task = linear_task(n_features=10)
    out = widgets.Output()
    n_samples = widgets.IntSlider(value=40, min=20, max=200, step=10, description="rows n")
    budget = widgets.IntSlider(value=20, min=2, max=60, step=2, description="budget (fits)")

    def redraw(_=None):
        with out:
            out.clear_output(wait=True)
            choices = choose_k(task, n_samples.value, budget.value, n_datasets=200)
            fig = plot_budget_choices({n_samples.value: choices}, budget.value)
            display(fig)
            plt.close(fig)

    for w in (n_samples, budget):
        w.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([n_samples, budget]), out])
