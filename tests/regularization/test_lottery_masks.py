"""Lottery-ticket masks: the same as torch.nn.utils.prune, iteratively and at random; the experiment's mask sizes."""

import numpy as np
import pytest
import torch
from torch.nn.utils import prune

from mlqa.regularization import (
    LotterySetup,
    iterative_l1_mask,
    lottery_experiment,
    random_unstructured_mask,
    sparsity,
    sparsity_schedule,
)

SMALL = LotterySetup(hidden=16, steps=30, rounds=2, rewind_step=5)


@pytest.mark.parametrize("amount", [0.2, 0.55, 0.8])
def test_iterative_masks_equal_repeated_torch_pruning(amount):
    torch.manual_seed(0)
    layer = torch.nn.Linear(64, 32)
    ours = torch.ones_like(layer.weight)
    for _ in range(4):  # each round: new "trained" values, then prune a fraction of the survivors again
        with torch.no_grad():
            trained = torch.randn_like(layer.weight)
            (layer.weight_orig if prune.is_pruned(layer) else layer.weight).copy_(trained)
            layer(torch.zeros(1, 64))  # the forward hook recomputes layer.weight, the scores torch prunes by
        prune.l1_unstructured(layer, "weight", amount=amount)
        ours = iterative_l1_mask(trained * ours, ours, amount)
        assert torch.equal(ours, layer.weight_mask)  # exact: no ties among random float weights


@pytest.mark.parametrize("n_prune", [0, 1, 700, 2048])
def test_random_masks_equal_torch_random_pruning_under_one_seed(n_prune):
    layer = torch.nn.Linear(64, 32)
    torch.manual_seed(3)
    prune.random_unstructured(layer, "weight", amount=n_prune)
    ours = random_unstructured_mask((32, 64), n_prune, torch.Generator().manual_seed(3))
    assert torch.equal(ours, layer.weight_mask)


def test_the_experiment_prunes_survivors_at_each_layers_rate_and_random_masks_match_in_size():
    result = lottery_experiment((0, 1), SMALL, device=torch.device("cpu"))
    rates = SMALL.layer_rates()
    for arm in ("winning ticket", "late rewinding"):
        for before, after in zip(result.masks[arm][:-1], result.masks[arm][1:]):
            for m0, m1, rate in zip(before, after, rates):
                kept = m0.flatten(1).sum(1)
                assert torch.equal(m1.flatten(1).sum(1), kept - torch.round(rate * kept))
                assert bool((m1 <= m0).all())  # nested: a pruned weight never comes back
    for ticket, rand, reinit in zip(*(result.masks[a] for a in ("winning ticket", "random pruning",
                                                                   "random reinitialisation"))):
        for t, r, i in zip(ticket, rand, reinit):
            assert torch.equal(t.flatten(1).sum(1), r.flatten(1).sum(1)) and torch.equal(t, i)
    last = result.masks["winning ticket"][-1]
    assert result.sparsity[-1] == pytest.approx(sparsity([m[0] for m in last]))
    assert 0 < result.sparsity[1] < result.sparsity[2] < 1
    assert np.array_equal(result.sparsity, sparsity_schedule(SMALL))  # counted without training


def test_bad_input_raises_value_error():
    with pytest.raises(ValueError, match="amount"):
        iterative_l1_mask(torch.ones(3, 4), torch.ones(3, 4), 1.5)
    with pytest.raises(ValueError, match=r"\(3, 4\)"):
        iterative_l1_mask(torch.ones(3, 4), torch.ones(4, 3), 0.5)
    with pytest.raises(ValueError, match="12"):
        random_unstructured_mask((3, 4), 13, torch.Generator())
    with pytest.raises(ValueError, match="prune_rate=1.2"):
        LotterySetup(prune_rate=1.2)
    with pytest.raises(ValueError, match="n_train"):
        LotterySetup(n_train=1790)
    with pytest.raises(ValueError, match="seeds"):
        lottery_experiment((0,), SMALL)
