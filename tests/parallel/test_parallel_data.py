"""Q7 data parallelism: naive and bucketed equal one device (SGD, Adam; 2 and 4 ranks), bytes match the ring
formula, bucketing overlaps backward, and quiz 7-B's CPU measurement is sane."""

import pytest
import torch
import torch.distributed as dist
import torch.nn.functional as F

from mlqa.parallel import comm
from mlqa.parallel.data_parallel import BucketedGradientSync, dp_bucketed_worker, dp_naive_worker, shard_batch
from mlqa.parallel.launch import launch
from mlqa.parallel.memory import cpu_data_parallel_vs_one_process
from mlqa.parallel.reference import make_mlp, synthetic_regression
from mlqa.parallel.strategies import check_against_single_device, merge_rank_results

WORKERS = {"dp-naive": dp_naive_worker, "dp-bucketed": dp_bucketed_worker}


def _both_optimizers(name: str, steps: int) -> list:
    return [WORKERS[name](steps, optimizer) for optimizer in ("sgd", "adam")]


@pytest.mark.parametrize("world_size", [2, 4])
@pytest.mark.parametrize("name", sorted(WORKERS))
def test_data_parallel_equals_one_device(name, world_size):
    per_rank = launch(_both_optimizers, world_size, name, 4)
    for by_optimizer in zip(*per_rank):
        result = merge_rank_results(list(by_optimizer))
        assert check_against_single_device(result) < 1e-5, (name, result.optimizer)
        assert result.losses[-1] < result.losses[0]
        model_bytes = 4 * sum(p.numel() for p in result.reference.parameters())
        for rank in result.per_rank:
            assert rank.bytes_sent_per_step == {
                "all_reduce": pytest.approx(comm.ring_bytes("all_reduce", model_bytes, world_size))}
            assert rank.param_bytes == rank.grad_bytes == model_bytes
            assert rank.optimizer_state_bytes == {"sgd": 0, "adam": 2 * model_bytes}[result.optimizer]


def _bucket_overlap() -> tuple[int, int]:
    """How many buckets were already in flight when backward's last gradient arrived."""
    model = make_mlp((16, 64, 64, 64, 16), seed=0)
    X, Y = synthetic_regression(n_samples=8, seed=0)
    sync = BucketedGradientSync(model, bucket_bytes=4 * 64 * 64)
    first = next(model.parameters())  # the first layer's gradient arrives last
    in_flight_before_last = []
    first.register_post_accumulate_grad_hook(lambda p: in_flight_before_last.append(len(sync.in_flight)))
    x, y = shard_batch(X, Y, dist.get_rank(), dist.get_world_size())
    F.mse_loss(model(x), y).backward()
    sync.wait()
    return len(sync.buckets), in_flight_before_last[0]


def test_buckets_are_reduced_during_backward():
    for n_buckets, in_flight in launch(_bucket_overlap, 2):
        assert n_buckets >= 3
        assert in_flight >= 2, "no bucket was all-reduced before backward finished"


def test_a_batch_the_ranks_cannot_split_is_an_error():
    X, Y = torch.zeros(10, 2), torch.zeros(10, 2)
    with pytest.raises(ValueError, match="batch size 10 is not divisible by world size 3"):
        shard_batch(X, Y, 0, 3)


def test_data_parallel_on_one_cpu_cannot_beat_its_cores():
    times = cpu_data_parallel_vs_one_process(world_size=2, dims=(64, 256, 64), batch=64, steps=4, rounds=1)
    assert set(times) >= {"one_thread_s", "all_threads_s", "data_parallel_s"}
    assert times["speedup_vs_one_thread"] < 1.5 * times["cpu_cores"]
