"""The shared overfitting setup: the baseline overfits, every method but distillation narrows its loss gap."""

import numpy as np
import pytest
import torch

from mlqa.regularization import TUNED, StackedMLP, compare_methods, fit_stacked, stack_splits, tune_knobs
from mlqa.regularization.data import digits_overfit_split


@pytest.mark.slow
def test_every_method_but_distillation_narrows_the_loss_gap_on_every_seed():
    results, history = compare_methods(seeds=(0, 1, 2), device=torch.device("cpu"))
    baseline = results["baseline"]
    assert (baseline.train_acc == 1.0).all() and (baseline.acc_gap > 0.08).all()
    for name, r in results.items():
        if name not in ("baseline", "distilled small model"):
            assert (r.loss_gap < baseline.loss_gap).all(), name
    assert results["distilled small model"].loss_gap.mean() > results["small model alone"].loss_gap.mean()
    assert history.train_acc.shape[0] == 100


@pytest.mark.slow
def test_tuned_knobs_are_the_validation_picks():
    assert tune_knobs(seeds=(0, 1, 2)) == TUNED


def test_a_stack_trains_each_model_as_if_alone(one_thread):
    split = digits_overfit_split(5, 150, seed=0)
    together = StackedMLP([3, 4], hidden=16, dropout=[0.0, 0.0])
    alone = StackedMLP([4], hidden=16)
    fit_stacked(together, stack_splits([split], [0, 0], torch.device("cpu")), epochs=20, decay=[0.0, 1.0])
    fit_stacked(alone, stack_splits([split], [0], torch.device("cpu")), epochs=20, decay=1.0)
    for a, b in zip(together.parameters(), alone.parameters()):
        assert torch.allclose(a[1], b[0], atol=1e-5)  # Adam is elementwise; only float rounding may differ
    with pytest.raises(ValueError, match="sample_weight"):
        fit_stacked(alone, stack_splits([split], [0], torch.device("cpu")), epochs=1, sample_weight=np.ones((2, 50)))
