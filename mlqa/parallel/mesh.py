"""A 2-D device mesh: data parallelism across one axis, tensor parallelism along the other (Q7).

N ranks form a (N/2) x 2 grid. Rank r sits at row r // 2 (its data-parallel replica) and column r % 2 (its
tensor-parallel shard). The two ranks of a row split every layer of the block between them (tensor
parallelism, communicating inside the row); the rows see different slices of the batch and average their
gradients (data parallelism, communicating down a column). This is how large models combine paradigms:
tensor parallelism inside a machine's fast links, data parallelism across machines.

`mesh_2d_worker` builds it from mlqa's pieces: Megatron's split of the block (as in `tensor_parallel`, with its
f and g operators here taking the row's process group, since `tensor_parallel`'s layers use the whole world)
and `data_parallel.all_reduce_gradients` on the column's group. `mesh_fsdp_tp_worker` is PyTorch's version:
DTensor tensor parallelism on the mesh's "tp" axis and FSDP2 `fully_shard` on its "dp" axis.
"""

from __future__ import annotations

import logging
import math
import time
from contextlib import contextmanager

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.distributed.device_mesh import init_device_mesh
from torch.distributed.fsdp import fully_shard

from mlqa.parallel import comm
from mlqa.parallel.data_parallel import all_reduce_gradients, shard_batch
from mlqa.parallel.dtensor_tp import build_dtensor_block, full_state_dict, local_tensor_bytes
from mlqa.parallel.launch import rank_device
from mlqa.parallel.reference import (
    TransformerBlock,
    make_block_without_key_bias,
    make_optimizer,
    synthetic_sequences,
)
from mlqa.parallel.strategies import RankMeasurements, StrategyResult, optimizer_state_bytes, tensor_bytes
from mlqa.parallel.tensor_parallel import check_divisible

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


class _CopyToGroup(torch.autograd.Function):
    """Megatron's f on a group: identity forward, all-reduce (sum) of the gradient backward."""

    @staticmethod
    def forward(ctx, x, group):
        ctx.group = group
        return x

    @staticmethod
    def backward(ctx, grad):
        grad = grad.clone(memory_format=torch.contiguous_format)
        comm.all_reduce(grad, group=ctx.group)
        return grad, None


