"""Pipeline schedules you can see: per-rank spans, sleep-emulated compute and a logical-clock simulator (Q7).

A pipeline stage runs a fixed list of operations, `("F", j)` (forward of microbatch j) and `("B", j)`
(its backward), in the order its schedule dictates:

- "model": naive model parallelism, the whole batch as one microbatch, forward then backward;
- "gpipe": all m forwards, then all m backwards (Huang et al. 2019);
- "1f1b": p - s - 1 warm-up forwards on stage s, then one forward and one backward in turn, then the
  remaining backwards (the 1F1B schedule of PipeDream, Narayanan et al. 2019, in its synchronous form with a
  flush after every batch: PipeDream-Flush, Narayanan et al. 2021).

Real runs record `Span`s with a `ScheduleRecorder`; `simulate` replays the same operation lists on a logical
clock, so large stage and microbatch counts can be drawn without running anything. Both give the idle
fraction, which for GPipe and 1F1B equals the bubble fraction (p - 1) / (m + p - 1): the idle share of the
step. Megatron-LM's (p - 1) / m is the same idle time divided by the ideal compute time instead.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass

SCHEDULES = ("model", "gpipe", "1f1b")
COMPUTE_KINDS = ("forward", "backward")


@dataclass(frozen=True)
class Span:
    """One recorded interval on one rank: forward/backward compute, send/recv, or idle (Q7)."""

    rank: int
    kind: str  # "forward" | "backward" | "send" | "recv" | "idle"
    microbatch: int | None
    start: float  # seconds (or logical time units) since the step started
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


def bubble_fraction(n_stages: int, n_microbatches: int) -> float:
    """The idle share of a GPipe/1F1B step, (p - 1) / (m + p - 1), not Megatron's (p - 1) / m per compute (Q7)."""
    if n_stages < 1 or n_microbatches < 1:
        raise ValueError(f"need n_stages >= 1 and n_microbatches >= 1, got {n_stages} and {n_microbatches}")
    return (n_stages - 1) / (n_microbatches + n_stages - 1)


def check_schedule(schedule: str, n_stages: int, n_microbatches: int) -> None:
    """Raise ValueError naming the numbers when a schedule cannot run with these counts (Q7)."""
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}; use one of {SCHEDULES}")
    if n_stages < 2:
        raise ValueError(f"a pipeline needs at least 2 stages, got {n_stages}")
    if n_microbatches < 1:
        raise ValueError(f"need at least 1 microbatch, got {n_microbatches}")
    if schedule == "model" and n_microbatches != 1:
        raise ValueError(f"naive model parallelism runs the batch as 1 microbatch, got {n_microbatches}")


def stage_order(schedule: str, stage: int, n_stages: int, n_microbatches: int) -> list[tuple[str, int]]:
    """The operations stage `stage` runs in one step: ("F", j) and ("B", j) in schedule order (Q7)."""
    check_schedule(schedule, n_stages, n_microbatches)
    m = n_microbatches
    if schedule in ("model", "gpipe"):
        return [("F", j) for j in range(m)] + [("B", j) for j in range(m)]
    warmup = min(n_stages - stage - 1, m)
    ops = [("F", j) for j in range(warmup)]
    for j in range(m - warmup):
        ops += [("F", warmup + j), ("B", j)]
    return ops + [("B", j) for j in range(m - warmup, m)]


class ScheduleRecorder:
    """Collects the spans of one rank; times are seconds since `start()` (Q7)."""

    def __init__(self, rank: int):
        self.rank = rank
        self.spans: list[Span] = []
        self.t0 = time.perf_counter()

    def start(self) -> None:
        """Reset the clock and the spans (call right after a barrier so ranks share a zero)."""
        self.spans = []
        self.t0 = time.perf_counter()

    def now(self) -> float:
        return time.perf_counter() - self.t0

    @contextmanager
    def span(self, kind: str, microbatch: int | None = None, min_duration: float = 0.0):
        """Record the enclosed code as one span; pad it with sleep up to `min_duration` seconds."""
        start = self.now()
        yield
        remaining = min_duration - (self.now() - start)
        if remaining > 0:
            time.sleep(remaining)
        self.spans.append(Span(self.rank, kind, microbatch, start, self.now()))


