"""Memory and communication of data parallelism and ZeRO, measured next to the formulas (Q7).

- The ZeRO paper's per-device memory (Rajbhandari et al. 2020, section 3): with Psi parameters, N devices and
  K bytes of optimizer state per parameter, mixed-precision Adam holds 2 Psi (fp16 parameters) + 2 Psi (fp16
  gradients) + K Psi (fp32 master weights, momentum and variance: K = 12). Stage 1 divides the K Psi by N,
  stage 2 also the gradients, stage 3 also the parameters: 4 Psi + 12 Psi/N, 2 Psi + 14 Psi/N, 16 Psi/N.
- fp32 Adam, which mlqa measures, holds 4 Psi + 4 Psi + 8 Psi, the same 16 bytes per parameter split
  differently: 8 Psi + 8 Psi/N, 4 Psi + 12 Psi/N, 16 Psi/N (`zero_bytes_per_rank`'s defaults).
- Optimizer memory, SGD versus Adam (the book's quiz 7-A): plain SGD keeps no state, SGD with momentum one
  value per parameter, Adam two.
- Data parallelism on a CPU against one process on the same CPU (the book's quiz 7-B).
"""

from __future__ import annotations

import copy
import os
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn

from mlqa.parallel import comm
from mlqa.parallel.data_parallel import BucketedGradientSync
from mlqa.parallel.launcher import launch
from mlqa.parallel.reference import make_mlp, make_optimizer, synthetic_regression
from mlqa.parallel.strategies import optimizer_state_bytes, run_strategy, tensor_bytes
from mlqa.parallel.training import shard_batch

ZERO_LADDER = {"dp-naive": 0, "zero1": 1, "zero2": 2, "zero3": 3}  # strategy -> ZeRO stage (0: plain DP)


def zero_bytes_per_rank(num_params: int, world_size: int, stage: int, param_bytes: float = 4,
                        grad_bytes: float = 4, state_bytes: float = 8) -> dict[str, float]:
    """Bytes of parameters, gradients and optimizer state per rank under ZeRO stage 0 (plain DP) to 3 (Q7).

    Defaults are fp32 training with Adam (two fp32 moments per parameter); the paper's mixed-precision setup
    is param_bytes=2, grad_bytes=2, state_bytes=12.
    """
    if stage not in (0, 1, 2, 3):
        raise ValueError(f"ZeRO stage must be 0 (plain data parallelism), 1, 2 or 3, got {stage}")
    if world_size < 1:
        raise ValueError(f"world_size must be >= 1, got {world_size}")
    n = world_size
    return {"parameters": num_params * param_bytes / (n if stage >= 3 else 1),
            "gradients": num_params * grad_bytes / (n if stage >= 2 else 1),
            "optimizer_state": num_params * state_bytes / (n if stage >= 1 else 1)}


def zero_paper_gb(num_params: float, world_size: int, stage: int, k: int = 12) -> float:
    """Per-device model-state memory in GB of the ZeRO paper's mixed-precision Adam setup (Q7)."""
    return sum(zero_bytes_per_rank(num_params, world_size, stage, 2, 2, k).values()) / 1e9


def expected_bytes_sent(stage: int, model_bytes: float, world_size: int) -> dict[str, float]:
    """Ring-algorithm bytes one rank sends per step for plain DP (stage 0) and ZeRO stages 1-3 (Q7).

    Stage 3 gathers the parameters twice (forward and backward); a layer whose weights backward never needs
    again (the first layer, whose input needs no gradient) is gathered only once, so this is an upper bound.
    """
    ring = comm.ring_bytes
    if stage == 0:
        return {"all_reduce": ring("all_reduce", model_bytes, world_size)}
    gathers = 2 if stage == 3 else 1
    return {"reduce_scatter": ring("reduce_scatter", model_bytes, world_size),
            "all_gather": gathers * ring("all_gather", model_bytes, world_size)}


def measure_zero_ladder(world_size: int = 2, optimizer: str = "adam", steps: int = 2) -> list[dict]:
    """Run plain DP and ZeRO 1/2/3 and return per-rank bytes held and sent next to the formulas (Q7)."""
    rows = []
    for name, stage in ZERO_LADDER.items():
        result = run_strategy(name, world_size, steps, optimizer)
        rank0 = result.per_rank[0]
        num_params = sum(p.numel() for p in result.reference.parameters())
        state_bytes = {"sgd": 0, "adam": 8}[optimizer]
        rows.append({"strategy": name, "stage": stage, "num_params": num_params,
                     "measured": {"parameters": rank0.param_bytes, "gradients": rank0.grad_bytes,
                                  "optimizer_state": rank0.optimizer_state_bytes},
                     "formula": zero_bytes_per_rank(num_params, world_size, stage, state_bytes=state_bytes),
                     "sent": dict(rank0.bytes_sent_per_step),
                     "sent_formula": expected_bytes_sent(stage, 4 * num_params, world_size),
                     "result": result})
    return rows


