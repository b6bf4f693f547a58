"""Model (inter-op) parallelism: consecutive layers live on different ranks (Q7).

Rank r holds a contiguous slice of the network. In the forward pass each rank waits for the activations of
the rank before it, runs its layers and sends its output on; the last rank computes the loss. The backward
pass runs the other way: each rank receives the gradient of its output, backpropagates through its layers and
sends the gradient of its input back. Only one rank computes at any moment, which is the idle time pipeline
parallelism later shrinks.
"""

from __future__ import annotations

import copy
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn

from mlqa.parallel import comm
from mlqa.parallel.launcher import rank_device
from mlqa.parallel.reference import make_mlp, make_optimizer, synthetic_regression
from mlqa.parallel.strategies import RankMeasurements, StrategyResult, optimizer_state_bytes, tensor_bytes


def split_into_stages(model: nn.Sequential, n_stages: int) -> list[nn.Sequential]:
    """Cut a Sequential into `n_stages` consecutive pieces, each Linear keeping the activation after it (Q7).

    Pieces keep the original module names ("2.weight"), so their state dicts merge back into the model's.
    """
    starts = [i for i, m in enumerate(model) if isinstance(m, nn.Linear)]
    if not 1 <= n_stages <= len(starts):
        raise ValueError(f"cannot split {len(starts)} Linear layers into {n_stages} stages; "
                         f"use between 1 and {len(starts)} ranks")
    per_stage, extra = divmod(len(starts), n_stages)
    bounds, layer = [0], 0
    for s in range(n_stages):
        layer += per_stage + (s < extra)
        bounds.append(starts[layer] if layer < len(starts) else len(model))
    return [copy.deepcopy(model[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]


def _timed_recv(shape: torch.Size, src: int, device: torch.device) -> tuple[torch.Tensor, float]:
    """Receive a float tensor of `shape` from `src`; also return the seconds spent waiting."""
    buffer = torch.empty(shape, device=device)
    start = time.perf_counter()
    comm.recv(buffer, src)
    return buffer, time.perf_counter() - start


def model_parallel_step(stage: nn.Sequential, opt: torch.optim.Optimizer, X: torch.Tensor,
                        Y: torch.Tensor) -> tuple[float, float]:
    """One training step of this rank's stage; returns the full-batch loss and the seconds spent waiting (Q7)."""
    rank, world = dist.get_rank(), dist.get_world_size()
    first, last = rank == 0, rank == world - 1
    opt.zero_grad()
    waited = 0.0
    if first:
        x = X
    else:
        x, wait = _timed_recv((X.shape[0], stage[0].in_features), rank - 1, X.device)
        x.requires_grad_(True)
        waited += wait
    out = stage(x)
    if last:
        loss = F.mse_loss(out, Y)
        loss.backward()
    else:
        comm.send(out.detach(), rank + 1)
        grad, wait = _timed_recv(out.shape, rank + 1, X.device)
        waited += wait
        out.backward(grad)
        loss = torch.zeros((), device=X.device)
    if not first:
        comm.send(x.grad, rank - 1)
    opt.step()
    loss = loss.detach().reshape(1)
    dist.broadcast(loss, src=world - 1)  # bookkeeping for the loss curve, not part of the algorithm
    return loss.item(), waited


def model_parallel_worker(steps: int, optimizer: str = "sgd") -> StrategyResult:
    """Rank worker of the "model" strategy: the reference MLP's layers spread over the ranks (Q7)."""
    rank, world = dist.get_rank(), dist.get_world_size()
    model = make_mlp()
    stage = split_into_stages(model, world)[rank].to(rank_device())
    X, Y = synthetic_regression()
    X, Y = X.to(rank_device()), Y.to(rank_device())
    opt = make_optimizer(stage.parameters(), optimizer)
    losses, busy, idle = [], 0.0, 0.0
    with comm.CommCounter() as counter:
        for _ in range(steps):
            start = time.perf_counter()
            loss, waited = model_parallel_step(stage, opt, X, Y)
            busy += time.perf_counter() - start
            idle += waited
            losses.append(loss)
    measurements = RankMeasurements(
        rank=rank, step_time_s=busy / steps, param_bytes=tensor_bytes(stage.parameters()),
        grad_bytes=tensor_bytes(p.grad for p in stage.parameters()), optimizer_state_bytes=optimizer_state_bytes(opt),
        bytes_sent_per_step={kind: sent / steps for kind, sent in counter.sent.items()},
        calls_per_step={kind: calls / steps for kind, calls in counter.calls.items()}, idle_fraction=idle / busy)
    pieces = [None] * world if rank == 0 else None
    dist.gather_object({k: v.cpu() for k, v in stage.state_dict().items()}, pieces, dst=0)
    state = {k: v for piece in pieces for k, v in piece.items()} if rank == 0 else None
    return StrategyResult("model", world, optimizer, steps, state, model, X.cpu(), Y.cpu(), losses,
                          [measurements], dist.get_backend())
