"""Q10: each seed controls exactly one source of randomness, and seeded runs repeat bit for bit."""

import numpy as np
import pytest
import torch

from mlqa.randomness import (
    SeedPlan,
    exact_sum,
    loader_run,
    scatter_add_repeats,
    spread_by_source,
    sums_in_shuffled_orders,
    train_once,
)


def test_the_same_plan_repeats_bit_for_bit(one_thread):
    assert train_once(SeedPlan(1, 2, 3, 4), epochs=2) == train_once(SeedPlan(1, 2, 3, 4), epochs=2)


@pytest.mark.parametrize("source", ["split", "init", "order", "dropout"])
def test_each_seed_changes_the_run_on_its_own(source, one_thread):
    base = train_once(SeedPlan(), epochs=2)
    changed = train_once(SeedPlan().varying(source, 7), epochs=2)
    assert changed.weights_sha != base.weights_sha


def test_unknown_source_and_too_few_seeds_are_refused():
    with pytest.raises(ValueError, match="unknown source 'labels'"):
        SeedPlan().varying("labels", 1)
    with pytest.raises(ValueError, match="at least 2 seeds"):
        spread_by_source(seeds=[0])


def test_the_spread_has_one_accuracy_per_seed_and_source(one_thread):
    spread = spread_by_source(seeds=[0, 1], sources=("init", "all"), progress=False, epochs=2)
    assert set(spread) == {"init", "all"} and all(len(a) == 2 for a in spread.values())
    assert all(0.5 < a < 1.0 for accs in spread.values() for a in accs)


def test_summation_order_changes_a_float32_sum_but_not_the_exact_one():
    values = np.random.default_rng(0).standard_normal(10_000).astype(np.float32) * 1000
    sums = sums_in_shuffled_orders(values, n_orders=50)
    assert len(np.unique(sums)) > 10
    assert np.all(np.abs(sums - exact_sum(values)) < 1e-3 * np.abs(values).sum())
    assert exact_sum(values) == exact_sum(values[::-1])
    with pytest.raises(ValueError, match="1-D array"):
        sums_in_shuffled_orders(np.zeros((2, 2)))


def test_index_add_repeats_exactly_on_the_cpu():
    assert scatter_add_repeats(n_runs=5, size=10_000) == 1


@pytest.mark.slow
def test_seeded_data_loader_workers_repeat_and_unseeded_do_not():
    assert loader_run(3, epochs=1) == loader_run(3, epochs=1)
    assert loader_run(None, epochs=1) != loader_run(None, epochs=1)


def test_deterministic_mode_is_restored():
    from mlqa.randomness import deterministic_algorithms

    before = torch.are_deterministic_algorithms_enabled()
    with deterministic_algorithms():
        assert torch.are_deterministic_algorithms_enabled()
    assert torch.are_deterministic_algorithms_enabled() == before


def test_mc_dropout_is_less_sure_on_the_examples_it_gets_wrong(one_thread):
    from mlqa.randomness import mc_dropout_entropy, train_model
    from mlqa.randomness.data import digits_tensors

    model, _ = train_model(SeedPlan(), epochs=5)
    _, _, X_test, y_test = digits_tensors(0)
    entropy = mc_dropout_entropy(model, X_test, n_samples=20)
    wrong = model(X_test).argmax(1) != y_test
    assert not model.training
    assert entropy[wrong].mean() > 2 * entropy[~wrong].mean()
