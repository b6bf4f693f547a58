"""The chapter's claims on small data: the self-supervised encoders beat random features and training from scratch
at one label per class; the tabular and order pretext tasks behave as reported in the notebook (Q2)."""

import numpy as np
import pytest

from mlqa.selfsupervised import order_comparison, probe_curves, tabular_comparison


@pytest.mark.slow
def test_self_supervised_encoders_win_at_one_label_per_class(one_thread):
    curves = probe_curves(budgets=(1,), seeds=(0, 1, 2), device="cpu")
    for arm in ("masked autoencoder", "SimCLR"):
        assert curves.mean(arm)[0] > curves.mean("random encoder")[0] + 0.015, arm
        assert curves.mean(arm)[0] > curves.mean("supervised from scratch")[0] + 0.015, arm


@pytest.mark.slow
def test_masked_feature_pretraining_does_not_beat_raw_tabular_features(one_thread):
    scores = tabular_comparison(budgets=(5,), seeds=(0, 1, 2))
    gain = np.mean(scores["masked-feature pretraining"]) - np.mean(scores["raw features (supervised baseline)"])
    assert abs(gain) < 0.02


def test_comparisons_reject_bad_budgets():
    with pytest.raises(ValueError, match=r"budgets=\[0\]"):
        probe_curves(budgets=(0,))
    with pytest.raises(ValueError, match=r"seeds=\[\]"):
        tabular_comparison(seeds=())
    with pytest.raises(ValueError, match=r"budgets=\[\]"):
        order_comparison(budgets=())
