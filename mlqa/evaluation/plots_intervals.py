"""Figures and interactive views for Q24-Q26: counts, ordinal errors, interval coverage, conformal bands."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from scipy import stats
from sklearn.linear_model import LinearRegression

from mlqa.evaluation.data import poisson_counts
from mlqa.evaluation.ordinal import compare_ordinal_methods
from mlqa.evaluation.poisson import PoissonRegressor
from mlqa.utils import use_style


def _one_feature_fits(seed: int = 0) -> tuple[np.ndarray, np.ndarray, PoissonRegressor, LinearRegression]:
    X, y = poisson_counts(200, n_features=1, seed=seed)
    return X, y, PoissonRegressor(alpha=0.0).fit(X, y), LinearRegression().fit(X, y)


def poisson_vs_least_squares_figure(seed: int = 0) -> Figure:
    """Counts against one feature with the Poisson and the least-squares fit; the line goes below zero (Q24)."""
    use_style()
    X, y, poisson, least_squares = _one_feature_fits(seed)
    grid = np.linspace(X.min(), X.max(), 200)[:, None]
    fig, ax = plt.subplots()
    ax.scatter(X[:, 0], y, s=10, alpha=0.4, color="gray", label="observed counts")
    ax.plot(grid[:, 0], poisson.predict(grid), label="Poisson regression (log link)")
    ax.plot(grid[:, 0], least_squares.predict(grid), label="least squares")
    ax.axhline(0, color="black", lw=0.8)
    ax.fill_between(grid[:, 0], least_squares.predict(grid), 0, where=least_squares.predict(grid) < 0,
                    color="tab:red", alpha=0.3, label="negative predicted count")
    ax.set(xlabel="feature x", ylabel="count y", title="Count data: a log link stays positive and curves")
    ax.legend()
    return fig


def plot_method_errors(errors: dict[str, np.ndarray], title: str, ylabel: str = "test mean absolute error") -> Figure:
    """Bars of each method's mean error over seeds with every seed drawn as a dot (Q24)."""
    use_style()
    fig, ax = plt.subplots()
    names = list(errors)
    means = [errors[name].mean() for name in names]
    ax.bar(names, means, color=["tab:blue" if m == min(means) else "tab:gray" for m in means], alpha=0.7)
    for i, name in enumerate(names):
        ax.scatter(np.full(len(errors[name]), i), errors[name], color="black", s=12, zorder=3)
    ax.set(ylabel=ylabel, title=title, ylim=(0.9 * min(min(e) for e in errors.values()), None))
    return fig


def ordinal_errors_figure() -> Figure:
    """Mean absolute error of CORAL, CORN, binary tasks, multiclass and regression on ordinal labels (Q24)."""
    return plot_method_errors(compare_ordinal_methods(), "Ordinal labels (7 levels): error per method, 3 seeds")


def poisson_prediction_widget(seed: int = 0):
    """Slider over the feature: the Poisson model's count distribution beside the least-squares prediction (Q24)."""
    from ipywidgets import FloatSlider, interact

    X, y, poisson, least_squares = _one_feature_fits(seed)

    def show(x: float = 0.0) -> None:
        use_style()
        mean = float(poisson.predict(np.array([[x]]))[0])
        line = float(least_squares.predict(np.array([[x]]))[0])
        counts = np.arange(0, 16)
        fig, ax = plt.subplots()
        ax.bar(counts, stats.poisson.pmf(counts, mean), alpha=0.6, label=f"Poisson P(y | x), mean {mean:.2f}")
        ax.axvline(line, color="tab:red", label=f"least-squares prediction {line:.2f}")
        ax.set(xlabel="count y", ylabel="probability", xlim=(-4, 15.5), title=f"x = {x:.1f}")
        ax.legend()
        plt.show()

    return interact(show, x=FloatSlider(value=-2.0, min=-3.0, max=3.0, step=0.25, description="feature x"))
