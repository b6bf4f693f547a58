"""Data parallelism from scratch: every rank holds the whole model and a slice of the batch (Q7).

- Naive: after backward, all-reduce every gradient one by one, then step.
- Bucketed: gradients are grouped into buckets in the order backward produces them; each bucket is
  all-reduced asynchronously the moment its last gradient arrives, so communication overlaps the rest of
  the backward pass (the idea behind PyTorch DDP, Li et al. 2020).

Averaging the ranks' mean losses over equal shards gives the mean loss of the whole batch, so the averaged
gradient, and therefore every step, equals one device training on the full batch.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn

from mlqa.parallel import comm
from mlqa.parallel.launcher import rank_device
from mlqa.parallel.reference import make_optimizer, reference_task
from mlqa.parallel.strategies import StrategyResult
from mlqa.parallel.training import held_bytes_of, shard_batch, train_and_measure


def all_reduce_gradients(model: nn.Module, group=None) -> None:
    """Naive synchronisation: average each gradient over `group`'s ranks (default: all), one all-reduce each (Q7)."""
    world_size = dist.get_world_size(group)
    for p in model.parameters():
        if p.grad is not None:
            comm.all_reduce(p.grad, group=group)
            p.grad /= world_size


@dataclass
class BucketTiming:
    """When one bucket's all-reduce was launched and when it completed (time.perf_counter seconds) (Q7)."""

    bucket: int
    nbytes: int
    launched: float
    finished: float | None = None

    def finish(self, _future) -> None:
        """Future callback: stamp the completion time."""
        self.finished = time.perf_counter()


class BucketedGradientSync:
    """All-reduce gradients in buckets, each launched during backward as soon as it is complete (Q7)."""

    def __init__(self, model: nn.Module, bucket_bytes: int = 25 * 2**20):
        params = [p for p in model.parameters() if p.requires_grad]
        self.buckets: list[list[nn.Parameter]] = [[]]
        size = 0
        for p in reversed(params):  # backward produces the last layer's gradients first
            if self.buckets[-1] and size + p.numel() * p.element_size() > bucket_bytes:
                self.buckets.append([])
                size = 0
            self.buckets[-1].append(p)
            size += p.numel() * p.element_size()
        self.bucket_of = {p: i for i, bucket in enumerate(self.buckets) for p in bucket}
        self.ready = [0] * len(self.buckets)
        self.in_flight: list[tuple[list[nn.Parameter], torch.Tensor, object]] = []
        self.timings: list[BucketTiming] = []  # this step's buckets, in launch order
        self.last_step_timings: list[BucketTiming] = []  # the previous step's, complete
        for p in params:
            p.register_post_accumulate_grad_hook(self._gradient_ready)

    def _gradient_ready(self, p: nn.Parameter) -> None:
        i = self.bucket_of[p]
        self.ready[i] += 1
        if self.ready[i] == len(self.buckets[i]):
            flat = torch.cat([q.grad.reshape(-1) for q in self.buckets[i]])
            work = comm.all_reduce(flat, "avg", async_op=True)
            timing = BucketTiming(i, flat.numel() * flat.element_size(), time.perf_counter())
            work.get_future().then(timing.finish)  # runs when the all-reduce completes, on the backend's thread
            self.timings.append(timing)
            self.in_flight.append((self.buckets[i], flat, work))

    def wait(self) -> None:
        """Wait for every bucket and make its averaged values the parameters' gradients; call after backward."""
        if len(self.in_flight) != len(self.buckets):
            raise RuntimeError(f"only {len(self.in_flight)} of {len(self.buckets)} buckets were reduced: "
                               "some parameters received no gradient")
        for (bucket, flat, work), timing in zip(self.in_flight, self.timings):
            work.wait()
            if timing.finished is None:  # the completion callback has not run yet: it completed by now
                timing.finished = time.perf_counter()
            for p, g in zip(bucket, flat.split([q.numel() for q in bucket])):
                p.grad = g.view_as(p)  # the averaged bucket becomes the gradient, no copy
        self.in_flight.clear()
        self.ready = [0] * len(self.buckets)
        self.last_step_timings, self.timings = self.timings, []


def train_data_parallel(name: str, steps: int, optimizer: str, bucketed: bool, seed: int = 0) -> StrategyResult:
    """Data-parallel training of the reference MLP on this rank, naive or bucketed (Q7)."""
    task = reference, X, Y = reference_task(seed)
    device = rank_device()
    model = copy.deepcopy(reference).to(device)
    x, y = (t.to(device) for t in shard_batch(X, Y, dist.get_rank(), dist.get_world_size()))
    opt = make_optimizer(model.parameters(), optimizer)
    sync = BucketedGradientSync(model) if bucketed else None

    def step() -> float:
        opt.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        sync.wait() if sync else all_reduce_gradients(model)
        opt.step()
        return loss.item()

    return train_and_measure(name, steps, optimizer, task, step, model.state_dict, lambda: held_bytes_of(model, opt))


def dp_naive_worker(steps: int, optimizer: str = "sgd") -> StrategyResult:
    """Rank worker of strategy "dp-naive" (Q7)."""
    return train_data_parallel("dp-naive", steps, optimizer, bucketed=False)


def dp_bucketed_worker(steps: int, optimizer: str = "sgd") -> StrategyResult:
    """Rank worker of strategy "dp-bucketed" (Q7)."""
    return train_data_parallel("dp-bucketed", steps, optimizer, bucketed=True)
