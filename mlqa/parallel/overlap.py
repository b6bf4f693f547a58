"""Seeing bucketed data parallelism overlap communication with backward: timelines of real steps (Q7).

Each rank records when it computes forward and backward, and when every all-reduce is launched and completes
(a completion callback on the collective's future). Naive data parallelism starts communicating only after
backward; bucketed data parallelism launches each bucket while backward is still running, so most of the
communication hides behind compute (Li et al. 2020).
"""

from __future__ import annotations

import torch
import torch.distributed as dist
import torch.nn.functional as F

from mlqa.parallel.data_parallel import BucketedGradientSync, all_reduce_gradients
from mlqa.parallel.launcher import launch, rank_device
from mlqa.parallel.reference import make_mlp, make_optimizer, synthetic_regression
from mlqa.parallel.schedule import ScheduleRecorder, Span
from mlqa.parallel.training import shard_batch

OVERLAP_DIMS = (256, 1024, 1024, 1024, 256)  # three 4 MiB weight matrices: one bucket each at 4 MiB


def overlap_worker(bucketed: bool, dims: tuple[int, ...] = OVERLAP_DIMS, batch: int = 64,
                   bucket_bytes: int = 4 * 2**20 + 4 * 1024, steps: int = 3, seed: int = 0) -> tuple[list[Span], float]:
    """Every rank's spans of the fastest of `steps` data-parallel SGD steps, and that step's time (Q7).

    Kinds: "forward", "backward", "wait" (bucketed: waiting for the buckets after backward) and "all-reduce"
    (bucketed: one span per bucket from launch to completion, numbered by bucket; naive: all of them in one span).
    """
    rank, world = dist.get_rank(), dist.get_world_size()
    device = rank_device()
    model = make_mlp(dims, seed=seed).to(device)
    X, Y = synthetic_regression(n_samples=batch, in_dim=dims[0], out_dim=dims[-1], seed=seed)
    x, y = (t.to(device) for t in shard_batch(X, Y, rank, world))
    opt = make_optimizer(model.parameters(), "sgd")
    sync = BucketedGradientSync(model, bucket_bytes) if bucketed else None
    recorded, step_times = [], []
    for _ in range(steps):
        dist.barrier()
        recorder = ScheduleRecorder(rank)
        opt.zero_grad()
        with recorder.span("forward"):
            loss = F.mse_loss(model(x), y)
        with recorder.span("backward"):
            loss.backward()
        if sync:
            with recorder.span("wait"):
                sync.wait()
            comm = [Span(rank, "all-reduce", t.bucket, t.launched - recorder.t0, t.finished - recorder.t0)
                    for t in sync.last_step_timings]
        else:
            with recorder.span("all-reduce"):
                all_reduce_gradients(model)
            comm = []
        opt.step()
        step_times.append(recorder.now())
        recorded.append(recorder.spans + comm)
    slowest = torch.tensor(step_times, device=device)
    dist.all_reduce(slowest, op=dist.ReduceOp.MAX)  # a step takes as long as its slowest rank
    best = int(slowest.argmin())
    everyone: list = [None] * world
    dist.all_gather_object(everyone, recorded[best])
    return [s for spans in everyone for s in spans], float(slowest[best])


def measure_overlap(world_size: int = 2, steps: int = 3) -> dict[str, tuple[list[Span], float]]:
    """Spans and step time of naive and bucketed data parallelism on the same MLP, batch and ranks (Q7)."""
    return {name: launch(overlap_worker, world_size, bucketed, steps=steps)[0]
            for name, bucketed in (("naive", False), ("bucketed", True))}


def overlapped_buckets(spans: list[Span]) -> dict[int, int]:
    """Per rank: how many all-reduces were launched before that rank's backward finished (Q7)."""
    ends = {s.rank: s.end for s in spans if s.kind == "backward"}
    return {rank: sum(1 for s in spans if s.rank == rank and s.kind == "all-reduce" and s.start < end)
            for rank, end in ends.items()}


def hidden_communication(spans: list[Span]) -> dict[int, float]:
    """Per rank: the share of all-reduce time that ran while backward was still computing (Q7)."""
    out = {}
    for rank in sorted({s.rank for s in spans}):
        backward = next(s for s in spans if s.rank == rank and s.kind == "backward")
        comm = [s for s in spans if s.rank == rank and s.kind == "all-reduce"]
        total = sum(s.duration for s in comm)
        hidden = sum(max(0.0, min(s.end, backward.end) - max(s.start, backward.start)) for s in comm)
        out[rank] = hidden / total if total > 0 else 0.0
    return out
