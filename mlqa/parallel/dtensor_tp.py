"""PyTorch's own tensor parallelism: DTensor `parallelize_module` with column- and row-wise plans (Q7).

The same reference block as `tensor_parallel`, split the same way, but PyTorch does the bookkeeping: each
parameter becomes a DTensor that knows which slice this rank holds (`Shard(0)` for column-wise, `Shard(1)` for
row-wise), and the plan's input/output layouts insert the all-reduces that mlqa writes by hand as f and g.
"""

from __future__ import annotations

import copy
import warnings

import torch
import torch.distributed as dist
from torch import nn
from torch.distributed.device_mesh import DeviceMesh, init_device_mesh
from torch.distributed.tensor import DTensor
from torch.distributed.tensor.debug import CommDebugMode
from torch.distributed.tensor.parallel import ColwiseParallel, ParallelStyle, RowwiseParallel, parallelize_module

from mlqa.parallel.launcher import rank_device
from mlqa.parallel.reference import (
    TransformerBlock,
    make_block_without_key_bias,
    make_optimizer,
    synthetic_sequences,
    train_step,
)
from mlqa.parallel.strategies import StrategyResult
from mlqa.parallel.tensor_parallel import check_divisible
from mlqa.parallel.training import held_bytes_of, train_and_measure


def block_plan() -> dict[str, ParallelStyle]:
    """The Megatron split as a DTensor plan: q, k, v and the MLP's first layer column-wise, the rest row-wise (Q7)."""
    return {"attn.q": ColwiseParallel(), "attn.k": ColwiseParallel(), "attn.v": ColwiseParallel(),
            "attn.out": RowwiseParallel(), "mlp.up": ColwiseParallel(), "mlp.down": RowwiseParallel()}


def build_dtensor_block(block: TransformerBlock, mesh: DeviceMesh | None = None) -> nn.Module:
    """A copy of `block` on this rank's device, parallelised over a 1-D mesh of all ranks (Q7)."""
    world = dist.get_world_size()
    check_divisible("n_heads", block.attn.n_heads, world)
    check_divisible("d_hidden", block.mlp.up.out_features, world)
    if mesh is None:
        mesh = init_device_mesh(rank_device().type, (world,))
    return parallelize_module(copy.deepcopy(block).to(rank_device()), mesh, block_plan())


def full_state_dict(model: nn.Module) -> dict[str, torch.Tensor]:
    """Every parameter whole on every rank (DTensor shards gathered), on the CPU (Q7)."""
    return {name: (p.full_tensor() if isinstance(p, DTensor) else p).detach().cpu().clone()
            for name, p in model.named_parameters()}


def dtensor_worker(steps: int, optimizer: str = "sgd") -> StrategyResult:
    """Rank worker of the "dtensor" strategy: the reference block trained with DTensor tensor parallelism (Q7).

    DTensor's collectives bypass `mlqa.parallel.comm`, so PyTorch's CommDebugMode counts them on the first step.
    """
    block = make_block_without_key_bias()
    X, Y = synthetic_sequences()
    model = build_dtensor_block(block)
    opt = make_optimizer(model.parameters(), optimizer)
    Xd, Yd = X.to(rank_device()), Y.to(rank_device())
    debug, steps_done = CommDebugMode(), 0

    def step() -> float:
        nonlocal steps_done
        steps_done += 1
        if steps_done > 1:
            return train_step(model, opt, Xd, Yd)
        with debug, warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Full backward hook is firing")  # CommDebugMode's module hooks
            return train_step(model, opt, Xd, Yd)

    result = train_and_measure("dtensor", steps, optimizer, (block, X, Y), step, lambda: full_state_dict(model),
                               lambda: held_bytes_of(model, opt), average_loss=False)
    result.per_rank[0].calls_per_step = {_short_name(op): n for op, n in debug.get_comm_counts().items()}
    return result


def plan_placements_worker() -> dict[str, tuple[str, tuple[int, ...], tuple[int, ...]]]:
    """Each parameter's placement, local shape and full shape on this rank under `block_plan` (Q7)."""
    model = build_dtensor_block(make_block_without_key_bias())
    return {name: (str(p.placements[0]), tuple(p.to_local().shape), tuple(p.shape)) if isinstance(p, DTensor)
            else ("whole (plain tensor)", tuple(p.shape), tuple(p.shape)) for name, p in model.named_parameters()}


def _short_name(op) -> str:
    """'all_reduce' for torch.ops._c10d_functional.all_reduce and the like."""
    return str(op).split(".")[-1].removesuffix("_into_tensor_coalesced").removesuffix("_tensor")
