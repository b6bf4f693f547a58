"""Pipeline parallelism from scratch: GPipe and 1F1B over microbatches with point-to-point send/recv (Q7).

Rank s holds stage s: a run of consecutive layers of an `nn.Sequential`. The batch is cut into m microbatches;
activations travel forward (rank s to s + 1) and their gradients travel back, through `mlqa.parallel.comm`
so the bytes are counted. Each microbatch's loss is divided by m, so the summed gradients are those of the
full-batch mean loss: a pipelined step equals one single-device step with gradient accumulation.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn

from mlqa.parallel import comm
from mlqa.parallel.launcher import launch, rank_device
from mlqa.parallel.reference import make_mlp, make_optimizer, synthetic_regression
from mlqa.parallel.schedule import (
    ScheduleRecorder,
    SleepCompute,
    Span,
    check_schedule,
    idle_fraction,
    in_flight_per_rank,
    peak_in_flight,
    stage_order,
    wait_fraction,
)
from mlqa.parallel.strategies import RankMeasurements, StrategyResult, optimizer_state_bytes, tensor_bytes

DEFAULT_COMPUTE = SleepCompute()  # 5 ms forward, 10 ms backward per sample
QUICK_COMPUTE = SleepCompute(0.0025, 0.005)


def layer_groups(model: nn.Sequential) -> list[list[int]]:
    """Indices of `model`'s children grouped into layers: a module with parameters and what follows it (Q7)."""
    groups: list[list[int]] = []
    for i, child in enumerate(model):
        if any(True for _ in child.parameters()) or not groups:
            groups.append([i])
        else:
            groups[-1].append(i)
    return groups


def stage_slices(model: nn.Sequential, n_stages: int) -> list[slice]:
    """Split `model` into `n_stages` runs of whole layers, as even as possible (Q7)."""
    groups = layer_groups(model)
    if n_stages > len(groups):
        raise ValueError(f"{n_stages} stages but the model has only {len(groups)} layers to split")
    if n_stages < 2:
        raise ValueError(f"a pipeline needs at least 2 stages, got {n_stages}")
    base, extra = divmod(len(groups), n_stages)
    slices, first = [], 0
    for s in range(n_stages):
        last = first + base + (1 if s < extra else 0)
        slices.append(slice(groups[first][0], groups[last - 1][-1] + 1))
        first = last
    return slices


def split_microbatches(X: torch.Tensor, n_microbatches: int) -> list[torch.Tensor]:
    """Cut a batch into `n_microbatches` equal parts along dim 0 (Q7)."""
    if n_microbatches < 1 or X.shape[0] % n_microbatches:
        raise ValueError(f"{n_microbatches} microbatches do not divide the batch of {X.shape[0]} samples")
    return list(X.chunk(n_microbatches))


def boundary_shapes(model: nn.Sequential, slices: list[slice], microbatch: torch.Tensor) -> list[torch.Size]:
    """Shape of the activation leaving each stage for one microbatch (one dry forward, no grad) (Q7)."""
    shapes, x = [], microbatch
    with torch.no_grad():
        for sl in slices:
            x = model[sl](x)
            shapes.append(x.shape)
    return shapes


@dataclass
class PipelineRun:
    """What one stage returns: its trained layers, losses (last stage), spans and measurements (Q7)."""

    rank: int
    stage_state: dict[str, torch.Tensor]  # this stage's parameters under the full model's names
    losses: list[float]  # full-batch loss of each step, on the last stage; empty elsewhere
    spans: list[list[Span]]  # per step
    step_times: list[float]
    bytes_sent_per_step: dict[str, float]
    param_bytes: int = 0
    grad_bytes: int = 0
    optimizer_state_bytes: int = 0
    peak_in_flight: int = 0


