"""Tensor (intra-op) parallelism: one layer's weight matrices split across ranks, Megatron-style (Q7).

A linear layer computes y = x W^T + b. Split W by output rows (column-parallel: each rank computes a slice of
y's features) or by input columns (row-parallel: each rank computes a partial sum of y from its slice of x's
features). A Megatron MLP puts a column-parallel layer first and a row-parallel one second, so the
elementwise GELU runs on local slices and one all-reduce per direction suffices; attention does the same with
whole heads (Shoeybi et al. 2019, https://arxiv.org/abs/1909.08053).

The communication lives in four autograd operators. `f` (copy_to_tensor_parallel) is the identity forward and
an all-reduce backward; `g` (reduce_from_tensor_parallel) is an all-reduce forward and the identity backward:
each is the other's conjugate. Gathering and splitting features are the other conjugate pair.
"""

from __future__ import annotations

import math
from functools import partial

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn

from mlqa.parallel import comm
from mlqa.parallel.launcher import rank_device
from mlqa.parallel.reference import (
    FeedForward,
    SelfAttention,
    TransformerBlock,
    make_block_without_key_bias,
    make_optimizer,
    synthetic_sequences,
    train_step,
)
from mlqa.parallel.strategies import StrategyResult
from mlqa.parallel.training import held_bytes_of, train_and_measure


class _CopyToTensorParallel(torch.autograd.Function):
    """f: identity forward; all-reduce (sum) of the gradient backward."""

    @staticmethod
    def forward(ctx, x, group):
        ctx.group = group
        return x

    @staticmethod
    def backward(ctx, grad):
        return _summed(grad, ctx.group), None


class _ReduceFromTensorParallel(torch.autograd.Function):
    """g: all-reduce (sum) forward; identity backward."""

    @staticmethod
    def forward(ctx, x, group):
        return _summed(x, group)

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class _GatherFromTensorParallel(torch.autograd.Function):
    """All-gather along the last dimension forward; keep this rank's slice of the gradient backward."""

    @staticmethod
    def forward(ctx, x, group):
        ctx.group = group
        return _gathered(x, group)

    @staticmethod
    def backward(ctx, grad):
        return _local_slice(grad, ctx.group), None


class _SplitToTensorParallel(torch.autograd.Function):
    """Keep this rank's slice of the last dimension forward; all-gather the gradient backward."""

    @staticmethod
    def forward(ctx, x, group):
        ctx.group = group
        return _local_slice(x, group)

    @staticmethod
    def backward(ctx, grad):
        return _gathered(grad, ctx.group), None


def _summed(x: torch.Tensor, group=None) -> torch.Tensor:
    """A new tensor holding the sum of x over the ranks of `group` (None: all ranks)."""
    total = x.detach().clone(memory_format=torch.contiguous_format)
    comm.all_reduce(total, group=group)
    return total


def _gathered(x: torch.Tensor, group=None) -> torch.Tensor:
    """Every rank's x concatenated along the last dimension, in rank order."""
    return torch.cat(comm.all_gather_list(x.detach().contiguous(), group=group), dim=-1)


def _local_slice(x: torch.Tensor, group=None) -> torch.Tensor:
    """This rank's equal share of the last dimension."""
    width, rank = x.shape[-1] // dist.get_world_size(group), dist.get_rank(group)
    return x[..., rank * width:(rank + 1) * width].contiguous()


def copy_to_tensor_parallel(x: torch.Tensor, group=None) -> torch.Tensor:
    """Megatron's f: pass x on unchanged, sum its gradient over the ranks of `group` (Q7)."""
    return _CopyToTensorParallel.apply(x, group)


def reduce_from_tensor_parallel(x: torch.Tensor, group=None) -> torch.Tensor:
    """Megatron's g: sum x over the ranks of `group`, pass its gradient on unchanged (Q7)."""
    return _ReduceFromTensorParallel.apply(x, group)


def gather_from_tensor_parallel(x: torch.Tensor, group=None) -> torch.Tensor:
    """Concatenate every rank's slice of the last dimension; backward keeps the local slice (Q7)."""
    return _GatherFromTensorParallel.apply(x, group)


def split_to_tensor_parallel(x: torch.Tensor, group=None) -> torch.Tensor:
    """Keep this rank's slice of the last dimension; backward gathers the gradient (Q7)."""
    return _SplitToTensorParallel.apply(x, group)


