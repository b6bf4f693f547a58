"""Figures for proper metrics (Q27), k-fold cross-validation (Q28) and train/test discordance (Q29)."""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np

from mlqa.evaluation.cross_validation import BudgetChoice, KFoldStudy, choose_k, kfold_study
from mlqa.evaluation.discordance import (
    PermutationTest,
    RemedyResult,
    adversarial_auc,
    adversarial_permutation_test,
    compare_remedies,
    drift_importance,
)
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


def _redrawing(draw: Callable[..., plt.Figure], **controls):
    """The controls above an output that `draw(**values)` redraws whenever one of them moves (Q27-Q29)."""
    import ipywidgets as widgets
    from IPython.display import display

    out = widgets.Output()

    def redraw(_=None):
        with out:
            out.clear_output(wait=True)
            fig = draw(**{name: control.value for name, control in controls.items()})
            display(fig)
            plt.close(fig)

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox(list(controls.values())), out])


def scoring_rules_figure() -> plt.Figure:
    """Figure q27-scoring-rules: expected log loss, Brier, absolute error and 0-1 loss at p = 0.7 (Q27)."""
    return plot_scoring_rules(0.7)


def scoring_rule_slider():
    """A slider for the true probability p that redraws the expected scores of the four rules (Q27)."""
    import ipywidgets as widgets

    return _redrawing(plot_scoring_rules, p=widgets.FloatSlider(value=0.7, min=0.05, max=0.95, step=0.05,
                                                               description="true p"))


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

    from mlqa.evaluation.simulation import linear_task

    task = linear_task(n_features=10)

    def draw(n_samples: int, budget: int) -> plt.Figure:
        return plot_budget_choices({n_samples: choose_k(task, n_samples, budget, n_datasets=200)}, budget)

    return _redrawing(draw, n_samples=widgets.IntSlider(value=40, min=20, max=200, step=10, description="rows n"),
                      budget=widgets.IntSlider(value=20, min=2, max=60, step=2, description="budget (fits)"))


def plot_adversarial_validation(tests: dict[str, PermutationTest], importance: dict[str, float],
                                results: list[RemedyResult]) -> plt.Figure:
    """Adversarial AUC against its permutation null, drift importance per feature, remedies' test accuracy (Q29)."""
    use_style()
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.4))
    for (name, test), color in zip(tests.items(), ("tab:blue", "tab:red")):
        axes[0].hist(test.null_aucs, bins=10, alpha=0.4, color=color, label=f"{name}: shuffled labels")
        axes[0].axvline(test.auc, color=color, lw=2, label=f"{name}: AUC {test.auc:.2f}, p = {test.p_value:.2f}")
    axes[0].set(title="adversarial AUC vs permutation null", xlabel="AUC", ylabel="count")
    axes[0].legend(fontsize=7)
    axes[1].barh(list(importance), list(importance.values()), color="tab:red")
    axes[1].invert_yaxis()
    axes[1].set(title="drift importance (shifted split)", xlabel="drop in adversarial AUC when shuffled")
    remedies = list(results[0].accuracy)
    values = np.array([[r.accuracy[name] for name in remedies] for r in results])
    axes[2].barh(remedies, values.mean(axis=0), xerr=values.std(axis=0), color="tab:green")
    axes[2].invert_yaxis()
    axes[2].set(title=f"test accuracy, mean ± std over {len(results)} seeds", xlabel="accuracy", xlim=(0.4, 1.0))
    fig.tight_layout()
    return fig


def adversarial_validation_figure() -> plt.Figure:
    """Figure q29-adversarial-validation: AUCs with permutation tests, drift importance, remedies (Q29)."""
    from mlqa.evaluation.simulation import drifted_split

    splits = {"i.i.d.": drifted_split(shifted=False, seed=0), "shifted": drifted_split(shifted=True, seed=0)}
    tests = {name: adversarial_permutation_test(s.X_train, s.X_test) for name, s in splits.items()}
    shifted = splits["shifted"]
    importance = drift_importance(shifted.X_train, shifted.X_test, shifted.feature_names)
    results = [compare_remedies(drifted_split(seed=seed), seed=seed) for seed in range(3)]
    return plot_adversarial_validation(tests, importance, results)


def plot_shift_effect(age_shift: float, seed: int = 0) -> plt.Figure:
    """Adversarial AUC and each remedy's test accuracy for one size of the age shift (Q29)."""
    from mlqa.evaluation.simulation import drifted_split

    use_style()
    split = drifted_split(age_shift=age_shift, seed=seed)
    auc = adversarial_auc(split.X_train, split.X_test, seed=seed)
    result = compare_remedies(split, seed=seed)
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.barh(list(result.accuracy), list(result.accuracy.values()), color="tab:green")
    ax.invert_yaxis()
    ax.set(xlim=(0.4, 1.0), xlabel="test accuracy",
           title=f"age shift {age_shift:.1f}: adversarial AUC {auc:.2f}, flagged {', '.join(result.flagged) or 'none'}")
    fig.tight_layout()
    return fig


def shift_slider():
    """A slider for the size of the age shift that redraws the adversarial AUC and the remedies (Q29)."""
    import ipywidgets as widgets

    return _redrawing(plot_shift_effect, age_shift=widgets.FloatSlider(value=1.0, min=0.0, max=2.0, step=0.25,
                                                                      description="age shift"))
