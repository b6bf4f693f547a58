"""The one training-and-measure loop that the rank workers of the strategies share (Q7).

A paradigm module builds its model, optimizer and one `step()` (returns this rank's loss); `train_and_measure`
runs it, timing every step and counting the bytes sent through `mlqa.parallel.comm`, then gathers the full trained
parameters and wraps everything in a `StrategyResult`. The batch plumbing (`shard_batch`) and the bytes a rank holds
(`held_bytes_of`, DTensor-aware) live here too, so the paradigm modules hold only their paradigm.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import torch
import torch.distributed as dist
from torch import nn
from torch.distributed.tensor import DTensor

from mlqa.parallel import comm
from mlqa.parallel.launcher import rank_device
from mlqa.parallel.strategies import RankMeasurements, StrategyResult, tensor_bytes


def shard_batch(X: torch.Tensor, Y: torch.Tensor, index: int, n_shards: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Shard `index`'s equal slice of the batch; a batch that does not split evenly is an error (Q7)."""
    if len(X) % n_shards:
        raise ValueError(f"batch size {len(X)} is not divisible by world size {n_shards}")
    size = len(X) // n_shards
    return X[index * size:(index + 1) * size], Y[index * size:(index + 1) * size]


def local_bytes(tensors: Iterable[torch.Tensor | None]) -> int:
    """Bytes this rank stores for `tensors`: a DTensor counts only its local shard, None nothing (Q7)."""
    return tensor_bytes(t.to_local() if isinstance(t, DTensor) else t for t in tensors if t is not None)


def held_bytes_of(model: nn.Module, opt: torch.optim.Optimizer) -> tuple[int, int, int]:
    """Bytes of parameters, gradients and per-parameter optimizer state this rank holds (Q7)."""
    params = list(model.parameters())
    state = (v for s in opt.state.values() for v in s.values() if torch.is_tensor(v) and v.dim() > 0)
    return local_bytes(params), local_bytes(p.grad for p in params), local_bytes(state)


def train_and_measure(name: str, steps: int, optimizer: str, task: tuple[nn.Module, torch.Tensor, torch.Tensor],
                      step: Callable[[], float], full_state: Callable[[], dict[str, torch.Tensor]],
                      holdings: Callable[[], tuple[int, int, int]], average_loss: bool = True,
                      group: dist.ProcessGroup | None = None) -> StrategyResult:
    """Run `step` `steps` times on this rank, measuring time, bytes sent and memory; return the result (Q7).

    `task` is (untrained reference model, full inputs, full targets); `full_state()` returns the whole trained
    state dict under the reference's names (called on every rank, kept on rank 0); `holdings()` the bytes of
    parameters, gradients and optimizer state this rank holds after a step. With `average_loss` the ranks of
    `group` (default: all) saw equal shards of the batch, so their losses are averaged into the full-batch loss;
    without it every rank's loss already is the full-batch loss.
    """
    if steps < 1:
        raise ValueError(f"steps must be >= 1, got {steps}")
    rank = dist.get_rank()
    losses, times = [], []
    with comm.CommCounter() as counter:
        for _ in range(steps):
            start = time.perf_counter()
            losses.append(step())
            times.append(time.perf_counter() - start)
    loss_curve = torch.tensor(losses, device=rank_device())
    if average_loss:  # bookkeeping for the loss curve, not counted
        dist.all_reduce(loss_curve, group=group)
        loss_curve /= dist.get_world_size(group)
    param_bytes, grad_bytes, state_bytes = holdings()
    measurements = RankMeasurements(rank, step_time_s=sum(times) / steps, param_bytes=param_bytes,
                                    grad_bytes=grad_bytes, optimizer_state_bytes=state_bytes,
                                    bytes_sent_per_step={kind: b / steps for kind, b in counter.sent.items()},
                                    calls_per_step={kind: c / steps for kind, c in counter.calls.items()})
    state = {k: v.detach().cpu().clone() for k, v in full_state().items()}
    reference, X, Y = task
    return StrategyResult(name, dist.get_world_size(), optimizer, steps, state if rank == 0 else None, reference,
                          X, Y, loss_curve.tolist(), [measurements], dist.get_backend())
