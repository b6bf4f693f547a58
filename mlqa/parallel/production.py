"""PyTorch's production counterparts of mlqa's data parallelism and ZeRO, on the same model and data (Q7).

- `DistributedDataParallel`: bucketed all-reduce overlapped with backward (mlqa's "dp-bucketed").
- `ZeroRedundancyOptimizer`: optimizer state sharded over the ranks (ZeRO stage 1, mlqa's "zero1").
- FSDP2 `fully_shard` on an explicit device mesh: parameters, gradients and optimizer state sharded, each
  layer's parameters gathered on demand (ZeRO stage 3, mlqa's "zero3").

PyTorch runs its own collectives here, so bytes sent are not counted (None).
"""

from __future__ import annotations

import copy
from functools import partial

import torch
import torch.distributed as dist
from torch import nn
from torch.distributed.device_mesh import init_device_mesh
from torch.distributed.fsdp import fully_shard
from torch.distributed.optim import ZeroRedundancyOptimizer
from torch.distributed.tensor import DTensor
from torch.nn.parallel import DistributedDataParallel

from mlqa.parallel.launcher import rank_device
from mlqa.parallel.reference import make_optimizer, reference_task, train_step
from mlqa.parallel.strategies import StrategyResult
from mlqa.parallel.training import held_bytes_of, shard_batch, train_and_measure


def fsdp2_model(model: nn.Module, world_size: int) -> nn.Module:
    """A copy of `model` with each parameter-holding child and the root wrapped by FSDP2 `fully_shard` (Q7)."""
    model = copy.deepcopy(model).to(rank_device())
    mesh = init_device_mesh(rank_device().type, (world_size,))
    for child in model.children():
        if any(True for _ in child.parameters()):
            fully_shard(child, mesh=mesh)
    return fully_shard(model, mesh=mesh)


def _train(name: str, model: nn.Module, opt: torch.optim.Optimizer, steps: int, optimizer: str,
           state_optimizer: torch.optim.Optimizer, full_state, seed: int) -> StrategyResult:
    """Train a wrapped model on this rank's shard of the reference batch; `state_optimizer` holds the state."""
    task = _, X, Y = reference_task(seed)
    x, y = (t.to(rank_device()) for t in shard_batch(X, Y, dist.get_rank(), dist.get_world_size()))
    return train_and_measure(name, steps, optimizer, task, partial(train_step, model, opt, x, y), full_state,
                             lambda: held_bytes_of(model, state_optimizer))


def ddp_worker(steps: int, optimizer: str = "sgd", seed: int = 0) -> StrategyResult:
    """Rank worker of strategy "ddp": torch DistributedDataParallel (Q7)."""
    model = DistributedDataParallel(copy.deepcopy(reference_task(seed)[0]).to(rank_device()))
    opt = make_optimizer(model.parameters(), optimizer)
    return _train("ddp", model, opt, steps, optimizer, opt, lambda: dict(model.module.state_dict()), seed)


def zero_optimizer_worker(steps: int, optimizer: str = "sgd", seed: int = 0) -> StrategyResult:
    """Rank worker of strategy "zero-optimizer": DDP with torch's ZeroRedundancyOptimizer (Q7)."""
    model = DistributedDataParallel(copy.deepcopy(reference_task(seed)[0]).to(rank_device()))
    probe = make_optimizer([nn.Parameter(torch.zeros(1))], optimizer)  # the class and settings mlqa uses
    opt = ZeroRedundancyOptimizer(model.parameters(), optimizer_class=type(probe), **probe.defaults)
    return _train("zero-optimizer", model, opt, steps, optimizer, opt.optim,
                  lambda: dict(model.module.state_dict()), seed)


def fsdp2_worker(steps: int, optimizer: str = "sgd", seed: int = 0) -> StrategyResult:
    """Rank worker of strategy "fsdp2": FSDP2 fully_shard on a CPU (or GPU) device mesh (Q7)."""
    model = fsdp2_model(reference_task(seed)[0], dist.get_world_size())
    opt = make_optimizer(model.parameters(), optimizer)

    def full_state() -> dict[str, torch.Tensor]:
        return {k: v.full_tensor() if isinstance(v, DTensor) else v for k, v in model.state_dict().items()}

    return _train("fsdp2", model, opt, steps, optimizer, opt, full_state, seed)