def pipeline_train(model: nn.Sequential, X: torch.Tensor, Y: torch.Tensor, steps: int = 3,
                   optimizer: str = "sgd", schedule: str = "1f1b", n_microbatches: int = 4,
                   compute: SleepCompute | None = None) -> PipelineRun:
    """Train `model` pipelined over the ranks of the process group (rank = stage) with MSE loss (Q7)."""
    rank, p = dist.get_rank(), dist.get_world_size()
    check_schedule(schedule, p, n_microbatches)
    slices = stage_slices(model, p)
    x_mbs, y_mbs = split_microbatches(X, n_microbatches), split_microbatches(Y, n_microbatches)
    shapes = boundary_shapes(model, slices, x_mbs[0])
    device = rank_device()
    stage = model[slices[rank]].to(device)  # keeps the full model's child names, e.g. "2.weight"
    x_mbs, y_mbs = [x.to(device) for x in x_mbs], [y.to(device) for y in y_mbs]
    opt = make_optimizer(stage.parameters(), optimizer)
    first, last = rank == 0, rank == p - 1
    order = stage_order(schedule, rank, p, n_microbatches)
    recorder = ScheduleRecorder(rank)
    pad = (lambda kind, j: compute.duration(kind, x_mbs[j].shape[0])) if compute else (lambda kind, j: 0.0)
    losses, all_spans, step_times = [], [], []
    with comm.CommCounter() as counter:
        for _ in range(steps):
            dist.barrier()
            recorder.start()
            stash: dict[int, tuple[torch.Tensor, torch.Tensor]] = {}
            pending, step_loss = [], 0.0
            for op, j in order:
                if op == "F":
                    if first:
                        x = x_mbs[j]
                    else:
                        x = torch.empty(shapes[rank - 1], device=device)
                        with recorder.span("recv", j):
                            comm.recv(x, src=rank - 1, tag=j)
                        x.requires_grad_()
                    with recorder.span("forward", j, pad("forward", j)):
                        out = stage(x)
                        if last:
                            out = F.mse_loss(out, y_mbs[j]) / n_microbatches
                            step_loss += out.item()
                    stash[j] = (x, out)
                    if not last:
                        with recorder.span("send", j):
                            act = out.detach()
                            pending.append((comm.isend(act, dst=rank + 1, tag=j), act))
                else:
                    x, out = stash.pop(j)
                    grad = None
                    if not last:
                        grad = torch.empty(shapes[rank], device=device)
                        with recorder.span("recv", j):
                            comm.recv(grad, src=rank + 1, tag=j)
                    with recorder.span("backward", j, pad("backward", j)):
                        out.backward(grad)
                    if not first:
                        with recorder.span("send", j):
                            pending.append((comm.isend(x.grad, dst=rank - 1, tag=j), x.grad))
            for work, _ in pending:
                work.wait()
            step_times.append(recorder.now())
            grad_bytes = tensor_bytes(q.grad for q in stage.parameters())
            opt.step()
            opt.zero_grad()
            all_spans.append(recorder.spans)
            if last:
                losses.append(step_loss)
    return PipelineRun(
        rank=rank, stage_state={k: v.detach().cpu().clone() for k, v in stage.state_dict().items()},
        losses=losses, spans=all_spans, step_times=step_times,
        bytes_sent_per_step={k: v / steps for k, v in counter.sent.items()},
        param_bytes=tensor_bytes(stage.parameters()), grad_bytes=grad_bytes,
        optimizer_state_bytes=optimizer_state_bytes(opt),
        peak_in_flight=in_flight_per_rank(all_spans[-1])[rank])


def gather_spans(run: PipelineRun, step: int = -1) -> list[Span]:
    """Every rank's spans of one step, gathered on all ranks (not counted as training traffic) (Q7)."""
    everyone: list = [None] * dist.get_world_size()
    dist.all_gather_object(everyone, run.spans[step])
    return [s for spans in everyone for s in spans]


