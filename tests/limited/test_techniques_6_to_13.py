"""Q30 techniques 6-13: each claim as an ordering with a margin on one seed, plus the pieces they build on."""

import numpy as np
import pytest
from sklearn.semi_supervised import LabelSpreading

from mlqa.limited import (
    digits_split,
    distillation,
    few_shot,
    get_technique,
    inductive_bias,
    meta_learning,
    multi_modal,
    multi_task,
    semi_supervised,
    weak_supervision,
)


@pytest.fixture(scope="module")
def split():
    return digits_split(5, seed=0)


def test_all_eight_are_registered():
    for name in ("few-shot", "meta-learning", "weak-supervision", "semi-supervised", "self-training",
                 "multi-task", "multi-modal", "inductive-bias"):
        assert callable(get_technique(name))


@pytest.mark.slow
def test_few_shot_technique_reports_pairs_and_the_rotated_control():
    res = few_shot.run(5, seeds=(0,))
    pairs, rotated = res.details["pairs"], res.details["rotated control"]
    assert res.result_mean > res.baseline_mean + 0.02, (res.result_mean, res.baseline_mean)
    assert pairs["prototypical network"][1][0] > pairs["raw pixels"][1][0] + 0.08, pairs
    assert rotated["raw pixels"][5][0] > rotated["prototypical network"][5][0] + 0.03, rotated


@pytest.mark.slow
def test_meta_training_beats_the_untrained_encoder_on_unseen_classes():
    curve = meta_learning.learning_to_learn_curve((0, 30, 300), seeds=(0, 1))
    assert (curve[:, -1] > curve[:, 0] + 0.05).all(), curve


def test_meta_feature_recommendation_does_not_beat_always_logistic_regression():
    res = meta_learning.run(5, seeds=(0,))
    assert res.details["oracle (best per data set)"][0] > res.baseline_mean + 0.02
    assert res.gain < 0.01, res.gain


def test_dawid_skene_trusts_the_good_rule_that_majority_vote_outvotes():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 2000)
    votes = np.stack([np.where(rng.random(2000) < accuracy, y, 1 - y) for accuracy in (0.9, 0.6, 0.6, 0.55, 0.55)],
                     axis=1)  # one good rule, four barely better than a coin
    assert (weak_supervision.majority_vote(votes) == y).mean() < 0.8
    assert (weak_supervision.dawid_skene(votes).argmax(1) == y).mean() > 0.87


def test_labeling_function_table_and_unknown_feature():
    split = weak_supervision.breast_cancer_split(5, seed=0)
    votes = weak_supervision.apply_labeling_functions(split.X_pool, split.X_pool)
    rows = weak_supervision.labeling_function_table(votes, split.y_pool)
    by_rule = {row["rule"]: row for row in rows}
    assert by_rule["mean concave points"]["accuracy"] > 0.9 > by_rule["mean fractal dimension"]["accuracy"] + 0.3
    assert all(0.45 < row["coverage"] < 0.55 for row in rows)  # quartile rules vote on half the pool
    with pytest.raises(ValueError, match="unknown breast-cancer features"):
        weak_supervision.apply_labeling_functions(split.X_pool, split.X_pool, ["mean colour"])


def test_weak_labels_beat_few_true_labels_and_the_label_model_beats_majority_vote():
    res = weak_supervision.run(5, seeds=(0,))
    assert res.gain > 0.01, res.gain
    dawid_skene, majority = (res.details[f"pool label accuracy, {n}"][0] for n in ("Dawid-Skene", "majority vote"))
    assert dawid_skene > majority + 0.08, (dawid_skene, majority)
    assert res.result_mean > res.details["weak labels (majority vote)"][0] + 0.05


