"""Q7 production counterparts: DDP, ZeroRedundancyOptimizer and FSDP2 give the same parameters as mlqa's
bucketed data parallelism, ZeRO-1 and ZeRO-3, and as one device (SGD, Adam; 2 and 4 ranks)."""

import pytest

from mlqa.parallel import check_against_single_device, launch, max_param_diff, merge_rank_results
from mlqa.parallel.data_parallel import dp_bucketed_worker
from mlqa.parallel.production import ddp_worker, fsdp2_worker, zero_optimizer_worker
from mlqa.parallel.zero import zero1_worker, zero3_worker

PAIRS = {"ddp": (ddp_worker, dp_bucketed_worker), "zero-optimizer": (zero_optimizer_worker, zero1_worker),
         "fsdp2": (fsdp2_worker, zero3_worker)}


def _production_and_mlqa(name: str, steps: int) -> list:
    production, ours = PAIRS[name]
    return [worker(steps, optimizer) for optimizer in ("sgd", "adam") for worker in (production, ours)]


@pytest.mark.parametrize(("name", "world_size"), [("ddp", 2), ("zero-optimizer", 2), ("fsdp2", 2), ("fsdp2", 4)])
def test_production_equals_mlqa_and_one_device(name, world_size):
    per_rank = launch(_production_and_mlqa, world_size, name, 4)
    results = [merge_rank_results(list(r)) for r in zip(*per_rank)]
    for production, ours in zip(results[::2], results[1::2]):
        assert production.name == name and production.optimizer == ours.optimizer
        assert check_against_single_device(production) < 1e-5, (name, production.optimizer)
        assert max_param_diff(production.state_dict, ours.state_dict) < 1e-5
        for theirs, mine in zip(production.per_rank, ours.per_rank):  # same bytes held per rank
            assert theirs.param_bytes == mine.param_bytes
            if name != "zero-optimizer":  # torch shards whole parameters over ranks, mlqa flat slices
                assert theirs.optimizer_state_bytes == mine.optimizer_state_bytes


def test_zero_redundancy_optimizer_shards_adam_state():
    results = merge_rank_results(launch(zero_optimizer_worker, 2, 2, "adam"))
    model_bytes = 4 * sum(p.numel() for p in results.reference.parameters())
    held = [r.optimizer_state_bytes for r in results.per_rank]
    assert sum(held) == 2 * model_bytes  # every moment lives on exactly one rank
    assert max(held) < 2 * model_bytes
