"""Model (inter-op) parallelism trains the reference MLP exactly like one device (Q7)."""

import pytest

from mlqa.parallel import check_against_single_device, make_mlp, run_strategy, split_into_stages, synthetic_regression


@pytest.mark.parametrize("world_size", [2, 4])
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_model_parallel_equals_one_device(world_size, optimizer):
    result = run_strategy("model", world_size, steps=4, optimizer=optimizer)
    assert check_against_single_device(result) < 1e-5
    assert result.losses[-1] < result.losses[0]
    X, _ = synthetic_regression()
    boundary = X.shape[0] * 32 * 4  # one (batch, 32) float32 activation or gradient per stage boundary
    for m in result.per_rank:
        neighbours = (m.rank > 0) + (m.rank < world_size - 1)
        assert m.bytes_sent_per_step["send"] == neighbours * boundary
        assert 0.0 <= m.idle_fraction <= 1.0
    assert sum(m.param_bytes for m in result.per_rank) == sum(p.numel() * 4 for p in make_mlp().parameters())


def test_stages_are_consecutive_and_keep_names():
    model = make_mlp()
    stages = split_into_stages(model, 3)
    assert [len([m for m in s if m.__class__.__name__ == "Linear"]) for s in stages] == [2, 1, 1]
    names = [k for s in stages for k in s.state_dict()]
    assert names == list(model.state_dict())


def test_more_ranks_than_layers_is_a_clear_error():
    with pytest.raises(ValueError, match="cannot split 4 Linear layers into 5 stages"):
        split_into_stages(make_mlp(), 5)
