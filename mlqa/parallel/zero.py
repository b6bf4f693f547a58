"""ZeRO from scratch: shard optimizer state, then gradients, then parameters over the data-parallel ranks (Q7).

Rajbhandari et al. 2020. Each unit of the model (a child module with parameters) is flattened into one
buffer padded to a multiple of the world size n; rank r owns slice r of every unit.

- Stage 1: every rank keeps full parameters and full gradients; gradients are reduce-scattered, each rank
  updates only its slice with its slice of the optimizer state, and the slices are all-gathered back.
- Stage 2: as stage 1, but each unit's gradients are reduce-scattered during backward as soon as they are
  complete and the full gradients are freed: a rank holds only its gradient slice.
- Stage 3: a rank holds only its parameter slice. A unit's full parameters are all-gathered just before its
  forward and freed after it, gathered again when backward needs them, and their gradients reduce-scattered.

Communication per step: stages 1 and 2 reduce-scatter and all-gather, the same volume as data parallelism's
all-reduce; stage 3 adds one more all-gather (1.5x).
"""

from __future__ import annotations

import copy
from functools import partial

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.func import functional_call

from mlqa.parallel import comm
from mlqa.parallel.launcher import rank_device
from mlqa.parallel.reference import make_optimizer, reference_task, train_step
from mlqa.parallel.strategies import StrategyResult, optimizer_state_bytes
from mlqa.parallel.training import shard_batch, train_and_measure


