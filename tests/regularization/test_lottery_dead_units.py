"""Dead ReLU units: found exactly, deletable without changing training predictions, frozen while dead."""

import numpy as np
import pytest
import torch

from mlqa.regularization import (
    LotterySetup,
    StackedMLP,
    batch_orders,
    dead_unit_fate,
    dead_units,
    lottery_experiment,
    pruned_fraction_of_units,
    remove_units,
    train_masked,
    unit_weight_fraction,
)


def killed(seeds=(0, 1), units=(3, 7)):
    """A stack whose chosen first-layer units can never fire on [0, 1] pixels (a bias of -100)."""
    model = StackedMLP(list(seeds), hidden=16)
    with torch.no_grad():
        model.biases[0][:, 0, list(units)] = -100.0
    return model


def test_dead_units_are_found_and_deleting_them_changes_no_prediction(lottery_digits):
    X = lottery_digits[0]
    model = killed()
    dead = dead_units(model, X)
    assert dead[0][:, [3, 7]].all() and int(dead[0].sum()) >= 4
    before = model(X.expand(2, -1, -1))
    after = remove_units(model, dead)(X.expand(2, -1, -1))
    assert torch.allclose(before, after, atol=1e-6)  # the deleted units only ever added zeros
    live = [~d for d in dead]
    assert not torch.allclose(before, remove_units(model, live)(X.expand(2, -1, -1)), atol=1e-3)
    with pytest.raises(ValueError, match="samples, 64"):
        dead_units(model, X[:, :10])
    with pytest.raises(ValueError, match="per hidden layer"):
        remove_units(model, dead[:1])


def test_a_dead_units_incoming_weights_never_move_during_training(lottery_digits, one_thread):
    X, y, _, _ = lottery_digits
    model = killed()
    start = model.weights[0].detach().clone()
    train_masked(model, [torch.ones_like(w) for w in model.weights], X, y, batch_orders([0, 1], len(y), 20, 50), 5e-3)
    assert torch.equal(model.weights[0][:, :, [3, 7]], start[:, :, [3, 7]])  # zero gradient, so Adam moves nothing
    assert not torch.equal(model.weights[0][:, :, 0], start[:, :, 0])


def test_weight_fraction_of_deleted_units_counts_shared_weights_once():
    model = StackedMLP([0], hidden=16)  # 64*16 + 16*16 + 16*10 weights
    total = 64 * 16 + 16 * 16 + 16 * 10
    one = [torch.tensor([[True] + [False] * 15]), torch.zeros(1, 16, dtype=torch.bool)]
    both = [one[0], torch.tensor([[True] + [False] * 15])]
    assert unit_weight_fraction(model, one)[0] == pytest.approx((64 + 16) / total)
    assert unit_weight_fraction(model, both)[0] == pytest.approx((64 + 16 + 16 + 10 - 1) / total)
    with pytest.raises(ValueError, match="per hidden layer"):
        unit_weight_fraction(model, one[:1])


def test_pruned_fraction_of_units_reads_their_incoming_columns():
    masks = [torch.ones(1, 4, 3)]
    masks[0][0, :3, 1] = 0
    units = [torch.tensor([[False, True, False]])]
    assert pruned_fraction_of_units(masks, units)[0, 0] == pytest.approx(0.75)
    assert np.isnan(pruned_fraction_of_units(masks, [torch.zeros(1, 3, dtype=torch.bool)])[0, 0])
    with pytest.raises(ValueError, match="units"):
        pruned_fraction_of_units(masks, [torch.zeros(1, 5, dtype=torch.bool)])


def test_dead_unit_fate_follows_each_round_into_the_next_mask(lottery_digits):
    setup = LotterySetup(hidden=16, steps=30, rounds=2, rewind_step=5)
    fate = dead_unit_fate(lottery_experiment((0, 1), setup, device=torch.device("cpu")), lottery_digits[0])
    assert fate.dead.shape == fate.dead_and_cut.shape == fate.pruned_fraction.shape == (2, 2, 2)
    assert bool((fate.dead_and_cut <= fate.dead).all())
