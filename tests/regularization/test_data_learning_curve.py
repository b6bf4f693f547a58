"""Q5's learning curve from scratch equals scikit-learn's, and the train-validation gap shrinks with data."""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, ShuffleSplit, StratifiedKFold, learning_curve
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from mlqa.regularization import absolute_train_sizes, digits_learning_curves, learning_curve_scores


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:600] / 16.0, y[:600]


@pytest.mark.parametrize("estimator, cv, sizes", [
    (SVC(), StratifiedKFold(5, shuffle=True, random_state=0), [20, 60, 150, 480]),
    (DecisionTreeClassifier(max_depth=4, random_state=0), ShuffleSplit(4, test_size=0.25, random_state=1),
     np.linspace(0.1, 1.0, 4)),
    (KNeighborsClassifier(3), 3, (0.2, 0.6, 1.0)),
])
def test_equals_sklearn_learning_curve_on_the_same_splits(digits, estimator, cv, sizes):
    X, y = digits
    ours = learning_curve_scores(estimator, X, y, sizes, cv)
    ref_sizes, ref_train, ref_val = learning_curve(estimator, X, y, train_sizes=sizes, cv=cv)
    np.testing.assert_array_equal(ours.train_sizes, ref_sizes)
    np.testing.assert_array_equal(ours.train_scores, ref_train)  # tolerance 0: the same fits, the same scores
    np.testing.assert_array_equal(ours.val_scores, ref_val)


def test_equals_sklearn_for_a_regressor_with_plain_kfold(digits):
    X, y = digits
    ours = learning_curve_scores(Ridge(alpha=1.0), X, y.astype(float), (0.3, 1.0), 4)
    _, ref_train, ref_val = learning_curve(Ridge(alpha=1.0), X, y.astype(float), train_sizes=(0.3, 1.0), cv=KFold(4))
    np.testing.assert_allclose(ours.train_scores, ref_train, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours.val_scores, ref_val, rtol=0, atol=1e-12)


def test_absolute_sizes_follow_sklearns_rounding():
    assert absolute_train_sizes([0.001, 0.5, 1.0], 101).tolist() == [1, 50, 101]
    assert absolute_train_sizes([5, 5, 9], 10).tolist() == [5, 9]


@pytest.mark.parametrize("sizes, message", [([0.0, 0.5], r"\(0, 1\]"), ([1.5], r"\(0, 1\]"), ([0, 3], r"\[1, 10\]"),
                                            ([11], r"\[1, 10\]"), ([], "non-empty")])
def test_bad_sizes_raise(sizes, message):
    with pytest.raises(ValueError, match=message):
        absolute_train_sizes(sizes, 10)


def test_bad_data_raises(digits):
    X, y = digits
    with pytest.raises(ValueError, match="600 and 599"):
        learning_curve_scores(SVC(), X, y[:-1])
    with pytest.raises(ValueError, match="at least 2 folds, got 1"):
        learning_curve_scores(SVC(), X, y, cv=1)


def test_the_gap_shrinks_with_more_data():
    curves = digits_learning_curves()
    for name, curve in curves.items():
        assert curve.gap[-1] < curve.gap[0] - 0.2, (name, curve.gap)
        assert curve.val_scores.mean(1)[-1] > curve.val_scores.mean(1)[0] + 0.15, name
