"""Q30 techniques 1-5, exercises 30-A and 30-B, the registry and the guide: each claim as an ordering with a margin."""

import inspect

import matplotlib
import numpy as np
import pytest

from mlqa.limited import TECHNIQUES, get_technique
from mlqa.limited.active_learning import balanced_random, select_queries, strategy_runs
from mlqa.limited.augmentation import augmentation_grid
from mlqa.limited.data import digits_split
from mlqa.limited.guide import QUESTIONS, SECTIONS, guide_figure, recommend
from mlqa.limited.learning_curves import fit_power_law, learning_curves
from mlqa.limited.pipeline import pipeline_accuracies
from mlqa.limited.self_supervised import block_mask, compare_representations
from mlqa.limited.transfer import (
    ARMS,
    LEARNING_RATES,
    best_rates,
    other_classes_experiment,
    style_transfer_experiment,
    thick_pen,
)
from mlqa.limited.uncertainty import mutual_information, query_strategy_curves

matplotlib.use("Agg")


def test_every_registered_technique_has_the_common_signature():
    for name in TECHNIQUES:
        params = inspect.signature(get_technique(name)).parameters
        assert isinstance(params["labels_per_class"].default, int), name
        assert tuple(params["seeds"].default) == (0, 1, 2), name
        assert params["progress"].default is False, name


def test_unknown_technique_lists_the_known_ones():
    with pytest.raises(ValueError, match="known techniques: learning-curves, augmentation"):
        get_technique("magic")


def test_learning_curves_rise_cross_and_extrapolate():
    counts = [1, 2, 3, 5, 10, 20]
    logreg = learning_curves(counts, ["logistic regression"])["logistic regression"].mean(axis=0)
    forest = learning_curves([1], ["random forest"])["random forest"].mean()
    assert logreg[-1] > logreg[0] + 0.25
    assert forest < logreg[0] - 0.05  # trees need more labels than a linear model
    assert logreg[1] - logreg[0] > logreg[-1] - logreg[-2]  # doubling from 1 pays more than doubling from 10
    a, b = fit_power_law(counts[:5], 1 - logreg[:5])
    assert abs(a * 20 ** -b - (1 - logreg[-1])) < 0.02  # the power law fitted up to 10 predicts 20 labels


def test_shift_augmentation_helps_svm_and_hurts_logistic_regression():
    grid = augmentation_grid(5, model_names=("logistic regression", "SVM (RBF)"))
    assert grid["SVM (RBF)", "shifts"].mean() > grid["SVM (RBF)", "none"].mean() + 0.015
    assert grid["logistic regression", "shifts"].mean() < grid["logistic regression", "none"].mean() - 0.01


def test_transfer_from_original_style_beats_scratch_at_every_learning_rate():
    runs = [style_transfer_experiment(thick_pen, 3, seed, learning_rates=(1e-3, 1e-2)) for seed in (0, 1)]
    for lr in (1e-3, 1e-2):
        tuned = np.mean([r["pretrained + finetuned"][lr] for r in runs])
        assert tuned > np.mean([r["from scratch"][lr] for r in runs]) + 0.02, lr
    best = best_rates(runs)
    finetuned = np.mean([r["pretrained + finetuned"][best["pretrained + finetuned"]] for r in runs])
    assert finetuned > np.mean([r["from scratch"][best["from scratch"]] for r in runs]) + 0.04
    assert finetuned > np.mean([r["source model as is"] for r in runs]) + 0.1
    with pytest.raises(ValueError, match="learning rates must be positive"):
        style_transfer_experiment(thick_pen, 3, 0, learning_rates=(0.0,))


@pytest.mark.slow
def test_other_classes_transfer_loses_most_of_its_penalty_once_both_arms_are_tuned():
    runs = [other_classes_experiment(3, seed) for seed in (0, 1, 2)]
    mean = {arm: {lr: np.mean([r[arm][lr] for r in runs]) for lr in LEARNING_RATES} for arm in ARMS}
    old_gap = mean["from scratch"][3e-3] - mean["pretrained + finetuned"][1e-3]
    tuned_gap = max(mean["from scratch"].values()) - max(mean["pretrained + finetuned"].values())
    assert tuned_gap < old_gap - 0.06, (old_gap, tuned_gap)
    assert tuned_gap > -0.02, "still no clear gain from other classes"


