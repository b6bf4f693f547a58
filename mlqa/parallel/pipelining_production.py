"""The production counterpart: `torch.distributed.pipelining` ScheduleGPipe / Schedule1F1B on the same MLP (Q7).

PyTorch's schedules divide the gradients by the number of microbatches (`scale_grads=True`), so a loss of
`mse_loss` per microbatch gives the gradient of the full-batch mean loss, as in `mlqa.parallel.pipeline`.
"""

from __future__ import annotations

import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.distributed.pipelining import PipelineStage, Schedule1F1B, ScheduleGPipe

from mlqa.parallel.launcher import rank_device
from mlqa.parallel.pipeline import split_microbatches, stage_slices
from mlqa.parallel.reference import make_mlp, make_optimizer, synthetic_regression
from mlqa.parallel.strategies import RankMeasurements, StrategyResult, optimizer_state_bytes, tensor_bytes

PRODUCTION_SCHEDULES = {"gpipe": ScheduleGPipe, "1f1b": Schedule1F1B}


def pipelining_train(model: nn.Sequential, X: torch.Tensor, Y: torch.Tensor, steps: int = 3,
                     optimizer: str = "sgd", schedule: str = "1f1b",
                     n_microbatches: int = 4) -> tuple[nn.Module, list[float], list[float], torch.optim.Optimizer]:
    """Train `model` with PyTorch's pipeline schedule over the group; return stage, losses, step times, opt (Q7)."""
    if schedule not in PRODUCTION_SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}; use one of {sorted(PRODUCTION_SCHEDULES)}")
    rank, p = dist.get_rank(), dist.get_world_size()
    split_microbatches(X, n_microbatches)  # same error as mlqa's pipeline for a bad count
    device = rank_device()
    stage_module = model[stage_slices(model, p)[rank]].to(device)
    stage = PipelineStage(stage_module, rank, p, device)
    runner = PRODUCTION_SCHEDULES[schedule](stage, n_microbatches, loss_fn=F.mse_loss)
    opt = make_optimizer(stage_module.parameters(), optimizer)
    X, Y = X.to(device), Y.to(device)
    losses, step_times = [], []
    for _ in range(steps):
        dist.barrier()
        start = time.perf_counter()
        opt.zero_grad()
        if rank == 0:
            runner.step(X)
        elif rank == p - 1:
            mb_losses: list[torch.Tensor] = []
            runner.step(target=Y, losses=mb_losses)
            losses.append(torch.stack(mb_losses).mean().item())
        else:
            runner.step()
        opt.step()
        step_times.append(time.perf_counter() - start)
    return stage_module, losses, step_times, opt


def pipelining_worker(steps: int = 3, optimizer: str = "sgd", schedule: str = "1f1b",
                      n_microbatches: int = 4) -> StrategyResult:
    """Strategy worker: the reference MLP through torch.distributed.pipelining (Q7)."""
    model, (X, Y) = make_mlp(), synthetic_regression()
    stage, losses, step_times, opt = pipelining_train(model, X, Y, steps, optimizer, schedule, n_microbatches)
    everyone: list = [None] * dist.get_world_size()
    dist.all_gather_object(everyone, ({k: v.detach().cpu() for k, v in stage.state_dict().items()}, losses))
    rank = dist.get_rank()
    measured = RankMeasurements(rank=rank, step_time_s=sum(step_times) / len(step_times),
                                param_bytes=tensor_bytes(stage.parameters()),
                                grad_bytes=tensor_bytes(q.grad for q in stage.parameters()),
                                optimizer_state_bytes=optimizer_state_bytes(opt))
    state = {k: v for part, _ in everyone for k, v in part.items()} if rank == 0 else None
    return StrategyResult(name=f"pipelining-{schedule}", world_size=dist.get_world_size(), optimizer=optimizer,
                          steps=steps, state_dict=state, reference=make_mlp(), inputs=X, targets=Y,
                          losses=everyone[-1][1], per_rank=[measured], backend=dist.get_backend())


def pipelining_gpipe_worker(steps: int = 3, optimizer: str = "sgd") -> StrategyResult:
    """Strategy "pipelining-gpipe": ScheduleGPipe with 4 microbatches (Q7)."""
    return pipelining_worker(steps, optimizer, "gpipe")


def pipelining_1f1b_worker(steps: int = 3, optimizer: str = "sgd") -> StrategyResult:
    """Strategy "pipelining-1f1b": Schedule1F1B with 4 microbatches (Q7)."""
    return pipelining_worker(steps, optimizer, "1f1b")
