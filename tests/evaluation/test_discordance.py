"""Q29: adversarial validation tells shifted splits from i.i.d. ones, agrees with scikit-learn, names the drift."""

import numpy as np
import pytest
from sklearn.model_selection import StratifiedKFold, permutation_test_score

from mlqa.evaluation import (
    adversarial_auc,
    adversarial_permutation_test,
    compare_remedies,
    drift_importance,
    drifted_split,
    importance_weights,
    ks_drift_pvalues,
)
from mlqa.evaluation.discordance import adversarial_classifier

IID, SHIFTED = drifted_split(600, 300, shifted=False, seed=0), drifted_split(600, 300, seed=0)


def test_auc_is_chance_for_iid_and_high_for_shifted():
    assert abs(adversarial_auc(IID.X_train, IID.X_test) - 0.5) < 0.06
    assert adversarial_auc(SHIFTED.X_train, SHIFTED.X_test) > 0.75


def test_permutation_test_agrees_with_scikit_learn():
    ours = adversarial_permutation_test(SHIFTED.X_train, SHIFTED.X_test, n_permutations=10, folds=3)
    X = np.vstack([SHIFTED.X_train, SHIFTED.X_test])
    is_test = np.r_[np.zeros(600, int), np.ones(300, int)]
    score, _, p_value = permutation_test_score(adversarial_classifier(), X, is_test, scoring="roc_auc",
                                               cv=StratifiedKFold(3, shuffle=True, random_state=0),
                                               n_permutations=10, random_state=0)
    # scikit-learn averages per-fold AUCs, we pool out-of-fold scores: tolerance 0.03 for that difference.
    assert ours.auc == pytest.approx(score, abs=0.03)
    assert ours.p_value == p_value == pytest.approx(1 / 11)
    assert ours.null_aucs.max() < 0.6


def test_drift_importance_and_ks_name_the_drifting_features():
    importance = drift_importance(SHIFTED.X_train, SHIFTED.X_test, SHIFTED.feature_names)
    top_two = sorted(importance, key=importance.get, reverse=True)[:2]
    assert set(top_two) == set(SHIFTED.drifting) == {"age", "clicks"}
    ks = ks_drift_pvalues(SHIFTED.X_train, SHIFTED.X_test, SHIFTED.feature_names)
    assert {name for name, p in ks.items() if p < 0.01} == {"age", "clicks"}


def test_importance_weights_are_the_clipped_odds_with_mean_one():
    weights = importance_weights(np.array([0.5, 0.2, 0.999]), n_train=2, n_test=1, clip=5.0)
    odds = np.array([2.0, 0.5, 5.0])  # p / (1 - p) * 2, the last clipped at 5
    assert np.allclose(weights, odds / odds.mean())


def test_dropping_the_shortcut_helps_and_dropping_age_hurts():
    result = compare_remedies(SHIFTED)
    assert result.flagged == ("age", "clicks")
    accuracy = result.accuracy
    assert accuracy["drop clicks only"] > accuracy["no remedy"] + 0.1
    assert accuracy["drop age only"] < accuracy["no remedy"] - 0.05
    assert set(result.chosen) == {"random validation rows", "most test-like validation rows"}


@pytest.mark.parametrize("call, message", [
    (lambda: adversarial_auc(np.zeros((5, 2)), np.zeros((5, 3))), r"\(5, 2\) and \(5, 3\)"),
    (lambda: importance_weights(np.array([1.5]), 1, 1), "probabilities"),
    (lambda: drifted_split(5, 100), "got 5 and 100"),
    (lambda: adversarial_permutation_test(IID.X_train, IID.X_test, n_permutations=0), "got 0"),
    (lambda: compare_remedies(IID, validation_share=1.0), "got 1.0"),
    (lambda: ks_drift_pvalues(IID.X_train, IID.X_test, ("a",)), "1 names for 5 features"),
])
def test_bad_input_names_the_values(call, message):
    with pytest.raises(ValueError, match=message):
        call()