def test_block_mask_hides_one_4x4_square():
    mask = block_mask(50)
    assert mask.shape == (50, 64)
    assert np.all((1 - mask).sum(dim=1).numpy() == 16)


def test_inpainting_features_beat_raw_pixels_and_a_random_encoder():
    runs = [compare_representations(digits_split(2, seed), seed) for seed in (0, 1, 2)]
    mean = {k: np.mean([r[k] for r in runs]) for k in runs[0]}
    assert mean["inpainting, scattered pixels"] > mean["raw pixels"] + 0.015
    assert mean["inpainting, scattered pixels"] > mean["random encoder"] + 0.02


def test_margin_query_picks_the_closest_call():
    proba = np.array([[0.9, 0.05, 0.05], [0.45, 0.44, 0.11], [0.6, 0.3, 0.1]])
    rng = np.random.default_rng(0)
    assert select_queries("margin", proba, 1, rng).tolist() == [1]
    assert select_queries("least-confident", proba, 1, rng).tolist() == [1]
    with pytest.raises(ValueError, match="known strategies: random"):
        select_queries("loudest", proba, 1, rng)


def test_margin_beats_random_at_50_labels_after_a_cold_start():
    counts, curves, asked = strategy_runs(strategies=("random", "margin", "entropy", "balanced random"), budget=50)
    assert counts == [10, 20, 30, 40, 50]
    assert curves["margin"][:, -1].mean() > curves["random"][:, -1].mean() + 0.03
    assert curves["entropy"][:, 1].mean() < curves["random"][:, 1].mean() - 0.05  # cold start: worse than random
    first_classes = {s: np.mean([len(set(rounds[0])) for rounds in asked[s]]) for s in asked}
    assert first_classes["entropy"] < first_classes["random"] - 1.5  # ...because it asks about few classes
    assert first_classes["balanced random"] == 10
    assert curves["balanced random"][:, 1].mean() > curves["random"][:, 1].mean() + 0.08  # balance is worth it


def test_balanced_random_spreads_queries_over_the_hidden_classes():
    y_pool = np.repeat(np.arange(5), 20)
    picks = balanced_random(y_pool, 10, np.random.default_rng(0))
    assert np.bincount(y_pool[picks]).tolist() == [2, 2, 2, 2, 2] and len(set(picks)) == 10


def test_mutual_information_is_zero_for_agreeing_members_only():
    agree = np.tile([[0.7, 0.3]], (4, 1, 1))
    disagree = np.array([[[0.9, 0.1]], [[0.1, 0.9]]])
    assert mutual_information(agree) == pytest.approx([0.0], abs=1e-9)
    assert mutual_information(disagree)[0] > 0.3


@pytest.mark.slow
def test_beyond_softmax_queries_beat_random():
    counts, curves = query_strategy_curves(seeds=(0, 1), budget=60)
    assert counts[-1] == 60
    for strategy in ("MC dropout, BALD", "ensemble, entropy"):
        assert curves[strategy][:, -1].mean() > curves["random"][:, -1].mean() + 0.01, strategy


def test_pipeline_with_related_data_beats_scratch():
    runs = [pipeline_accuracies(2, seed) for seed in (0, 1)]
    mean = {k: np.mean([r[k] for r in runs]) for k in runs[0]}
    assert mean["transfer -> finetune"] > mean["from scratch"] + 0.04
    assert mean["self-supervised -> transfer -> finetune"] > mean["from scratch"] + 0.04


def test_guide_maps_answers_to_sections():
    chosen = [r.technique for r in recommend(3, unlabeled=True, related_labeled=True)]
    assert chosen[0] == "transfer" and "semi-supervised" in chosen and "exercise-30a" in chosen
    assert "active-learning" not in chosen
    assert [r.technique for r in recommend(10)] == ["learning-curves"]
    assert "few-shot" in [r.technique for r in recommend(0)]
    assert recommend(5, can_label_more=True)[1].link == "[5. Active learning](#active-learning)"
    every_target = {t for _, targets in QUESTIONS.values() for t, _ in targets}
    assert every_target == set(SECTIONS)
    with pytest.raises(ValueError, match="must be >= 0, got -1"):
        recommend(-1)
    assert len(guide_figure().axes) == 1