def parameter_units(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """The child modules that hold parameters; every parameter must belong to one of them (Q7)."""
    units = [(name, child) for name, child in model.named_children() if any(True for _ in child.parameters())]
    covered = sum(p.numel() for _, child in units for p in child.parameters())
    total = sum(p.numel() for p in model.parameters())
    if covered != total:
        raise ValueError(f"{total - covered} of {total} parameters sit directly on the root module; "
                         "ZeRO shards child modules, so wrap them in a child")
    return units


def padded_size(numel: int, world_size: int) -> int:
    """`numel` rounded up to a multiple of `world_size` (Q7)."""
    return -(-numel // world_size) * world_size


def held_bytes(tensors) -> int:
    """Bytes of the distinct storages behind `tensors` (views of one buffer count once), skipping None (Q7)."""
    storages = {t.untyped_storage().data_ptr(): t.untyped_storage().nbytes() for t in tensors if t is not None}
    return sum(storages.values())


def flatten_padded(tensors: list[torch.Tensor], size: int) -> torch.Tensor:
    """Concatenate flattened `tensors` and pad with zeros to `size` elements (Q7)."""
    flat = torch.cat([t.reshape(-1) for t in tensors])
    return F.pad(flat, (0, size - flat.numel()))


class ShardedOptimizer:
    """ZeRO stage 1 or 2 around a full model: each rank updates 1/n of every unit's parameters (Q7)."""

    def __init__(self, model: nn.Module, optimizer: str, stage: int):
        if stage not in (1, 2):
            raise ValueError(f"ShardedOptimizer implements ZeRO stages 1 and 2, got stage {stage}")
        self.stage, self.rank, self.world_size = stage, dist.get_rank(), dist.get_world_size()
        self.units = [list(unit.parameters()) for _, unit in parameter_units(model)]
        self.buffers, self.shards, self.grad_buffers = [], [], []
        for params in self.units:
            size = padded_size(sum(p.numel() for p in params), self.world_size)
            buffer = flatten_padded([p.detach() for p in params], size)
            offset = 0
            for p in params:  # the model's parameters become views into the unit's buffer
                p.data = buffer[offset:offset + p.numel()].view_as(p)
                offset += p.numel()
            self.buffers.append(buffer)
            self.shards.append(nn.Parameter(self._my_slice(buffer)))  # shares the buffer's storage
            self.grad_buffers.append(torch.zeros_like(buffer) if stage == 1 else None)
        self.optimizer = make_optimizer(self.shards, optimizer)
        self.ready = [0] * len(self.units)
        if stage == 2:
            for i, params in enumerate(self.units):
                for p in params:
                    p.register_post_accumulate_grad_hook(lambda p, i=i: self._gradient_ready(i))

    def _my_slice(self, flat: torch.Tensor) -> torch.Tensor:
        size = flat.numel() // self.world_size
        return flat[self.rank * size:(self.rank + 1) * size]

    def _reduce_scatter(self, full_grads: torch.Tensor) -> torch.Tensor:
        """This rank's slice of the gradients averaged over all ranks."""
        mine = full_grads.new_empty(full_grads.numel() // self.world_size)
        comm.reduce_scatter(mine, full_grads)
        return mine / self.world_size

    def _gradient_ready(self, i: int) -> None:
        """Stage 2: once unit i's gradients are complete, keep only this rank's averaged slice."""
        self.ready[i] += 1
        if self.ready[i] == len(self.units[i]):
            params = self.units[i]
            self.shards[i].grad = self._reduce_scatter(flatten_padded([p.grad for p in params],
                                                                      self.buffers[i].numel()))
            for p in self.units[i]:
                p.grad = None

    def prepare_gradients(self) -> None:
        """Before backward: drop the slices' gradients; stage 1 points the parameters' gradients at the
        unit's zeroed full buffer."""
        for shard in self.shards:
            shard.grad = None
        if self.stage == 1:
            for params, grads in zip(self.units, self.grad_buffers):
                grads.zero_()
                offset = 0
                for p in params:
                    p.grad = grads[offset:offset + p.numel()].view_as(p)
                    offset += p.numel()

    def step(self) -> None:
        """After backward: reduce-scatter (stage 1), update this rank's slices, all-gather the parameters."""
        for i, grads in enumerate(self.grad_buffers):
            if self.stage == 1:
                self._my_slice(grads).copy_(self._reduce_scatter(grads))
                self.shards[i].grad = self._my_slice(grads)
        self.optimizer.step()
        for buffer, shard in zip(self.buffers, self.shards):
            comm.all_gather(buffer, shard.detach().clone())
        self.ready = [0] * len(self.units)

    def held(self) -> tuple[int, int, int]:
        """Bytes of parameters, gradients and optimizer state this rank holds."""
        grads = [p.grad for params in self.units for p in params] + [s.grad for s in self.shards]
        return held_bytes(self.buffers), held_bytes(grads + self.grad_buffers), optimizer_state_bytes(self.optimizer)


class _GatherParameters(torch.autograd.Function):
    """Forward: all-gather a unit's full flat parameters. Backward: reduce-scatter their gradient."""

    @staticmethod
    def forward(ctx, shard: torch.Tensor, unit: ShardedUnit) -> torch.Tensor:
        ctx.unit = unit
        return unit.gather()

    @staticmethod
    def backward(ctx, grad_full: torch.Tensor):
        ctx.unit.regathered = None  # the unit's backward is done: free its parameters again
        world_size = dist.get_world_size()
        grad_shard = grad_full.new_empty(grad_full.numel() // world_size)
        comm.reduce_scatter(grad_shard, grad_full.contiguous())
        return grad_shard / world_size, None


class ShardedUnit(nn.Module):
    """ZeRO stage 3 around one module: holds 1/n of its flat parameters, gathers the rest on demand (Q7)."""

    def __init__(self, module: nn.Module):
        super().__init__()
        self.rank, self.world_size = dist.get_rank(), dist.get_world_size()
        named = list(module.named_parameters())
        self.names = [name for name, _ in named]
        self.shapes = [p.shape for _, p in named]
        self.numels = [p.numel() for _, p in named]
        size = padded_size(sum(self.numels), self.world_size) // self.world_size
        flat = flatten_padded([p.detach() for _, p in named], size * self.world_size)
        self.shard = nn.Parameter(flat[self.rank * size:(self.rank + 1) * size].clone())
        for _, p in named:  # the module keeps only empty placeholders
            p.requires_grad_(False)
            p.data = torch.empty(0)
        self.module = module
        self.storage_ptr: int | None = None
        self.regathered: torch.Tensor | None = None

    def gather(self) -> torch.Tensor:
        """All-gather the full flat parameters (padded) from every rank's slice."""
        full = self.shard.new_empty(self.shard.numel() * self.world_size)
        comm.all_gather(full, self.shard.detach())
        return full

    def unflatten(self, full: torch.Tensor) -> dict[str, torch.Tensor]:
        """Name -> parameter views into a full flat buffer."""
        pieces = full[:sum(self.numels)].split(self.numels)
        return {name: piece.view(shape) for name, piece, shape in zip(self.names, pieces, self.shapes)}

    def _pack(self, t: torch.Tensor):
        """Saved for backward: a view of the gathered parameters is stored as its position, not its data."""
        if t.untyped_storage().data_ptr() == self.storage_ptr:
            return ("parameter view", t.storage_offset(), t.shape, t.stride())
        return t

    def _unpack(self, packed):
        if isinstance(packed, tuple):
            if self.regathered is None:
                self.regathered = self.gather()
            _, offset, shape, stride = packed
            return self.regathered.as_strided(shape, stride, offset)
        return packed

    def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
        full = _GatherParameters.apply(self.shard, self)
        self.storage_ptr = full.untyped_storage().data_ptr()
        with torch.autograd.graph.saved_tensors_hooks(self._pack, self._unpack):
            out = functional_call(self.module, self.unflatten(full), inputs)
        self.storage_ptr = None
        return out


def shard_model(model: nn.Module) -> nn.Module:
    """A copy of `model` with every parameter unit replaced by a ZeRO-3 ShardedUnit (Q7)."""
    model = copy.deepcopy(model)
    for name, unit in parameter_units(model):
        model._modules[name] = ShardedUnit(unit)
    return model


def full_state_dict(sharded: nn.Module) -> dict[str, torch.Tensor]:
    """Gather a ZeRO-3 model's full parameters under the original names (Q7)."""
    state = {}
    for name, unit in sharded.named_children():
        if isinstance(unit, ShardedUnit):
            with torch.no_grad():
                for pname, t in unit.unflatten(unit.gather()).items():
                    state[f"{name}.{pname}"] = t.clone()
    return state


def train_zero(stage: int, steps: int, optimizer: str, seed: int = 0) -> StrategyResult:
    """Train the reference MLP with ZeRO stage 1, 2 or 3 on this rank (Q7)."""
    if stage not in (1, 2, 3):
        raise ValueError(f"ZeRO has stages 1, 2 and 3, got {stage}")
    task = reference, X, Y = reference_task(seed)
    device = rank_device()
    x, y = (t.to(device) for t in shard_batch(X, Y, dist.get_rank(), dist.get_world_size()))
    if stage == 3:
        model = shard_model(reference).to(device)
        shards = [p for p in model.parameters() if p.requires_grad]
        opt = make_optimizer(shards, optimizer)

        def held() -> tuple[int, int, int]:
            return held_bytes(shards), held_bytes(s.grad for s in shards), optimizer_state_bytes(opt)

        return train_and_measure(f"zero{stage}", steps, optimizer, task, partial(train_step, model, opt, x, y),
                                 lambda: full_state_dict(model), held)

    model = copy.deepcopy(reference).to(device)
    sharded = ShardedOptimizer(model, optimizer, stage)

    def step() -> float:
        sharded.prepare_gradients()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        sharded.step()
        return loss.item()

    return train_and_measure(f"zero{stage}", steps, optimizer, task, step, model.state_dict, sharded.held)


def zero1_worker(steps: int, optimizer: str = "sgd") -> StrategyResult:
    """Rank worker of strategy "zero1" (Q7)."""
    return train_zero(1, steps, optimizer)


def zero2_worker(steps: int, optimizer: str = "sgd") -> StrategyResult:
    """Rank worker of strategy "zero2" (Q7)."""
    return train_zero(2, steps, optimizer)


def zero3_worker(steps: int, optimizer: str = "sgd") -> StrategyResult:
    """Rank worker of strategy "zero3" (Q7)."""
    return train_zero(3, steps, optimizer)
