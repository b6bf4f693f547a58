"""Q27: distances and scoring rules match scipy and scikit-learn; the axioms and propriety checks can fail."""

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon
from scipy.stats import entropy
from sklearn.metrics import brier_score_loss, log_loss, mean_absolute_error, mean_squared_error

from mlqa.evaluation import (
    best_report,
    check_axioms,
    cross_entropy,
    expected_binary_score,
    find_triangle_violation,
    js_distance,
    kl_divergence,
    mae,
    mse,
    random_points,
    rmse,
)
from mlqa.evaluation.proper_metrics import brier_of, log_loss_of

DISTRIBUTIONS = random_points("distributions", 50, dim=5, seed=1)


def test_kl_cross_entropy_and_js_match_scipy():
    # Tolerance 1e-12: the same sums in another order.
    for p, q in zip(DISTRIBUTIONS[:-1], DISTRIBUTIONS[1:]):
        assert kl_divergence(p, q) == pytest.approx(entropy(p, q), abs=1e-12)
        assert cross_entropy(p, q) == pytest.approx(entropy(p) + entropy(p, q), abs=1e-12)
        assert js_distance(p, q) == pytest.approx(jensenshannon(p, q), abs=1e-12)


def test_vector_errors_match_scikit_learn():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=20), rng.normal(size=20)
    assert mse(a, b) == pytest.approx(mean_squared_error(a, b), rel=1e-12)
    assert rmse(a, b) == pytest.approx(np.sqrt(mean_squared_error(a, b)), rel=1e-12)
    assert mae(a, b) == pytest.approx(mean_absolute_error(a, b), rel=1e-12)


def test_per_outcome_losses_average_to_scikit_learn():
    rng = np.random.default_rng(0)
    y, q = rng.integers(0, 2, 200), rng.uniform(0.01, 0.99, 200)
    assert log_loss_of(y, q).mean() == pytest.approx(log_loss(y, q), rel=1e-12)
    assert brier_of(y, q).mean() == pytest.approx(brier_score_loss(y, q), rel=1e-12)


def test_expected_score_matches_a_monte_carlo_average_with_scikit_learn():
    rng = np.random.default_rng(0)
    y = (rng.random(200_000) < 0.3).astype(int)
    # Tolerance 0.01: the sampling error of 200,000 draws is about 0.002 for both.
    assert expected_binary_score("log loss", 0.3, 0.6) == pytest.approx(log_loss(y, np.full(y.size, 0.6)), abs=0.01)
    assert expected_binary_score("Brier score", 0.3, 0.6) == pytest.approx(
        brier_score_loss(y, np.full(y.size, 0.6)), abs=0.01)


def test_axioms_tell_metrics_from_non_metrics():
    vectors, dists = random_points("vectors", 500, seed=0), random_points("distributions", 500, seed=0)
    assert check_axioms("RMSE", rmse, vectors).is_metric and check_axioms("JS", js_distance, dists).is_metric
    assert check_axioms("MSE", mse, vectors).triangle_violations > 0
    assert check_axioms("KL", kl_divergence, dists).asymmetric > 400
    assert check_axioms("CE", cross_entropy, dists).nonzero_self_distance == 498


def test_mse_counterexample_is_real_and_rmse_has_none():
    found = find_triangle_violation(mse)
    assert found is not None and found.d_xz > found.d_xy + found.d_yz
    assert mse(found.x, found.z) == found.d_xz
    assert find_triangle_violation(rmse) is None


def test_log_loss_and_brier_are_proper_the_others_are_not():
    grid = np.linspace(0, 1, 101)
    for p in (0.2, 0.5, 0.9):
        for rule in ("log loss", "Brier score"):
            assert best_report(rule, p, grid) == pytest.approx((p, p), abs=1e-9)
    assert best_report("absolute error", 0.7, grid) == (1.0, 1.0)
    assert best_report("1 - accuracy (q >= 0.5)", 0.7, grid) == (0.5, 1.0)


@pytest.mark.parametrize("call, message", [
    (lambda: mse(np.zeros(3), np.zeros(4)), r"\(3,\) and \(4,\)"),
    (lambda: kl_divergence(np.array([0.5, 0.6]), np.array([0.5, 0.5])), "sum 1.1"),
    (lambda: expected_binary_score("hinge", 0.5, 0.5), "unknown rule 'hinge'"),
    (lambda: expected_binary_score("log loss", 1.5, 0.5), "got 1.5"),
    (lambda: random_points("matrices", 10), "got 'matrices'"),
    (lambda: check_axioms("x", mse, np.zeros((2, 3))), r"shape \(2, 3\)"),
])
def test_bad_input_names_the_values(call, message):
    with pytest.raises(ValueError, match=message):
        call()