def check_divisible(what: str, size: int, world_size: int) -> None:
    """Raise ValueError unless `size` splits evenly over `world_size` ranks (Q7)."""
    if size % world_size:
        raise ValueError(f"{what}={size} is not divisible by the world size {world_size}")


class ColumnParallelLinear(nn.Module):
    """A Linear whose output features are split across ranks: each rank holds rows of W and of b (Q7)."""

    shard_dims = {"weight": 0, "bias": 0}

    def __init__(self, full: nn.Linear, gather_output: bool = False, sum_input_grad: bool = True, group=None):
        super().__init__()
        world, rank = dist.get_world_size(group), dist.get_rank(group)
        check_divisible("out_features", full.out_features, world)
        rows = full.out_features // world
        mine = slice(rank * rows, (rank + 1) * rows)
        self.weight = nn.Parameter(full.weight.detach()[mine].clone())
        self.bias = None if full.bias is None else nn.Parameter(full.bias.detach()[mine].clone())
        self.gather_output = gather_output
        self.sum_input_grad = sum_input_grad  # off when the caller applies f once for several layers
        self.group = group

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = copy_to_tensor_parallel(x, self.group) if self.sum_input_grad else x
        y = F.linear(x, self.weight, self.bias)
        return gather_from_tensor_parallel(y, self.group) if self.gather_output else y


class RowParallelLinear(nn.Module):
    """A Linear whose input features are split across ranks: partial products summed by all-reduce (Q7)."""

    shard_dims = {"weight": 1}  # the bias is whole on every rank and added once, after the sum

    def __init__(self, full: nn.Linear, input_is_parallel: bool = True, group=None):
        super().__init__()
        world, rank = dist.get_world_size(group), dist.get_rank(group)
        check_divisible("in_features", full.in_features, world)
        cols = full.in_features // world
        self.weight = nn.Parameter(full.weight.detach()[:, rank * cols:(rank + 1) * cols].clone())
        self.bias = None if full.bias is None else nn.Parameter(full.bias.detach().clone())
        self.input_is_parallel = input_is_parallel
        self.group = group

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x if self.input_is_parallel else split_to_tensor_parallel(x, self.group)
        y = reduce_from_tensor_parallel(F.linear(x, self.weight), self.group)
        return y if self.bias is None else y + self.bias


class ParallelFeedForward(nn.Module):
    """Megatron MLP: column-parallel up, GELU on the local slice, row-parallel down (Q7)."""

    def __init__(self, full: FeedForward, group=None):
        super().__init__()
        self.up = ColumnParallelLinear(full.up, group=group)
        self.down = RowParallelLinear(full.down, group=group)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down(F.gelu(self.up(x)))


class ParallelSelfAttention(nn.Module):
    """Multi-head attention split by heads: each rank projects, attends and mixes its own heads (Q7)."""

    def __init__(self, full: SelfAttention, group=None):
        super().__init__()
        check_divisible("n_heads", full.n_heads, dist.get_world_size(group))
        self.d_head, self.group = full.d_head, group
        self.q, self.k, self.v = (ColumnParallelLinear(p, sum_input_grad=False, group=group)
                                  for p in (full.q, full.k, full.v))
        self.out = RowParallelLinear(full.out, group=group)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        # one f for q, k and v: their input gradients are summed locally first
        x = copy_to_tensor_parallel(x, self.group)

        def local_heads(proj: ColumnParallelLinear) -> torch.Tensor:
            return proj(x).view(b, t, -1, self.d_head).transpose(1, 2)

        q, k, v = local_heads(self.q), local_heads(self.k), local_heads(self.v)
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)
        y = scores.softmax(dim=-1) @ v
        return self.out(y.transpose(1, 2).reshape(b, t, -1))


class TensorParallelBlock(nn.Module):
    """The reference TransformerBlock with attention and MLP split across ranks, LayerNorms replicated (Q7).

    `group` is the process group that shares one block (default: all ranks; one mesh row in a 2-D mesh).
    """

    def __init__(self, full: TransformerBlock, group=None):
        super().__init__()
        self.ln1 = _copy_module(full.ln1)
        self.ln2 = _copy_module(full.ln2)
        self.attn = ParallelSelfAttention(full.attn, group)
        self.mlp = ParallelFeedForward(full.mlp, group)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


def _copy_module(module: nn.Module) -> nn.Module:
    copy = type(module)(module.normalized_shape, eps=module.eps)
    copy.load_state_dict(module.state_dict())
    return copy