class _ReduceFromGroup(torch.autograd.Function):
    """Megatron's g on a group: all-reduce (sum) forward, identity backward."""

    @staticmethod
    def forward(ctx, x, group):
        total = x.clone(memory_format=torch.contiguous_format)
        comm.all_reduce(total, group=group)
        return total

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class RowTensorParallelBlock(nn.Module):
    """The reference block split Megatron-style over one mesh row: heads and MLP columns per rank (Q7).

    Parameters keep the reference names; `shard_dims` says along which dimension each one is split.
    """

    def __init__(self, block: TransformerBlock, group: dist.ProcessGroup):
        super().__init__()
        n, r = dist.get_world_size(group), dist.get_rank(group)
        check_divisible("n_heads", block.attn.n_heads, n)
        check_divisible("d_hidden", block.mlp.up.out_features, n)
        self.group, self.d_head = group, block.attn.d_head
        full = {name: t.detach() for name, t in block.state_dict().items()}
        self.shard_dims = {}
        for name, tensor in full.items():
            dim = _split_dim(name)
            if dim is not None:
                tensor = tensor.chunk(n, dim=dim)[r]
                self.shard_dims[name] = dim
            self.register_parameter(name.replace(".", "_"), nn.Parameter(tensor.clone()))

    def param(self, name: str) -> torch.Tensor:
        return getattr(self, name.replace(".", "_"))

    def _linear(self, x: torch.Tensor, name: str) -> torch.Tensor:
        bias = f"{name}.bias"
        return F.linear(x, self.param(f"{name}.weight"),
                        self.param(bias) if hasattr(self, bias.replace(".", "_")) else None)

    def _layer_norm(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return F.layer_norm(x, x.shape[-1:], self.param(f"{name}.weight"), self.param(f"{name}.bias"))

    def _row_parallel(self, x: torch.Tensor, name: str) -> torch.Tensor:
        partial = F.linear(x, self.param(f"{name}.weight"))
        return _ReduceFromGroup.apply(partial, self.group) + self.param(f"{name}.bias")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        h = _CopyToGroup.apply(self._layer_norm(x, "ln1"), self.group)
        q, k, v = (self._linear(h, f"attn.{p}").view(b, t, -1, self.d_head).transpose(1, 2) for p in "qkv")
        y = ((q @ k.transpose(-2, -1)) / math.sqrt(self.d_head)).softmax(dim=-1) @ v
        x = x + self._row_parallel(y.transpose(1, 2).reshape(b, t, -1), "attn.out")
        h = _CopyToGroup.apply(self._layer_norm(x, "ln2"), self.group)
        return x + self._row_parallel(F.gelu(self._linear(h, "mlp.up")), "mlp.down")

    def full_state_dict(self) -> dict[str, torch.Tensor]:
        """Every parameter whole under the reference names, shards gathered over the row (not counted)."""
        state = {}
        for name, param in self.named_parameters():
            name = _reference_name(name)
            if name in self.shard_dims:
                parts = [torch.empty_like(param) for _ in range(dist.get_world_size(self.group))]
                dist.all_gather(parts, param.detach().contiguous(), group=self.group)
                state[name] = torch.cat(parts, dim=self.shard_dims[name]).cpu()
            else:
                state[name] = param.detach().cpu().clone()
        return state


def _split_dim(name: str) -> int | None:
    """Megatron's split: q, k, v and mlp.up by output rows (dim 0); attn.out and mlp.down by input columns."""
    if name.startswith(("attn.q.", "attn.k.", "attn.v.", "mlp.up.")):
        return 0
    if name in ("attn.out.weight", "mlp.down.weight"):
        return 1
    return None


def _reference_name(attribute: str) -> str:
    for prefix in ("attn_q_", "attn_k_", "attn_v_", "attn_out_", "mlp_up_", "mlp_down_", "ln1_", "ln2_"):
        if attribute.startswith(prefix):
            return prefix[:-1].replace("_", ".") + "." + attribute[len(prefix):]
    raise ValueError(f"unexpected parameter {attribute!r}")


def mesh_2d_worker(steps: int = 3, optimizer: str = "sgd") -> StrategyResult:
    """Strategy "mesh-2d": mlqa's tensor parallelism inside each row, data parallelism down each column (Q7)."""
    rank, world = dist.get_rank(), dist.get_world_size()
    dp, _ = mesh_shape(world)
    dp_group, tp_group = make_mesh_groups()
    block, (X, Y) = make_block_without_key_bias(), synthetic_sequences()
    model = RowTensorParallelBlock(block, tp_group).to(rank_device())
    opt = make_optimizer(model.parameters(), optimizer)
    x_local, y_local = (t.to(rank_device()) for t in shard_batch(X, Y, mesh_coordinates(rank)[0], dp))
    losses, times = [], []
    with comm.CommCounter() as counter:
        for _ in range(steps):
            start = time.perf_counter()
            opt.zero_grad()
            loss = F.mse_loss(model(x_local), y_local)
            loss.backward()
            all_reduce_gradients(model, group=dp_group)  # average over the replicas in this column
            opt.step()
            times.append(time.perf_counter() - start)
            total = loss.detach().clone()
            dist.all_reduce(total, group=dp_group)  # for the log only
            losses.append(total.item() / dp)
    measured = RankMeasurements(
        rank=rank, step_time_s=sum(times) / steps, param_bytes=tensor_bytes(model.parameters()),
        grad_bytes=tensor_bytes(p.grad for p in model.parameters()), optimizer_state_bytes=optimizer_state_bytes(opt),
        bytes_sent_per_step={k: v / steps for k, v in counter.sent.items()},
        calls_per_step={k: v / steps for k, v in counter.calls.items()})
    state = model.full_state_dict()
    return StrategyResult("mesh-2d", world, optimizer, steps, state if rank == 0 else None, block, X, Y, losses,
                          [measured], dist.get_backend())


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
    rank, world = dist.get_rank(), dist.get_world_size()
    dp, tp = mesh_shape(world)
    mesh = init_device_mesh(rank_device().type, (dp, tp), mesh_dim_names=("dp", "tp"))
    block, (X, Y) = make_block_without_key_bias(), synthetic_sequences()
    model = fully_shard(build_dtensor_block(block, mesh["tp"]), mesh=mesh["dp"])
    opt = make_optimizer(model.parameters(), optimizer)
    x_local, y_local = (t.to(rank_device()) for t in shard_batch(X, Y, mesh_coordinates(rank)[0], dp))
    losses, times = [], []
    for _ in range(steps):
        start = time.perf_counter()
        opt.zero_grad()
        loss = F.mse_loss(model(x_local), y_local)
        loss.backward()
        opt.step()
        times.append(time.perf_counter() - start)
        total = loss.detach().clone()
        dist.all_reduce(total, group=mesh.get_group("dp"))  # for the log only: mean of the replicas' losses
        losses.append(total.item() / dp)
    measured = RankMeasurements(
        rank=rank, step_time_s=sum(times) / steps, param_bytes=local_tensor_bytes(model.parameters()),
        grad_bytes=local_tensor_bytes(p.grad for p in model.parameters()),
        optimizer_state_bytes=local_tensor_bytes(v for s in opt.state.values() for v in s.values()
                                                 if torch.is_tensor(v) and v.dim() > 0))
    with _quiet("torch.distributed.tensor._redistribute"):  # it warns that gathering a 2-D shard takes 2 steps
        state = full_state_dict(model)
    return StrategyResult("mesh-2d-fsdp-tp", world, optimizer, steps, state if rank == 0 else None, block, X, Y,
                          losses, [measured], dist.get_backend())