def pipeline_worker(steps: int = 3, optimizer: str = "sgd", schedule: str = "1f1b", n_microbatches: int = 4,
                    compute: SleepCompute | None = None) -> StrategyResult:
    """Strategy worker: the reference MLP pipelined over all ranks on the reference data (Q7)."""
    model, (X, Y) = make_mlp(), synthetic_regression()
    reference = make_mlp()
    run = pipeline_train(model, X, Y, steps, optimizer, schedule, n_microbatches, compute)
    spans = gather_spans(run)
    states: list = [None] * dist.get_world_size()
    dist.all_gather_object(states, (run.stage_state, run.losses))
    rank = dist.get_rank()
    measured = RankMeasurements(
        rank=rank, step_time_s=sum(run.step_times) / len(run.step_times), param_bytes=run.param_bytes,
        grad_bytes=run.grad_bytes, optimizer_state_bytes=run.optimizer_state_bytes,
        bytes_sent_per_step=run.bytes_sent_per_step, idle_fraction=wait_fraction(spans, rank))
    state = {k: v for stage_state, _ in states for k, v in stage_state.items()} if rank == 0 else None
    return StrategyResult(name=schedule, world_size=dist.get_world_size(), optimizer=optimizer, steps=steps,
                          state_dict=state, reference=reference, inputs=X, targets=Y, losses=states[-1][1],
                          per_rank=[measured], backend=dist.get_backend())


def gpipe_worker(steps: int = 3, optimizer: str = "sgd") -> StrategyResult:
    """Strategy "gpipe": mlqa's GPipe schedule with 4 microbatches (Q7)."""
    return pipeline_worker(steps, optimizer, "gpipe")


def one_f_one_b_worker(steps: int = 3, optimizer: str = "sgd") -> StrategyResult:
    """Strategy "1f1b": mlqa's 1F1B schedule with 4 microbatches (Q7)."""
    return pipeline_worker(steps, optimizer, "1f1b")


def timeline_worker(schedule: str, n_microbatches: int, batch: int, compute: SleepCompute | None,
                    steps: int = 3, seed: int = 0) -> tuple[list[Span], float]:
    """Run the reference MLP pipelined; return all ranks' spans of the fastest step and its time (Q7).

    The fastest of `steps` steps is the least disturbed by other processes: noise only ever adds idle time.
    """
    model, (X, Y) = make_mlp(seed=seed), synthetic_regression(n_samples=batch, seed=seed)
    run = pipeline_train(model, X, Y, steps, "sgd", schedule, n_microbatches, compute)
    slowest = torch.tensor(run.step_times)
    dist.all_reduce(slowest, op=dist.ReduceOp.MAX)  # a step takes as long as its slowest rank
    best = int(slowest.argmin())
    return gather_spans(run, best), float(slowest[best])


def measure_schedules(n_stages: int = 4, batch: int = 32, n_microbatches: int = 8,
                      compute: SleepCompute | None = QUICK_COMPUTE,
                      steps: int = 2) -> dict[str, tuple[list[Span], float]]:
    """Naive model parallelism, GPipe and 1F1B on the same MLP, batch and ranks: spans and step time (Q7)."""
    runs = {"model parallel": ("model", 1), "GPipe": ("gpipe", n_microbatches), "1F1B": ("1f1b", n_microbatches)}
    return {name: launch(timeline_worker, n_stages, schedule, m, batch, compute, steps)[0]
            for name, (schedule, m) in runs.items()}


def measure_bubble(n_stages: int = 4, microbatches: tuple[int, ...] = (4, 8, 16), schedule: str = "1f1b",
                   samples_per_microbatch: int = 4, compute: SleepCompute = DEFAULT_COMPUTE,
                   steps: int = 2) -> dict[int, tuple[float, int]]:
    """Measured idle fraction and peak microbatches in flight of a sleep-emulated run, per microbatch count (Q7)."""
    measured = {}
    for m in microbatches:
        spans, _ = launch(timeline_worker, n_stages, schedule, m, samples_per_microbatch * m, compute, steps)[0]
        measured[m] = (idle_fraction(spans), peak_in_flight(spans))
    return measured
