"""Masked stacked training: each model as if alone, pruned weights stay zero, snapshots, batches, error barriers."""

import numpy as np
import pytest
import torch

from mlqa.regularization import (
    StackedMLP,
    batch_orders,
    dense_weight_count,
    error_barrier,
    interpolation_accuracy,
    small_dense_accuracy,
    train_masked,
)


def test_batch_orders_visit_every_sample_once_per_epoch():
    orders = batch_orders([0, 1, 0], n_samples=50, steps=12, batch=10)
    assert orders.shape == (12, 3, 10)
    assert torch.equal(orders[:, 0], orders[:, 2]) and not torch.equal(orders[:, 0], orders[:, 1])
    for epoch in range(2):
        seen = orders[5 * epoch:5 * (epoch + 1), 1].flatten().sort().values
        assert torch.equal(seen, torch.arange(50))
    with pytest.raises(ValueError, match="batch=60"):
        batch_orders([0], n_samples=50, steps=3, batch=60)


def test_a_stack_trains_each_model_as_it_would_train_alone(lottery_digits, one_thread):
    X, y, _, _ = lottery_digits
    orders = batch_orders([0, 1], len(y), steps=20, batch=50)
    stack = StackedMLP([0, 1], hidden=16)
    masks = [(torch.rand(w.shape, generator=torch.Generator().manual_seed(5)) > 0.5).float() for w in stack.weights]
    train_masked(stack, masks, X, y, orders, lr=5e-3)
    for i in range(2):
        alone = StackedMLP([i], hidden=16)
        train_masked(alone, [m[i:i + 1] for m in masks], X, y, orders[:, i:i + 1], lr=5e-3)
        for a, b in zip(alone.parameters(), stack.parameters()):
            assert torch.allclose(a[0], b[i], atol=1e-5)  # batched matmuls round differently


def test_pruned_weights_stay_zero_and_the_snapshot_is_the_state_at_that_step(lottery_digits, one_thread):
    X, y, _, _ = lottery_digits
    orders = batch_orders([0, 1], len(y), steps=15, batch=50)
    model = StackedMLP([0, 1], hidden=16)
    masks = [(torch.rand(w.shape, generator=torch.Generator().manual_seed(1)) > 0.7).float() for w in model.weights]
    snapshot = train_masked(model, masks, X, y, orders, lr=5e-3, snapshot_step=6)
    for w, m in zip(model.weights, masks):
        assert bool((w[m == 0] == 0).all()) and bool((w[m == 1] != 0).all())
    short = StackedMLP([0, 1], hidden=16)
    train_masked(short, masks, X, y, orders[:6], lr=5e-3)
    for a, b in zip(snapshot, (*short.weights, *short.biases)):
        assert torch.equal(a, b)


def test_error_barrier_is_zero_from_a_model_to_itself_and_endpoints_match(lottery_digits, one_thread):
    X, y, X_test, y_test = lottery_digits
    a, b = StackedMLP([0, 1], hidden=16), StackedMLP([2, 3], hidden=16)
    orders = batch_orders([0, 1], len(y), steps=20, batch=50)
    for model in (a, b):
        train_masked(model, [torch.ones_like(w) for w in model.weights], X, y, orders, lr=5e-3)
    assert np.array_equal(error_barrier(a, a, X_test, y_test), np.zeros(2))
    line = interpolation_accuracy(a, b, X_test, y_test, [0.0, 0.5, 1.0])
    for end, model in ((0, a), (2, b)):
        expected = (model(X_test.expand(2, -1, -1)).argmax(2) == y_test).float().mean(1).detach().numpy()
        assert np.allclose(line[end], expected)
    assert bool((error_barrier(a, b, X_test, y_test) >= 0).all())


def test_small_dense_network_has_the_widest_width_within_the_weight_budget(one_thread):
    assert dense_weight_count(64) == 64 * 64 + 64 * 64 + 64 * 10
    width, accuracy = small_dense_accuracy(989, seeds=(0, 1))
    assert width == 11 and dense_weight_count(11) <= 989 < dense_weight_count(12)
    assert accuracy.shape == (2,) and bool((accuracy > 0.5).all())
    with pytest.raises(ValueError, match="n_weights=10"):
        small_dense_accuracy(10)
