"""The registry of parallel training strategies and the result every one of them returns (Q7).

A strategy is a *rank worker*: a top-level function `worker(steps: int, optimizer: str) -> StrategyResult`
that runs on every rank of an already initialised process group (started by `launch` or by `torchrun`). It
builds the reference model and data itself from fixed seeds, trains for `steps` steps on the full global batch,
and returns a `StrategyResult`: on rank 0 with the full trained parameters gathered under the reference model's
names, on every rank with that rank's own measurements. A world size the strategy cannot use raises
`ValueError` naming the numbers before any collective is called.

`run_strategy(name, world_size, steps, optimizer)` launches a worker and merges the ranks' results;
`check_against_single_device(result)` trains the reference on one device and returns the largest parameter
difference.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import torch
import torch._dynamo  # noqa: F401 - optimizers import it lazily; once here, not in every forked rank
from torch import nn

from mlqa.parallel.launcher import launch
from mlqa.parallel.reference import max_param_diff, train_single_device

# name -> "module:function" of the rank worker; engineers add their strategies here.
STRATEGIES: dict[str, str] = {
    "model": "mlqa.parallel.model_parallel:model_parallel_worker",
    "tensor": "mlqa.parallel.tensor_parallel:tensor_parallel_worker",
    "dtensor": "mlqa.parallel.dtensor_tp:dtensor_worker",
    "dp-naive": "mlqa.parallel.data_parallel:dp_naive_worker",
    "dp-bucketed": "mlqa.parallel.data_parallel:dp_bucketed_worker",
    "zero1": "mlqa.parallel.zero:zero1_worker",
    "zero2": "mlqa.parallel.zero:zero2_worker",
    "zero3": "mlqa.parallel.zero:zero3_worker",
    "ddp": "mlqa.parallel.production:ddp_worker",
    "zero-optimizer": "mlqa.parallel.production:zero_optimizer_worker",
    "fsdp2": "mlqa.parallel.production:fsdp2_worker",
    "gpipe": "mlqa.parallel.pipeline:gpipe_worker",
    "1f1b": "mlqa.parallel.pipeline:one_f_one_b_worker",
    "pipelining-gpipe": "mlqa.parallel.pipelining_production:pipelining_gpipe_worker",
    "pipelining-1f1b": "mlqa.parallel.pipelining_production:pipelining_1f1b_worker",
    "sequence-ring": "mlqa.parallel.sequence_parallel:sequence_ring_worker",
    "sequence-online": "mlqa.parallel.sequence_parallel:sequence_online_worker",
    "mesh-2d": "mlqa.parallel.mesh:mesh_2d_worker",
    "mesh-2d-fsdp-tp": "mlqa.parallel.mesh:mesh_fsdp_tp_worker",
}


@dataclass
class RankMeasurements:
    """What one rank measured while training; None where a strategy does not measure it (Q7)."""

    rank: int
    step_time_s: float | None = None  # mean wall time of one training step
    param_bytes: int | None = None  # parameters this rank holds
    grad_bytes: int | None = None  # gradients this rank holds after backward
    optimizer_state_bytes: int | None = None  # optimizer state this rank holds (Adam: 2 tensors per param)
    bytes_sent_per_step: dict[str, float] | None = None  # collective/p2p kind -> bytes this rank sent per step
    calls_per_step: dict[str, float] | None = None  # collective/p2p kind -> calls per step
    idle_fraction: float | None = None  # share of the step this rank waited for others


@dataclass
class StrategyResult:
    """A strategy's trained parameters (rank 0), the task it trained on, its losses and measurements (Q7)."""

    name: str
    world_size: int
    optimizer: str
    steps: int
    state_dict: dict[str, torch.Tensor] | None  # full trained parameters, reference names; None off rank 0
    reference: nn.Module  # the untrained reference model, as built before training
    inputs: torch.Tensor
    targets: torch.Tensor
    losses: list[float]  # full-batch loss before each step
    per_rank: list[RankMeasurements] = field(default_factory=list)
    backend: str = "gloo"


def resolve(name: str) -> Callable[[int, str], StrategyResult]:
    """The rank worker registered under `name`; an unknown name is an error listing the known ones (Q7)."""
    if name not in STRATEGIES:
        raise ValueError(f"unknown strategy {name!r}; choose one of: {', '.join(sorted(STRATEGIES))}")
    module, function = STRATEGIES[name].split(":")
    return getattr(importlib.import_module(module), function)


def merge_rank_results(results: list[StrategyResult]) -> StrategyResult:
    """Rank 0's result with every rank's measurements collected in rank order (Q7)."""
    per_rank = sorted((m for r in results for m in r.per_rank), key=lambda m: m.rank)
    return replace(results[0], per_rank=per_rank)


def run_strategy(name: str, world_size: int, steps: int = 3, optimizer: str = "sgd",
                 backend: str | None = None, timeout: float = 60.0) -> StrategyResult:
    """Train with strategy `name` on `world_size` launched ranks and return the merged result (Q7)."""
    worker = resolve(name)
    if steps < 1:
        raise ValueError(f"steps must be >= 1, got {steps}")
    results = launch(worker, world_size, steps, optimizer, backend=backend, timeout=timeout)
    return merge_rank_results(results)


def check_against_single_device(result: StrategyResult) -> float:
    """Train the reference on one device with the same data and optimizer; return the max parameter diff (Q7)."""
    single, _ = train_single_device(result.reference, result.inputs, result.targets, result.steps,
                                    result.optimizer)
    return max_param_diff(single.state_dict(), result.state_dict)


def tensor_bytes(tensors) -> int:
    """Total bytes of an iterable of tensors, skipping None (Q7)."""
    return sum(t.numel() * t.element_size() for t in tensors if t is not None)


def optimizer_state_bytes(opt: torch.optim.Optimizer) -> int:
    """Bytes of the tensors an optimizer keeps per parameter (momentum, Adam's moments), not the step (Q7)."""
    return tensor_bytes(v for state in opt.state.values() for v in state.values()
                        if torch.is_tensor(v) and v.dim() > 0)
