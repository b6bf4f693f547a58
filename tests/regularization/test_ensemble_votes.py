"""Majority vote, bagging and k-fold ensembles against scikit-learn's VotingClassifier, BaggingClassifier, KFold."""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.ensemble import BaggingClassifier, VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

from mlqa.regularization import bootstrap_indices, ensemble_predict, fit_members, kfold_train_indices, majority_vote

X, y = load_digits(return_X_y=True)
X_train, y_train, X_test = X[:300], y[:300], X[300:]


def test_majority_vote_equals_voting_classifier_hard():
    estimators = [("tree", DecisionTreeClassifier(max_depth=4, random_state=0)),
                  ("knn", KNeighborsClassifier(3)), ("logreg", LogisticRegression(max_iter=300)),
                  ("tree2", DecisionTreeClassifier(max_depth=6, random_state=1))]  # even count: ties happen
    reference = VotingClassifier(estimators, voting="hard").fit(X_train, y_train).predict(X_test)
    members = [e.fit(X_train, y_train) for _, e in estimators]
    ours = ensemble_predict(members, X_test, 10, voting="hard")
    assert np.array_equal(ours, reference)  # exact, including ties (lowest label wins in both)


def test_bagging_equals_bagging_classifier_on_its_bootstrap_samples():
    reference = BaggingClassifier(KNeighborsClassifier(3), n_estimators=5, random_state=0).fit(X_train, y_train)
    members = fit_members(KNeighborsClassifier(3), X_train, y_train, list(reference.estimators_samples_))
    assert np.array_equal(ensemble_predict(members, X_test, 10, voting="soft"), reference.predict(X_test))


def test_kfold_indices_equal_kfold_and_bootstrap_keeps_about_63_percent():
    for ours, (train, _) in zip(kfold_train_indices(103, 5), KFold(5).split(np.zeros(103))):
        assert np.array_equal(ours, train)
    unique = [len(np.unique(b)) / 1000 for b in bootstrap_indices(1000, 20)]
    assert abs(np.mean(unique) - (1 - np.exp(-1))) < 0.01
    assert np.array_equal(majority_vote(np.array([[1, 2], [2, 1]]), 3), [1, 1])
    with pytest.raises(ValueError, match="k="):
        kfold_train_indices(3, 5)