def gather_full_state_dict(model: nn.Module, group=None) -> dict[str, torch.Tensor]:
    """Every parameter whole, under the reference model's names: shards are all-gathered along their split (Q7)."""
    full = {}
    for module_name, module in model.named_modules():
        shard_dims = getattr(module, "shard_dims", {})
        for name, tensor in module.named_parameters(recurse=False):
            if name in shard_dims:
                parts = [torch.empty_like(tensor) for _ in range(dist.get_world_size(group))]
                dist.all_gather(parts, tensor.detach().contiguous(), group=group)
                tensor = torch.cat(parts, dim=shard_dims[name])
            key = f"{module_name}.{name}" if module_name else name
            full[key] = tensor.detach().cpu().clone()
    return full


def build_tensor_parallel_block(block: TransformerBlock) -> TensorParallelBlock:
    """This rank's tensor-parallel copy of `block`, on the rank's device (Q7)."""
    return TensorParallelBlock(block).to(rank_device())


def tensor_parallel_worker(steps: int, optimizer: str = "sgd") -> StrategyResult:
    """Rank worker of the "tensor" strategy: train the reference block with mlqa's tensor parallelism (Q7)."""
    world = dist.get_world_size()
    block = make_block_without_key_bias()
    check_divisible("n_heads", block.attn.n_heads, world)
    check_divisible("d_hidden", block.mlp.up.out_features, world)
    X, Y = synthetic_sequences()
    model = build_tensor_parallel_block(block)
    opt = make_optimizer(model.parameters(), optimizer)
    step = partial(train_step, model, opt, X.to(rank_device()), Y.to(rank_device()))
    return train_and_measure("tensor", steps, optimizer, (block, X, Y), step, lambda: gather_full_state_dict(model),
                             lambda: held_bytes_of(model, opt), average_loss=False)


def draw_matrix_split(world_size: int = 2):
    """Picture of Y = X A split by columns of A (column-parallel) and by rows of A (row-parallel) (Q7)."""
    import matplotlib.pyplot as plt

    from mlqa.utils import use_style

    use_style()
    colors = plt.get_cmap("tab10").colors[:world_size]
    grey = "#d9d9d9"
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))

    def matrix(ax, x0, y0, width, height, label, split=None):
        """A rectangle, optionally cut into world_size strips ("cols" or "rows") coloured by rank."""
        for r in range(world_size if split else 1):
            if split == "cols":
                box = (x0 + r * width / world_size, y0, width / world_size, height)
            elif split == "rows":
                box = (x0, y0 + (world_size - 1 - r) * height / world_size, width, height / world_size)
            else:
                box = (x0, y0, width, height)
            ax.add_patch(plt.Rectangle(box[:2], *box[2:], facecolor=colors[r] if split else grey,
                                       edgecolor="white", linewidth=2, alpha=0.85 if split else 1.0))
        ax.text(x0 + width / 2, y0 - 0.35, label, ha="center", va="top", fontsize=10)

    for ax, kind in zip(axes, ("column", "row")):
        matrix(ax, 0, 0, 2, 3, "X (batch x in)", None if kind == "column" else "cols")
        ax.text(2.5, 1.5, "x", ha="center", va="center", fontsize=14)
        matrix(ax, 3, 0.5, 3, 2, "A (in x out)", "cols" if kind == "column" else "rows")
        ax.text(6.5, 1.5, "=", ha="center", va="center", fontsize=14)
        if kind == "column":
            matrix(ax, 7, 0, 3, 3, "Y: rank r holds X A_r", "cols")
            ax.set_title("Column-parallel: split A's columns (output features)\n"
                         "input copied to every rank; outputs stay split")
        else:
            matrix(ax, 7, 0, 3, 3, "Y = sum over r of X_r A_r")
            ax.text(8.5, 1.5, "all-reduce", ha="center", va="center", fontsize=10)
            ax.set_title("Row-parallel: split A's rows (input features)\n"
                         "each rank makes a partial Y; the sum is an all-reduce")
        ax.set_xlim(-0.3, 10.3)
        ax.set_ylim(-1.1, 3.2)
        ax.set_aspect("equal")
        ax.axis("off")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colors] + [plt.Rectangle((0, 0), 1, 1, color=grey)]
    fig.legend(handles, [f"rank {r}" for r in range(world_size)] + ["whole on every rank"],
               loc="lower center", ncol=world_size + 1, frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig
