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
from collections.abc import Callable

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn

from mlqa.parallel import comm
from mlqa.parallel.launch import rank_device
from mlqa.parallel.reference import make_mlp, make_optimizer, synthetic_regression
from mlqa.parallel.strategies import RankMeasurements, StrategyResult, optimizer_state_bytes, tensor_bytes


def shard_batch(X: torch.Tensor, Y: torch.Tensor, rank: int, world_size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Rank `rank`'s equal slice of the batch; a batch the ranks cannot split evenly is an error (Q7)."""
    if len(X) % world_size:
        raise ValueError(f"batch size {len(X)} is not divisible by world size {world_size}")
    size = len(X) // world_size
    return X[rank * size:(rank + 1) * size], Y[rank * size:(rank + 1) * size]


def reference_task(seed: int = 0) -> tuple[nn.Module, torch.Tensor, torch.Tensor]:
    """The MLP and regression batch that the data-parallel and ZeRO strategies train (Q7)."""
    X, Y = synthetic_regression(n_samples=32, seed=seed)
    return make_mlp(seed=seed), X, Y


def all_reduce_gradients(model: nn.Module, group=None) -> None:
    """Naive synchronisation: average each gradient over `group`'s ranks (default: all), one all-reduce each (Q7)."""
    world_size = dist.get_world_size(group)
    for p in model.parameters():
        if p.grad is not None:
            comm.all_reduce(p.grad, group=group)
            p.grad /= world_size


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
        for p in params:
            p.register_post_accumulate_grad_hook(self._gradient_ready)

    def _gradient_ready(self, p: nn.Parameter) -> None:
        i = self.bucket_of[p]
        self.ready[i] += 1
        if self.ready[i] == len(self.buckets[i]):
            flat = torch.cat([q.grad.reshape(-1) for q in self.buckets[i]])
            self.in_flight.append((self.buckets[i], flat, comm.all_reduce(flat, "avg", async_op=True)))

    def wait(self) -> None:
        """Wait for every bucket and make its averaged values the parameters' gradients; call after backward."""
        if len(self.in_flight) != len(self.buckets):
            raise RuntimeError(f"only {len(self.in_flight)} of {len(self.buckets)} buckets were reduced: "
                               "some parameters received no gradient")
        for bucket, flat, work in self.in_flight:
            work.wait()
            for p, g in zip(bucket, flat.split([q.numel() for q in bucket])):
                p.grad = g.view_as(p)  # the averaged bucket becomes the gradient, no copy
        self.in_flight.clear()
        self.ready = [0] * len(self.buckets)


def measured_training(name: str, steps: int, optimizer: str, reference: nn.Module, X: torch.Tensor,
                      Y: torch.Tensor, step: Callable[[], float], full_state: Callable[[], dict],
                      holdings: Callable[[], tuple[int, int, int]]) -> StrategyResult:
    """Run `step` (returns this rank's loss) `steps` times, measuring time, bytes sent and memory (Q7).

    `holdings()` gives the bytes of parameters, gradients and optimizer state this rank holds after a step;
    `full_state()` the full trained state dict (called on every rank, kept on rank 0).
    """
    rank, world_size = dist.get_rank(), dist.get_world_size()
    losses, times = [], []
    with comm.CommCounter() as counter:
        for _ in range(steps):
            start = time.perf_counter()
            losses.append(step())
            times.append(time.perf_counter() - start)
    param_bytes, grad_bytes, state_bytes = holdings()
    sent = {kind: b / steps for kind, b in counter.sent.items()}
    mean_losses = torch.tensor(losses)
    dist.all_reduce(mean_losses)  # bookkeeping only, not counted
    state = {k: v.detach().cpu() for k, v in full_state().items()}
    measurements = RankMeasurements(rank, step_time_s=sum(times) / steps, param_bytes=param_bytes,
                                    grad_bytes=grad_bytes, optimizer_state_bytes=state_bytes,
                                    bytes_sent_per_step=sent)
    return StrategyResult(name, world_size, optimizer, steps, state if rank == 0 else None, reference, X, Y,
                          (mean_losses / world_size).tolist(), [measurements], dist.get_backend())


def train_data_parallel(name: str, steps: int, optimizer: str, bucketed: bool, seed: int = 0) -> StrategyResult:
    """Data-parallel training of the reference MLP on this rank, naive or bucketed (Q7)."""
    reference, X, Y = reference_task(seed)
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

    def holdings() -> tuple[int, int, int]:
        return (tensor_bytes(model.parameters()), tensor_bytes(p.grad for p in model.parameters()),
                optimizer_state_bytes(opt))

    return measured_training(name, steps, optimizer, reference, X, Y, step, model.state_dict, holdings)


def dp_naive_worker(steps: int, optimizer: str = "sgd") -> StrategyResult:
    """Rank worker of strategy "dp-naive" (Q7)."""
    return train_data_parallel("dp-naive", steps, optimizer, bucketed=False)


def dp_bucketed_worker(steps: int, optimizer: str = "sgd") -> StrategyResult:
    """Rank worker of strategy "dp-bucketed" (Q7)."""
    return train_data_parallel("dp-bucketed", steps, optimizer, bucketed=True)