@dataclass(frozen=True)
class SleepCompute:
    """Emulated compute: every forward (backward) span lasts at least this many seconds per sample (Q7).

    Sleeping processes do not compete for CPU cores, so the timeline of 4 stages on a 2-core machine keeps
    the shape it would have on 4 devices; the real (tiny) computation still runs inside the span.
    """

    forward_s_per_sample: float = 0.005
    backward_s_per_sample: float = 0.01

    def duration(self, kind: str, n_samples: int) -> float:
        per_sample = self.forward_s_per_sample if kind == "forward" else self.backward_s_per_sample
        return per_sample * n_samples


def simulate(schedule: str, n_stages: int, n_microbatches: int, forward_time: float = 1.0,
             backward_time: float = 2.0, comm_time: float = 0.0) -> list[Span]:
    """Run the schedule on a logical clock: each op starts when its stage is free and its input arrived (Q7)."""
    orders = [stage_order(schedule, s, n_stages, n_microbatches) for s in range(n_stages)]
    done: dict[tuple[str, int, int], float] = {}  # (op, stage, microbatch) -> finish time
    free = [0.0] * n_stages
    position = [0] * n_stages
    spans: list[Span] = []
    while any(position[s] < len(orders[s]) for s in range(n_stages)):
        progressed = False
        for s in range(n_stages):
            if position[s] == len(orders[s]):
                continue
            op, j = orders[s][position[s]]
            if op == "F":
                dep = ("F", s - 1, j) if s > 0 else None
            else:
                dep = ("B", s + 1, j) if s < n_stages - 1 else ("F", s, j)
            if dep is not None and dep not in done:
                continue
            arrival = 0.0 if dep is None else done[dep] + (comm_time if dep[1] != s else 0.0)
            start = max(free[s], arrival)
            end = start + (forward_time if op == "F" else backward_time)
            spans.append(Span(s, "forward" if op == "F" else "backward", j, start, end))
            done[(op, s, j)] = free[s] = end
            position[s] += 1
            progressed = True
        if not progressed:
            raise RuntimeError(f"schedule {schedule!r} deadlocks with {n_stages} stages, {n_microbatches} mbs")
    return spans


def _makespan(spans: list[Span]) -> tuple[float, float]:
    return min(s.start for s in spans), max(s.end for s in spans)


def idle_fraction(spans: list[Span], rank: int | None = None) -> float:
    """Share of (ranks x step time) not spent in forward or backward compute (Q7).

    With `rank`, that rank's share of the step. Send/recv waits count as idle: they are the bubble.
    """
    if not spans:
        raise ValueError("no spans recorded")
    start, end = _makespan(spans)
    ranks = sorted({s.rank for s in spans}) if rank is None else [rank]
    busy = sum(s.duration for s in spans if s.kind in COMPUTE_KINDS and s.rank in ranks)
    return 1.0 - busy / (len(ranks) * (end - start))


def wait_fraction(spans: list[Span], rank: int) -> float:
    """Share of the step that `rank` spent blocked in recv, waiting for another rank's data (Q7)."""
    start, end = _makespan(spans)
    return sum(s.duration for s in spans if s.rank == rank and s.kind == "recv") / (end - start)


def idle_spans(spans: list[Span]) -> list[Span]:
    """The gaps between compute spans on every rank, within the step's start and end (Q7)."""
    start, end = _makespan(spans)
    gaps = []
    for r in sorted({s.rank for s in spans}):
        t = start
        for s in sorted((s for s in spans if s.rank == r and s.kind in COMPUTE_KINDS), key=lambda s: s.start):
            if s.start > t:
                gaps.append(Span(r, "idle", None, t, s.start))
            t = max(t, s.end)
        if end > t:
            gaps.append(Span(r, "idle", None, t, end))
    return gaps


def in_flight_per_rank(spans: list[Span]) -> dict[int, int]:
    """Per rank, the most microbatches whose forward ran but whose backward did not yet (stashed) (Q7)."""
    peaks = {}
    for r in sorted({s.rank for s in spans}):
        live = peak = 0
        for s in sorted((s for s in spans if s.rank == r and s.kind in COMPUTE_KINDS), key=lambda s: s.start):
            live += 1 if s.kind == "forward" else -1
            peak = max(peak, live)
        peaks[r] = peak
    return peaks


def peak_in_flight(spans: list[Span]) -> int:
    """The most microbatches any rank holds activations for at once: m for GPipe, p for 1F1B (Q7)."""
    return max(in_flight_per_rank(spans).values())
