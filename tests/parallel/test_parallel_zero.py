"""Q7 ZeRO stages 1-3 from scratch: equal one device (SGD, Adam; 2 and 4 ranks), hold the bytes the ZeRO
paper's formulas say, and send the bytes the ring formulas say."""

import pytest
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn

from mlqa.parallel import (
    check_against_single_device,
    comm,
    launch,
    make_block,
    merge_rank_results,
    synthetic_sequences,
    zero_bytes_per_rank,
    zero_paper_gb,
)
from mlqa.parallel.memory import expected_bytes_sent
from mlqa.parallel.reference import train_single_device
from mlqa.parallel.zero import full_state_dict, parameter_units, shard_model, zero1_worker, zero2_worker, zero3_worker

WORKERS = {1: zero1_worker, 2: zero2_worker, 3: zero3_worker}


def _both_optimizers(stage: int, steps: int) -> list:
    return [WORKERS[stage](steps, optimizer) for optimizer in ("sgd", "adam")]


@pytest.mark.parametrize("world_size", [2, 4])
@pytest.mark.parametrize("stage", [1, 2, 3])
def test_zero_equals_one_device_and_matches_the_formulas(stage, world_size):
    per_rank = launch(_both_optimizers, world_size, stage, 4)
    for by_optimizer in zip(*per_rank):
        result = merge_rank_results(list(by_optimizer))
        assert check_against_single_device(result) < 1e-5, (stage, result.optimizer)
        num_params = sum(p.numel() for p in result.reference.parameters())  # every unit divides by 2 and 4
        state_bytes = {"sgd": 0, "adam": 8}[result.optimizer]
        formula = zero_bytes_per_rank(num_params, world_size, stage, state_bytes=state_bytes)
        sent_formula = expected_bytes_sent(stage, 4 * num_params, world_size)
        for rank in result.per_rank:
            assert rank.param_bytes == formula["parameters"]
            assert rank.grad_bytes == formula["gradients"]
            assert rank.optimizer_state_bytes == formula["optimizer_state"]
            sent = rank.bytes_sent_per_step
            assert sent["reduce_scatter"] == pytest.approx(sent_formula["reduce_scatter"])
            if stage < 3:
                assert sent["all_gather"] == pytest.approx(sent_formula["all_gather"])
            else:  # the first layer's weights are not needed again in backward: gathered once, not twice
                first_layer = 4 * (16 * 32 + 32)
                once = comm.ring_bytes("all_gather", first_layer, world_size)
                assert sent["all_gather"] == pytest.approx(sent_formula["all_gather"] - once)


def _zero3_block(steps: int) -> dict:
    """ZeRO-3 on the transformer block (units: two LayerNorms, attention, MLP) with SGD."""
    model = shard_model(make_block(seed=1))
    X, Y = synthetic_sequences(seed=1)
    n, r = dist.get_world_size(), dist.get_rank()
    x, y = X.chunk(n)[r], Y.chunk(n)[r]
    opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.1)
    for _ in range(steps):
        opt.zero_grad()
        F.mse_loss(model(x), y).backward()
        opt.step()
    return full_state_dict(model)


def test_zero3_shards_a_transformer_block_exactly():
    states = launch(_zero3_block, 2, 3)
    single, _ = train_single_device(make_block(seed=1), *synthetic_sequences(seed=1), steps=3)
    diff = max((single.state_dict()[k] - v).abs().max().item() for k, v in states[0].items())
    assert states[0].keys() == single.state_dict().keys()
    assert diff < 1e-5


def test_zero_paper_example():
    # Rajbhandari et al. 2020, figure 1: 7.5B parameters, 64 devices, K = 12
    assert [round(zero_paper_gb(7.5e9, 64, s), 2) for s in range(4)] == [120.0, 31.41, 16.64, 1.88]


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="stage must be 0"):
        zero_bytes_per_rank(10, 2, 4)

    class Loose(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = nn.Parameter(torch.ones(3))
            self.layer = nn.Linear(3, 3)

    with pytest.raises(ValueError, match="3 of 15 parameters sit directly on the root"):
        parameter_units(Loose())
