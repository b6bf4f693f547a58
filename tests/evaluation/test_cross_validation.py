"""Q28: the vectorised k-fold matches scikit-learn; the simulation's true error is exact; bias falls with k."""

import numpy as np
import pytest
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, LeaveOneOut, cross_val_score

from mlqa.evaluation import (
    choose_k,
    fold_indices,
    gaussian_class_task,
    kfold_mse,
    kfold_study,
    linear_task,
    majority_class_loo_accuracy,
    repeated_kfold_mse,
    ridge_fit,
)

TASK = linear_task(n_features=5, seed=0)


def _one_dataset(n=23, seed=0):
    X, y = TASK.sample(1, n, np.random.default_rng(seed))
    return X, y


def test_folds_match_scikit_learn_kfold():
    for n, k in ((23, 5), (10, 10), (40, 3)):
        ours = fold_indices(n, k)
        theirs = [test for _, test in KFold(k).split(np.zeros((n, 1)))]
        assert all(np.array_equal(a, b) for a, b in zip(ours, theirs, strict=True))


@pytest.mark.parametrize("k", [2, 5, 23])
def test_kfold_mse_matches_cross_val_score(k):
    X, y = _one_dataset()
    cv = LeaveOneOut() if k == 23 else KFold(k)
    reference = -cross_val_score(Ridge(alpha=1.0, fit_intercept=False), X[0], y[0], cv=cv,
                                 scoring="neg_mean_squared_error").mean()
    # Tolerance 1e-10: the same closed-form solution in another order of operations.
    assert kfold_mse(X, y, k, alpha=1.0)[0] == pytest.approx(reference, rel=1e-10)


def test_repeated_kfold_matches_cross_val_score_on_the_same_shuffles():
    X, y = _one_dataset()
    estimates = repeated_kfold_mse(X, y, 5, repeats=3, seed=7)[:, 0]
    rng = np.random.default_rng(7)
    for estimate in estimates:
        order = rng.permutation(23)
        splits = [(np.setdiff1d(order, test), test) for test in np.array_split(order, 5)]
        reference = -cross_val_score(Ridge(alpha=1.0, fit_intercept=False), X[0], y[0], cv=splits,
                                     scoring="neg_mean_squared_error").mean()
        assert estimate == pytest.approx(reference, rel=1e-10)
    assert estimates.std() > 0, "different shuffles give different estimates"


def test_ridge_fit_matches_scikit_learn_and_true_error_matches_a_large_test_set():
    X, y = _one_dataset(n=50)
    coef = ridge_fit(X, y, alpha=2.0)[0]
    assert np.allclose(coef, Ridge(alpha=2.0, fit_intercept=False).fit(X[0], y[0]).coef_, atol=1e-10)
    X_test, y_test = TASK.sample(1, 400_000, np.random.default_rng(1))
    empirical = np.mean((y_test[0] - X_test[0] @ coef) ** 2)
    # Tolerance 1%: the standard error of a 400,000-row mean of squared Gaussian errors is about 0.2%.
    assert TASK.true_mse(coef) == pytest.approx(empirical, rel=0.01)


def test_true_accuracy_matches_a_large_test_set():
    task = gaussian_class_task(n_features=4, separation=1.5)
    coef = np.array([1.0, -0.5, 0.3, 0.0])
    X, y = task.sample(1, 200_000, np.random.default_rng(0))
    assert task.true_accuracy(coef) == pytest.approx(np.mean(np.sign(X[0] @ coef) == y[0]), abs=0.005)


def test_small_k_is_pessimistic_and_bias_falls_with_k():
    study = kfold_study(TASK, n_samples=30, n_datasets=400, seed=0)
    biases = [study.bias(k) for k in study.ks]
    assert biases[0] > 0.1, "2-fold trains on half the rows: pessimistic"
    assert biases[0] > biases[2] > biases[-1], biases
    assert [study.fits[k] for k in study.ks] == study.ks
    rows = [study.training_rows(k) for k in study.ks]
    assert rows == sorted(rows) and rows[-1] == 29 * 30


def test_choose_k_respects_the_budget():
    choices = choose_k(TASK, n_samples=30, budget_fits=12, n_datasets=100)
    assert all(c.fits <= 12 for c in choices) and {c.k for c in choices} == {2, 3, 5, 10}
    assert choices == sorted(choices, key=lambda c: c.rmse)


def test_majority_class_leave_one_out_is_always_wrong():
    assert majority_class_loo_accuracy(10) == 0.0


@pytest.mark.parametrize("call, message", [
    (lambda: fold_indices(10, 11), "between 2 and n_samples = 10, got 11"),
    (lambda: fold_indices(3, 2, np.array([0, 0, 1])), r"permutation of range\(3\)"),
    (lambda: ridge_fit(np.zeros((2, 3)), np.zeros(2)), r"got \(2, 3\) and \(2,\)"),
    (lambda: choose_k(TASK, 30, budget_fits=1), "budget of 1 fits"),
    (lambda: linear_task(n_features=0), "got 0"),
    (lambda: gaussian_class_task().sample(1, 5, np.random.default_rng(0)), "even n_samples"),
    (lambda: TASK.true_mse(np.zeros(3)), "coef has 3 features, the task has 5"),
])
def test_bad_input_names_the_values(call, message):
    with pytest.raises(ValueError, match=message):
        call()
