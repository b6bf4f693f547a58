"""Q23: shifts keep what they should, the tests match scipy, the corrections recover accuracy."""

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import roc_auc_score

from mlqa.production.drift_tests import domain_classifier_test, median_bandwidth, mmd2, mmd_test
from mlqa.production.shift_correction import effective_sample_size, em_target_priors, reweight_probs
from mlqa.production.shift_experiments import (
    concept_drift_needs_labels,
    covariate_correction,
    detection_rates,
    label_correction,
)
from mlqa.production.shifts import draw


def test_concept_drift_keeps_the_inputs_and_changes_the_labels():
    source, drifted = draw("none", 300, seed=5), draw("concept", 300, seed=5)
    assert np.array_equal(source.X, drifted.X)
    assert drifted.y.mean() < source.y.mean() - 0.1


def test_bad_input_names_the_values():
    with pytest.raises(ValueError, match="kind"):
        draw("gradual", 10)
    with pytest.raises(ValueError, match=r"\(5, 2\).*\(5, 3\)"):
        mmd_test(np.zeros((5, 2)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match="shape"):
        effective_sample_size(np.array([[1.0]]))


def test_mmd_permutation_p_value_matches_scipy():
    """Same statistic through scipy.stats.permutation_test: p-values within 3 Monte-Carlo standard errors."""
    X, Y = draw("none", 120, seed=1).X, draw("covariate", 120, seed=2, strength=0.15).X
    Z = np.concatenate([X, Y])
    bandwidth = median_bandwidth(Z)
    ours = mmd_test(X, Y, n_permutations=2000, seed=0)
    theirs = stats.permutation_test((np.arange(120), np.arange(120, 240)),
                                    lambda i, j: mmd2(Z[i], Z[j], bandwidth), permutation_type="independent",
                                    n_resamples=2000, alternative="greater", random_state=0, vectorized=False)
    assert ours.statistic == pytest.approx(theirs.statistic, rel=1e-10)
    p = theirs.pvalue
    assert 0.005 < p < 0.995, "a case where the p-value is not at its floor"
    assert abs(ours.p_value - p) < 3 * np.sqrt(2 * p * (1 - p) / 2000) + 1e-3


def test_domain_classifier_auc_equals_mann_whitney_u():
    result = domain_classifier_test(draw("none", 200, seed=1).X, draw("domain", 200, seed=2, strength=0.5).X)
    scores, labels = result.details["scores"], result.details["is_target"]
    u = stats.mannwhitneyu(scores[labels == 1], scores[labels == 0]).statistic
    assert result.statistic == pytest.approx(roc_auc_score(labels, scores), abs=1e-12)
    assert result.statistic == pytest.approx(u / ((labels == 1).sum() * (labels == 0).sum()), abs=1e-12)


def test_em_recovers_a_known_prior_from_exact_posteriors():
    rng = np.random.default_rng(0)
    y = (rng.random(20000) < 0.2).astype(int)
    x = rng.normal(np.where(y == 1, 1.0, -1.0), 1.0)
    odds_source = np.exp(2 * x)  # exact posterior under a 50/50 source with the same class conditionals
    probs = np.c_[1 / (1 + odds_source), odds_source / (1 + odds_source)]
    priors = em_target_priors(probs, np.array([0.5, 0.5]))
    assert priors[1] == pytest.approx(0.2, abs=0.01)
    assert np.allclose(reweight_probs(probs, [0.5, 0.5], [0.5, 0.5]), probs)


@pytest.mark.slow
def test_detection_rates_and_false_alarms():
    rates = detection_rates(kinds=("none", "covariate", "concept"), n_draws=20, progress=False)
    for test in rates["none"]:
        assert rates["none"][test] <= 0.2
        assert rates["covariate"][test] >= 0.9
        assert rates["concept"][test] == rates["none"][test], "concept drift leaves the inputs unchanged"


def test_corrections_recover_accuracy():
    covariate = covariate_correction(seed=0)
    assert covariate["importance weighted"] > covariate["source model"] + 0.08
    label = label_correction(seed=0)
    assert label["EM corrected"] > label["source model"] + 0.02
    assert abs(label["EM estimate"] - label["target share of class 1"]) < 0.05
    concept = concept_drift_needs_labels(seed=0)
    assert concept["retrained on 100 new labels"] > concept["importance weighted"] + 0.08
