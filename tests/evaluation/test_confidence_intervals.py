"""Q25: interval methods equal mlxtend and statsmodels; coverage where the true accuracy is known."""

import numpy as np
import pytest
from mlxtend.evaluate import bootstrap_point632_score
from sklearn.metrics import accuracy_score
from statsmodels.stats.proportion import proportion_confint

from mlqa.evaluation import (
    INTERVAL_METHODS,
    RandomFeatureClassifier,
    all_intervals,
    bootstrap_test_set_interval,
    bootstrap_training_scores,
    coverage,
    interval_coverage,
    normal_approximation_interval,
    normal_interval_exact_coverage,
)
from mlqa.evaluation.data import noisy_circle


@pytest.mark.parametrize("method", ["oob", ".632", ".632+"])
def test_bootstrap_scores_equal_mlxtend(method):
    X, y = noisy_circle(150, seed=3)
    ours = bootstrap_training_scores(RandomFeatureClassifier(), X, y, n_rounds=50, seed=7)[method]
    # mlxtend refits the estimator per round; we fit all rounds at once as weighted ridge problems
    reference = bootstrap_point632_score(RandomFeatureClassifier(), X, y, n_splits=50, method=method, random_seed=7,
                                         scoring_func=accuracy_score)
    np.testing.assert_allclose(ours, reference, atol=1e-12)


def test_normal_interval_equals_statsmodels():
    lower, upper = normal_approximation_interval(0.86, 100)
    reference = proportion_confint(86, 100, alpha=0.05, method="normal")
    np.testing.assert_allclose([lower, upper], reference, atol=1e-12)


def test_normal_interval_exact_coverage_undercovers_small_test_sets():
    assert normal_interval_exact_coverage(0.86, 10) < 0.85
    assert abs(normal_interval_exact_coverage(0.86, 2000) - 0.95) < 0.01


def test_every_interval_brackets_its_estimate():
    X, y = noisy_circle(300, seed=0)
    intervals = all_intervals(X[:200], y[:200], X[200:], y[200:], n_rounds=50, n_seeds=4)
    assert list(intervals) == list(INTERVAL_METHODS)
    for lower, upper in intervals.values():
        assert 0.5 < lower < upper < 1.0
    correct = np.ones(40, dtype=bool)
    assert bootstrap_test_set_interval(correct) == (1.0, 1.0)


@pytest.mark.slow
def test_coverage_of_each_method():
    records = interval_coverage(n_repetitions=100, progress=False)
    shares = {method: coverage(rows) for method, rows in records.items()}
    # 100 repetitions: binomial standard error about 0.022 at 0.95
    for method in ("normal approximation", "bootstrap test set", "bootstrap oob"):
        assert 0.89 <= shares[method] <= 1.0, (method, shares[method])
    assert shares["retraining seeds"] < 0.7, "seed variance alone leaves out the test-set sampling noise"


def test_bad_input_raises():
    with pytest.raises(ValueError, match="confidence"):
        normal_approximation_interval(0.9, 100, confidence=1.5)
    with pytest.raises(ValueError, match="binary"):
        RandomFeatureClassifier().fit(np.zeros((3, 2)), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="n_rounds"):
        bootstrap_training_scores(RandomFeatureClassifier(), np.zeros((3, 2)), np.array([0, 1, 1]), n_rounds=0)
