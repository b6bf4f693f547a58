"""Retrieval classifier against scikit-learn's k-nearest neighbours; the reward model against logistic regression."""

import numpy as np
import pytest
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier

from mlqa.finetuning.retrieval import nearest_labels
from mlqa.finetuning.reward import best_of_n, fit_reward_model, pairwise_accuracy, preference_pairs


@pytest.fixture(scope="module")
def blobs():
    """Two Gaussian classes in 16 dimensions that overlap a little."""
    generator = torch.Generator().manual_seed(0)
    labels = [i % 2 for i in range(400)]
    features = torch.randn(400, 16, generator=generator) + torch.tensor(labels)[:, None] * 0.6
    return features, labels


@pytest.mark.parametrize("k", [1, 7, 15])
def test_nearest_labels_match_scikit_learn_cosine_neighbours(blobs, k):
    features, labels = blobs
    ours = nearest_labels(features[:300], labels[:300], features[300:], k)
    theirs = KNeighborsClassifier(n_neighbors=k, metric="cosine", algorithm="brute").fit(
        features[:300].numpy(), labels[:300]).predict(features[300:].numpy())
    assert (ours.numpy() == theirs).all()


def test_nearest_labels_refuses_an_even_k(blobs):
    features, labels = blobs
    with pytest.raises(ValueError, match="odd k"):
        nearest_labels(features, labels, features, k=4)


def test_reward_model_is_logistic_regression_on_embedding_differences(blobs):
    features, labels = blobs
    chosen, rejected = preference_pairs(labels, 600, seed=1)
    ours = fit_reward_model(features, chosen, rejected, C=0.5)
    # each pair both ways, as two classes and no intercept: the same objective at half the C per row
    differences = (features[chosen] - features[rejected]).double().numpy()
    x, y = np.vstack([differences, -differences]), np.r_[np.ones(600), np.zeros(600)]
    theirs = LogisticRegression(C=0.25, fit_intercept=False, tol=1e-10, max_iter=10000).fit(x, y).coef_[0]
    assert np.abs(ours.numpy() - theirs).max() < 1e-4  # both solve one strictly convex problem to 1e-10


def test_the_reward_learns_the_hidden_preference_and_best_of_n_uses_it(blobs):
    features, labels = blobs
    chosen, rejected = preference_pairs(labels[:300], 600, seed=2)
    rewards = features[300:] @ fit_reward_model(features[:300], chosen, rejected)
    held_out = labels[300:]
    assert pairwise_accuracy(rewards, held_out) > 0.8
    assert best_of_n(rewards, held_out, 8) > best_of_n(rewards, held_out, 1) + 0.2
    shuffled = torch.randperm(100, generator=torch.Generator().manual_seed(0))
    assert abs(best_of_n(rewards[shuffled], held_out, 8) - 0.5) < 0.1  # a reward unrelated to the texts: chance
