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


def plot_intervals(intervals: dict[str, tuple[float, float]], truth: float | None = None, title: str = "") -> Figure:
    """Every method's interval as a horizontal bar, with the true value as a dashed line (Q25)."""
    use_style()
    fig, ax = plt.subplots()
    for i, (lower, upper) in enumerate(intervals.values()):
        ax.plot([lower, upper], [i, i], lw=5, solid_capstyle="butt", alpha=0.7)
    if truth is not None:
        ax.axvline(truth, color="black", ls="--", label="true accuracy (huge held-out set)")
        ax.legend(loc="lower right")
    ax.set_yticks(range(len(intervals)), list(intervals))
    ax.invert_yaxis()
    ax.set(xlabel="accuracy", title=title)
    return fig


def plot_coverage(records: dict[str, np.ndarray], confidence: float = 0.95) -> Figure:
    """Coverage of each method's interval over repetitions, with the binomial ±2 standard-error band (Q25)."""
    from mlqa.evaluation.confidence_intervals import coverage

    use_style()
    fig, ax = plt.subplots()
    names = list(records)
    shares = [coverage(records[name]) for name in names]
    n = len(next(iter(records.values())))
    band = 2 * np.sqrt(confidence * (1 - confidence) / n)
    ax.axhspan(confidence - band, confidence + band, color="gray", alpha=0.2, label=f"±2 s.e. of {n} repetitions")
    ax.axhline(confidence, color="black", ls="--", label=f"nominal {confidence:.0%}")
    ax.bar(names, shares, color=["tab:red" if s < confidence - band else "tab:blue" for s in shares], alpha=0.7)
    ax.set(ylabel="coverage of the true accuracy", ylim=(0, 1.05), title="How often each 95 % interval holds the truth")
    ax.tick_params(axis="x", rotation=30)
    ax.legend(loc="lower left")
    return fig


def coverage_figure() -> Figure:
    """Coverage of the six interval methods over 100 simulated repetitions (Q25)."""
    from mlqa.evaluation.confidence_intervals import interval_coverage

    return plot_coverage(interval_coverage(n_repetitions=100, progress=False))


def intervals_figure(n_test: int = 100, seed: int = 0) -> Figure:
    """All six intervals for one model and one split, against the true accuracy (Q25)."""
    from mlqa.evaluation.confidence_intervals import RandomFeatureClassifier, all_intervals
    from mlqa.evaluation.data import noisy_circle

    X, y = noisy_circle(200 + n_test, seed=seed)
    X_truth, y_truth = noisy_circle(50_000, seed=10**6)
    truth = (RandomFeatureClassifier().fit(X[:200], y[:200]).predict(X_truth) == y_truth).mean()
    intervals = all_intervals(X[:200], y[:200], X[200:], y[200:])
    return plot_intervals(intervals, truth, f"95 % intervals for one model: 200 training, {n_test} test samples")


def intervals_widget(seed: int = 0):
    """Slider over the test-set size: every method's interval for the same model (Q25)."""
    from ipywidgets import IntSlider, interact

    def show(n_test: int = 100) -> None:
        intervals_figure(n_test, seed)
        plt.show()

    return interact(show, n_test=IntSlider(value=100, min=20, max=2000, step=20, description="test size"))


def ci_vs_pi_figure(n: int = 50, seed: int = 0) -> Figure:
    """A fitted line with the confidence band of its mean and the wider prediction band of new labels (Q26)."""
    from mlqa.evaluation.confidence_intervals import line_fit_intervals

    use_style()
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 2, n)
    y = 1 + 2 * x + rng.normal(size=n)
    grid = np.linspace(0, 2, 100)
    bands = line_fit_intervals(x, y, grid)
    fig, ax = plt.subplots()
    ax.scatter(x, y, s=12, color="gray", alpha=0.6, label="data")
    ax.fill_between(grid, bands["pi_lower"], bands["pi_upper"], alpha=0.2, label="95 % prediction interval (new y)")
    ax.fill_between(grid, bands["ci_lower"], bands["ci_upper"], alpha=0.5, label="95 % confidence interval (mean)")
    ax.plot(grid, bands["mean"], color="black", label="fitted line")
    ax.plot(grid, 1 + 2 * grid, color="black", ls="--", lw=1, label="true mean")
    ax.set(xlabel="x", ylabel="y", title=f"Confidence vs prediction interval, n = {n}")
    ax.legend(loc="upper left")
    return fig


def plot_conformal_bands(alpha: float = 0.1, seed: int = 0) -> Figure:
    """Split-conformal and CQR bands on heteroscedastic data, with test points outside each band marked (Q26)."""
    from mlqa.evaluation.conformal import (
        conformalized_quantile_regression,
        fit_mean_and_quantile_models,
        split_conformal_regression,
    )
    from mlqa.evaluation.data import heteroscedastic_regression

    use_style()
    X, y = heteroscedastic_regression(2000, seed=seed)
    models = fit_mean_and_quantile_models(X[:1000], y[:1000], alpha, seed)
    grid = np.linspace(0, 5, 200)[:, None]
    bands = {
        "split conformal": split_conformal_regression(models["mean"], X[1000:1500], y[1000:1500], grid, alpha),
        "CQR": conformalized_quantile_regression(models["lower"], models["upper"], X[1000:1500], y[1000:1500], grid,
                                                 alpha),
    }
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
    for ax, (name, (lower, upper)) in zip(axes, bands.items()):
        x_test, y_test = X[1500:, 0], y[1500:]
        inside = (np.interp(x_test, grid[:, 0], lower) <= y_test) & (y_test <= np.interp(x_test, grid[:, 0], upper))
        ax.fill_between(grid[:, 0], lower, upper, alpha=0.3, label=f"{1 - alpha:.0%} band")
        ax.scatter(x_test[inside], y_test[inside], s=6, color="gray", alpha=0.5)
        ax.scatter(x_test[~inside], y_test[~inside], s=8, color="tab:red", label="outside")
        ax.axvline(2.5, color="black", lw=0.8, ls=":")
        for lo, hi, group in ((0, 2.5, "low noise"), (2.5, 5, "high noise")):
            mask = (x_test >= lo) & (x_test < hi)
            ax.text((lo + hi) / 2, -5.2, f"{group}: {inside[mask].mean():.0%}", ha="center")
        ax.set(xlabel="x", title=name, ylim=(-6, 7))
        ax.legend(loc="upper right")
    axes[0].set_ylabel("y")
    return fig


def conformal_bands_figure() -> Figure:
    """Split conformal against conformalised quantile regression at alpha = 0.1 (Q26)."""
    return plot_conformal_bands(0.1)


def conformal_bands_widget(seed: int = 0):
    """Slider over alpha: both conformal bands and their coverage in each noise group (Q26)."""
    from ipywidgets import FloatSlider, interact

    def show(alpha: float = 0.1) -> None:
        plot_conformal_bands(alpha, seed)
        plt.show()

    return interact(show, alpha=FloatSlider(value=0.1, min=0.02, max=0.5, step=0.02, description="alpha"))
