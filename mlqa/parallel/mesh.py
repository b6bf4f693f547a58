"""A 2-D device mesh: data parallelism across one axis, tensor parallelism along the other (Q7).

N ranks form a (N/2) x 2 grid. Rank r sits at row r // 2 (its data-parallel replica) and column r % 2 (its
tensor-parallel shard). The two ranks of a row split every layer of the block between them (tensor
parallelism, communicating inside the row); the rows see different slices of the batch and average their
gradients (data parallelism, communicating down a column). This is how large models combine paradigms:
tensor parallelism inside a machine's fast links, data parallelism across machines.

`mesh_2d_worker` builds it from mlqa's pieces: `tensor_parallel.TensorParallelBlock` on the row's process
group and `data_parallel.all_reduce_gradients` on the column's group. `mesh_fsdp_tp_worker` is PyTorch's version:
DTensor tensor parallelism on the mesh's "tp" axis and FSDP2 `fully_shard` on its "dp" axis.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from functools import partial

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.distributed.device_mesh import init_device_mesh
from torch.distributed.fsdp import fully_shard

from mlqa.parallel.data_parallel import all_reduce_gradients
from mlqa.parallel.dtensor_tp import build_dtensor_block, full_state_dict
from mlqa.parallel.launcher import rank_device
from mlqa.parallel.reference import make_block_without_key_bias, make_optimizer, synthetic_sequences, train_step
from mlqa.parallel.strategies import StrategyResult
from mlqa.parallel.tensor_parallel import TensorParallelBlock, gather_full_state_dict
from mlqa.parallel.training import held_bytes_of, shard_batch, train_and_measure

TENSOR_PARALLEL_SIZE = 2


def mesh_shape(world_size: int, tensor_parallel: int = TENSOR_PARALLEL_SIZE) -> tuple[int, int]:
    """(data-parallel size, tensor-parallel size) of the 2-D mesh over `world_size` ranks (Q7)."""
    if world_size < 2 * tensor_parallel or world_size % tensor_parallel:
        raise ValueError(f"a 2-D mesh needs a world size that is a multiple of the tensor-parallel size "
                         f"{tensor_parallel} with at least 2 data-parallel replicas; got {world_size} ranks")
    return world_size // tensor_parallel, tensor_parallel


def mesh_coordinates(rank: int, tensor_parallel: int = TENSOR_PARALLEL_SIZE) -> tuple[int, int]:
    """(data-parallel index, tensor-parallel index) of `rank`: rows replicate, columns shard (Q7)."""
    return rank // tensor_parallel, rank % tensor_parallel


def make_mesh_groups(tensor_parallel: int = TENSOR_PARALLEL_SIZE) -> tuple[dist.ProcessGroup, dist.ProcessGroup]:
    """This rank's (data-parallel column group, tensor-parallel row group); every rank builds all groups (Q7)."""
    rank = dist.get_rank()
    dp, tp = mesh_shape(dist.get_world_size(), tensor_parallel)
    mine = {}
    for row in range(dp):  # new_group must be called by every rank for every group, in the same order
        group = dist.new_group([row * tp + col for col in range(tp)])
        if mesh_coordinates(rank, tp)[0] == row:
            mine["tp"] = group
    for col in range(tp):
        group = dist.new_group([row * tp + col for row in range(dp)])
        if mesh_coordinates(rank, tp)[1] == col:
            mine["dp"] = group
    return mine["dp"], mine["tp"]


def mesh_2d_worker(steps: int = 3, optimizer: str = "sgd") -> StrategyResult:
    """Strategy "mesh-2d": mlqa's tensor parallelism inside each row, data parallelism down each column (Q7)."""
    dp, _ = mesh_shape(dist.get_world_size())
    dp_group, tp_group = make_mesh_groups()
    block, (X, Y) = make_block_without_key_bias(), synthetic_sequences()
    model = TensorParallelBlock(block, group=tp_group).to(rank_device())
    opt = make_optimizer(model.parameters(), optimizer)
    x, y = (t.to(rank_device()) for t in shard_batch(X, Y, mesh_coordinates(dist.get_rank())[0], dp))

    def step() -> float:
        opt.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        all_reduce_gradients(model, group=dp_group)  # average over the replicas in this column
        opt.step()
        return loss.item()

    return train_and_measure("mesh-2d", steps, optimizer, (block, X, Y), step,
                             lambda: gather_full_state_dict(model, group=tp_group),  # over the row, not counted
                             lambda: held_bytes_of(model, opt), group=dp_group)


@contextmanager
def _quiet(logger_name: str):
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def mesh_fsdp_tp_worker(steps: int = 3, optimizer: str = "sgd") -> StrategyResult:
    """Strategy "mesh-2d-fsdp-tp": DTensor tensor parallelism on "tp", FSDP2 on "dp", one DeviceMesh (Q7)."""
    dp, tp = mesh_shape(dist.get_world_size())
    mesh = init_device_mesh(rank_device().type, (dp, tp), mesh_dim_names=("dp", "tp"))
    block, (X, Y) = make_block_without_key_bias(), synthetic_sequences()
    model = fully_shard(build_dtensor_block(block, mesh["tp"]), mesh=mesh["dp"])
    opt = make_optimizer(model.parameters(), optimizer)
    x, y = (t.to(rank_device()) for t in shard_batch(X, Y, mesh_coordinates(dist.get_rank())[0], dp))

    def full_state() -> dict[str, torch.Tensor]:
        with _quiet("torch.distributed.tensor._redistribute"):  # it warns that gathering a 2-D shard takes 2 steps
            return full_state_dict(model)

    return train_and_measure("mesh-2d-fsdp-tp", steps, optimizer, (block, X, Y), partial(train_step, model, opt, x, y),
                             full_state, lambda: held_bytes_of(model, opt), group=mesh.get_group("dp"))
