"""Q21: noise injection, confident learning against cleanlab, and the data-centric claims."""

import numpy as np
import pytest
from cleanlab.count import compute_confident_joint
from cleanlab.filter import find_label_issues as cleanlab_find_label_issues

from mlqa.production import compare_arms, confident_joint, detect, find_label_issues, inject_label_noise
from mlqa.production.confident_learning import jaccard, precision_recall
from mlqa.production.data_moves import data_moves_table


@pytest.fixture(scope="module")
def run():
    return detect(0.2, "class-dependent", seed=0)


@pytest.mark.parametrize("kind", ["uniform", "class-dependent"])
def test_noise_flips_exactly_the_stated_positions(kind):
    labels = np.arange(1000) % 10
    noisy, flipped = inject_label_noise(labels, 0.25, kind, seed=3)
    assert flipped.sum() == 250
    assert np.all(noisy[flipped] != labels[flipped]) and np.all(noisy[~flipped] == labels[~flipped])
    if kind == "class-dependent":
        assert set(zip(labels[flipped] // 1, noisy[flipped])) <= {(1, 7), (7, 1), (3, 8), (8, 3), (4, 9), (9, 4),
                                                                  (5, 6), (6, 5), (0, 2), (2, 0)}


def test_bad_input_names_the_values():
    with pytest.raises(ValueError, match="rate"):
        inject_label_noise(np.zeros(5, dtype=int), 1.5)
    with pytest.raises(ValueError, match=r"\(3,\).*\(4, 2\)"):
        find_label_issues(np.zeros(3, dtype=int), np.full((4, 2), 0.5))
    with pytest.raises(ValueError, match="method"):
        find_label_issues(np.zeros(2, dtype=int), np.full((2, 2), 0.5), method="vote")


def test_confident_joint_equals_cleanlab(run):
    ours = confident_joint(run.data.y_train_noisy, run.pred_probs)
    theirs = compute_confident_joint(run.data.y_train_noisy, run.pred_probs, calibrate=False)
    assert np.array_equal(ours, theirs)


def test_issues_overlap_cleanlab(run):
    """Off-diagonal issues match cleanlab's 'confident_learning' filter exactly; its default within a Jaccard 0.9."""
    labels, probs = run.data.y_train_noisy, run.pred_probs
    same_rule = jaccard(find_label_issues(labels, probs, "confident_joint"),
                        cleanlab_find_label_issues(labels, probs, filter_by="confident_learning", n_jobs=1))
    assert same_rule == 1.0
    assert run.scores["overlap with cleanlab"] > 0.9


def test_found_issues_are_mostly_the_flips(run):
    precision, recall = precision_recall(run.ours, run.data.flipped)
    assert precision > 0.75 and recall > 0.75, (precision, recall)
    chance = run.data.flipped.mean()
    assert precision > 3 * chance


def test_cleaning_beats_training_on_noisy_labels(run):
    accuracy = compare_arms(run)
    assert accuracy["clean: drop issues"] > accuracy["noisy labels (baseline)"] + 0.03, accuracy
    assert accuracy["true labels (oracle)"] >= accuracy["clean: drop issues"] - 0.005, accuracy


def test_every_data_move_helps():
    table = data_moves_table(seeds=(0,), progress=False)
    for move, scores in table.items():
        assert scores[0, 1] > scores[0, 0], (move, scores)