def test_our_label_spreading_on_scikit_learns_graph_matches_it(split):
    X = np.concatenate([split.X_labeled, split.X_pool])
    y = np.concatenate([split.y_labeled, -np.ones(len(split.X_pool), dtype=int)])
    ours = semi_supervised.spread_labels(X, y, graph="directed").argmax(1)
    theirs = LabelSpreading(kernel="knn", n_neighbors=7, alpha=0.2).fit(X, y).transduction_
    assert (ours == theirs).mean() > 0.99  # the rest: scikit-learn stops early at tol=1e-3
    symmetric = semi_supervised.spread_labels(X, y).argmax(1)
    assert (symmetric == theirs).mean() < 0.99  # the symmetric graph is a different model
    with pytest.raises(ValueError, match="alpha must lie in"):
        semi_supervised.spread_labels(X, y, alpha=1.5)
    with pytest.raises(ValueError, match="graph must be 'symmetric' or 'directed', got 'full'"):
        semi_supervised.spread_labels(X, y, graph="full")


def test_semi_supervised_beats_labels_alone(split):
    scores = semi_supervised.compare_methods(split)
    assert scores["our label spreading"] > scores["supervised only"] + 0.05, scores
    assert scores["our pseudo-labeling"] > scores["supervised only"] + 0.02, scores
    assert abs(scores["our pseudo-labeling"] - scores["sklearn SelfTrainingClassifier"]) < 0.02, scores
    assert abs(scores["our label spreading, directed graph"] - scores["sklearn LabelSpreading"]) < 0.005, scores
    assert scores["our label spreading"] > scores["sklearn LabelSpreading"] + 0.01, scores  # the symmetric graph


def test_distilled_student_beats_labels_only_and_soft_targets_do_not_lose(split):
    scores = distillation.compare_students(split)
    assert scores["student, soft targets T=4"] > scores["student, true labels only"] + 0.03, scores
    assert scores["student, soft targets T=4"] > scores["student, hard pseudo-labels"] - 0.005, scores
    with pytest.raises(ValueError, match="temperature must be positive"):
        distillation.distill(np.zeros((2, 10)), split.X_pool[:2], split.X_labeled, split.y_labeled, 0.0)


def test_hard_sharing_wins_with_a_related_task_and_soft_with_an_unrelated_one(split):
    scores = multi_task.compare_sharing(split)
    assert scores["hard sharing, related task"] > scores["soft sharing, related task"] + 0.01, scores
    assert scores["soft sharing, unrelated task"] > scores["hard sharing, unrelated task"] + 0.02, scores
    with pytest.raises(ValueError, match="sharing must be"):
        multi_task.train_multi_task(split, split.X_pool, split.y_pool, "partial")


@pytest.mark.slow
def test_contrastive_views_lose_to_direct_training_and_halves_learn_the_edge_shortcut(split):
    scores = multi_modal.compare_views(split, shots=(1, 5))
    assert scores["matching accuracy, halves"] > 0.2  # chance is 0.01
    assert scores["matching accuracy, halves, edge columns blanked"] < 0.1
    assert scores["matching accuracy, augmented pairs"] > 0.1
    for k in (1, 5):
        assert scores[f"direct (logistic regression on pixels), k={k}"] > \
            scores[f"contrastive augmented pairs + probe, k={k}"], scores


def test_augmented_views_share_no_pixel_grid():
    X = digits_split(1, seed=0).X_test[:50]
    left, right = multi_modal.augmented_pair(X, np.random.default_rng(0))
    assert left.shape == right.shape == (50, 64) and not np.array_equal(left, right)
    assert np.array_equal(*multi_modal.augmented_pair(X))  # at probe time both encoders see the image


def test_locality_prior_is_what_helps_the_cnn(split):
    assert abs(inductive_bias.parameter_count(inductive_bias.small_cnn())
               - inductive_bias.parameter_count(inductive_bias.small_mlp())) < 300
    scores = inductive_bias.compare_architectures(split)
    assert scores["CNN, pixels"] > scores["MLP, pixels"] + 0.015, scores
    assert scores["CNN, pixels"] > scores["CNN, permuted pixels"] + 0.04, scores
    assert abs(scores["MLP, pixels"] - scores["MLP, permuted pixels"]) < 0.02, scores