def optimizer_memory(model: nn.Module | None = None, seed: int = 0) -> dict[str, dict[str, int]]:
    """Bytes of parameters, gradients and optimizer state after one step with SGD, SGD+momentum, Adam (Q7)."""
    model = make_mlp(seed=seed) if model is None else model
    X, Y = synthetic_regression(n_samples=8, in_dim=model[0].in_features, out_dim=model[-1].out_features,
                                seed=seed)
    optimizers = {"sgd": lambda p: make_optimizer(p, "sgd"),
                  "sgd+momentum": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
                  "adam": lambda p: make_optimizer(p, "adam")}
    out = {}
    for name, build in optimizers.items():
        trained = copy.deepcopy(model)
        opt = build(trained.parameters())
        F.mse_loss(trained(X), Y).backward()
        opt.step()
        out[name] = {"parameters": tensor_bytes(trained.parameters()),
                     "gradients": tensor_bytes(p.grad for p in trained.parameters()),
                     "optimizer_state": optimizer_state_bytes(opt)}
    return out


def _time_steps(model: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int,
                sync: BucketedGradientSync | None) -> float:
    """Seconds of the fastest of `steps` SGD steps (the one least disturbed by other processes)."""
    opt = make_optimizer(model.parameters(), "sgd")
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        opt.zero_grad()
        F.mse_loss(model(x), y).backward()
        if sync:
            sync.wait()
        opt.step()
        times.append(time.perf_counter() - start)
    return min(times)


def _cpu_task(dims: tuple[int, ...], batch: int, seed: int) -> tuple[nn.Module, torch.Tensor, torch.Tensor]:
    X, Y = synthetic_regression(n_samples=batch, in_dim=dims[0], out_dim=dims[-1], seed=seed)
    return make_mlp(dims, seed=seed), X, Y


def _rank_step_time(dims: tuple[int, ...], batch: int, steps: int, seed: int) -> float:
    """On each launched rank: fastest step on this rank's share of the batch (all of it when alone)."""
    model, X, Y = _cpu_task(dims, batch, seed)
    x, y = shard_batch(X, Y, dist.get_rank(), dist.get_world_size())
    sync = BucketedGradientSync(model) if dist.get_world_size() > 1 else None
    return _time_steps(model, x, y, steps, sync)


def _one_process_step_times(dims: tuple[int, ...], batch: int, steps: int, seed: int) -> dict[int, float]:
    """In one launched process: fastest step on the whole batch with 1 thread and with all of its threads."""
    threads = torch.get_num_threads()
    best = {}
    for n in (1, threads):
        torch.set_num_threads(n)
        best[n] = _rank_step_time(dims, batch, steps, seed)
    return best


def cpu_data_parallel_vs_one_process(world_size: int = 2, dims: tuple[int, ...] = (256, 1024, 1024, 256),
                                     batch: int = 256, steps: int = 6, rounds: int = 2,
                                     seed: int = 0) -> dict[str, float]:
    """Seconds per step on one CPU: one process with 1 thread, one process with `world_size` threads, and data
    parallelism with `world_size` single-thread ranks; same MLP, same global batch (the book's quiz 7-B) (Q7).

    Every configuration runs in launched processes, in `rounds` alternating rounds (so a change of load hits all
    three alike), keeping its fastest step.
    """
    one_thread = all_threads = data_parallel = float("inf")
    for _ in range(rounds):
        one = launch(_one_process_step_times, 1, dims, batch, steps, seed, threads_per_rank=world_size)[0]
        one_thread, all_threads = min(one_thread, one[1]), min(all_threads, one[world_size])
        data_parallel = min(data_parallel, max(launch(_rank_step_time, world_size, dims, batch, steps, seed)))
    return {"cpu_cores": os.cpu_count(), "world_size": world_size, "one_thread_s": one_thread,
            "all_threads_s": all_threads, "data_parallel_s": data_parallel,
            "speedup_vs_one_thread": one_thread / data_parallel, "speedup_vs_all_threads": all_threads / data_parallel}
