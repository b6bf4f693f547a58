"""Q26: split conformal regression and classification equal MAPIE; coverage >= 1 - alpha; CQR per subgroup."""

import numpy as np
import pytest
import statsmodels.api as sm
from mapie.classification import SplitConformalClassifier
from mapie.regression import ConformalizedQuantileRegressor, SplitConformalRegressor
from sklearn.linear_model import LogisticRegression

from mlqa.evaluation import (
    conformal_quantile,
    conformalized_quantile_regression,
    coverage_over_random_splits,
    fit_mean_and_quantile_models,
    heteroscedastic_experiment,
    line_fit_intervals,
    line_interval_coverage,
    split_conformal_classification,
    split_conformal_regression,
)
from mlqa.evaluation.data import heteroscedastic_regression, overlapping_classes


@pytest.fixture(scope="module")
def regression_setup():
    X, y = heteroscedastic_regression(3000, seed=0)
    models = fit_mean_and_quantile_models(X[:1000], y[:1000], alpha=0.1)
    return X, y, models


@pytest.fixture(scope="module")
def classification_setup():
    X, y = overlapping_classes(3000, seed=0)
    return X, y, LogisticRegression().fit(X[:1000], y[:1000])


def test_conformal_quantile_is_an_order_statistic():
    scores = np.arange(1.0, 20.0)  # 19 scores: rank ceil(20 * 0.9) = 18
    assert conformal_quantile(scores, 0.1) == 18.0
    assert conformal_quantile(scores, 0.01) == np.inf  # rank 20 > 19 scores


@pytest.mark.parametrize("alpha", [0.05, 0.1, 0.2])
def test_regression_intervals_equal_mapie(regression_setup, alpha):
    X, y, models = regression_setup
    lower, upper = split_conformal_regression(models["mean"], X[1000:1500], y[1000:1500], X[1500:], alpha)
    mapie = SplitConformalRegressor(models["mean"], confidence_level=1 - alpha, prefit=True)
    _, bounds = mapie.conformalize(X[1000:1500], y[1000:1500]).predict_interval(X[1500:])
    np.testing.assert_allclose(lower, bounds[:, 0, 0], atol=1e-12)
    np.testing.assert_allclose(upper, bounds[:, 1, 0], atol=1e-12)


def test_cqr_equals_mapie_symmetric_correction(regression_setup):
    X, y, models = regression_setup
    lower, upper = conformalized_quantile_regression(models["lower"], models["upper"], X[1000:1500], y[1000:1500],
                                                     X[1500:], 0.1)
    mapie = ConformalizedQuantileRegressor([models["lower"], models["upper"], models["mean"]], confidence_level=0.9,
                                           prefit=True)
    _, bounds = mapie.conformalize(X[1000:1500], y[1000:1500]).predict_interval(X[1500:], symmetric_correction=True)
    np.testing.assert_allclose(np.c_[lower, upper], bounds[:, :, 0], atol=1e-12)


@pytest.mark.parametrize("alpha", [0.05, 0.1, 0.2])
def test_classification_sets_equal_mapie(classification_setup, alpha):
    X, y, model = classification_setup
    sets = split_conformal_classification(model, X[1000:1500], y[1000:1500], X[1500:], alpha)
    mapie = SplitConformalClassifier(model, confidence_level=1 - alpha, prefit=True)
    _, mapie_sets = mapie.conformalize(X[1000:1500], y[1000:1500]).predict_set(X[1500:])
    assert sets.shape == (1500, 5)
    assert np.array_equal(sets, mapie_sets[:, :, 0])  # MAPIE adds a 1e-8 tolerance; no score lies that close


def test_coverage_at_least_one_minus_alpha_over_random_splits(regression_setup, classification_setup):
    X, y, models = regression_setup
    residuals = np.abs(y[1000:] - models["mean"].predict(X[1000:]))
    X_c, y_c, classifier = classification_setup
    lac_scores = 1 - classifier.predict_proba(X_c[1000:])[np.arange(2000), y_c[1000:]]
    for scores in (residuals, lac_scores):
        coverages = coverage_over_random_splits(scores, n_cal=200, alpha=0.1, n_splits=1000)
        # guarantee: 0.9 <= E[coverage] <= 0.9 + 1/(n_cal + 1); 1000 splits leave a Monte Carlo error of ~0.0006
        assert 0.9 - 0.002 <= coverages.mean() <= 0.9 + 1 / 201 + 0.002


def test_cqr_repairs_subgroup_coverage():
    results = heteroscedastic_experiment(alpha=0.1, seed=0)
    split, cqr = results["split conformal"], results["CQR"]
    assert split["coverage, low noise"] > 0.97 and split["coverage, high noise"] < 0.85
    for group in ("low noise", "high noise"):
        assert abs(cqr[f"coverage, {group}"] - 0.9) < 0.04
    assert cqr["width, low noise"] < 0.6 * split["width, low noise"]


def test_line_intervals_equal_statsmodels_and_cover():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 2, 40)
    y = 1 + 2 * x + rng.normal(size=40)
    grid = np.linspace(0, 2, 7)
    ours = line_fit_intervals(x, y, grid)
    frame = sm.OLS(y, sm.add_constant(x)).fit().get_prediction(sm.add_constant(grid)).summary_frame(alpha=0.05)
    for key, column in (("ci_lower", "mean_ci_lower"), ("ci_upper", "mean_ci_upper"), ("pi_lower", "obs_ci_lower"),
                        ("pi_upper", "obs_ci_upper")):
        np.testing.assert_allclose(ours[key], frame[column], atol=1e-10)
    shares = line_interval_coverage(n_repetitions=1000)
    assert abs(shares["CI holds the true mean"] - 0.95) < 0.02 and abs(shares["PI holds a new label"] - 0.95) < 0.02
    assert shares["CI holds a new label"] < 0.5


def test_bad_input_raises(classification_setup):
    X, y, model = classification_setup
    with pytest.raises(ValueError, match="alpha"):
        conformal_quantile(np.ones(5), 1.5)
    with pytest.raises(ValueError, match="rows"):
        split_conformal_classification(model, X[:10], y[:9], X[:3], 0.1)
    with pytest.raises(ValueError, match="not among"):
        split_conformal_classification(model, X[:2], np.array([0, 7]), X[:3], 0.1)
