"""Collectives and point-to-point ops that count the bytes each rank sends, by kind of op (Q7).

Every paradigm in `mlqa.parallel` communicates through these wrappers so that the bytes they move can be
compared. Inside `with CommCounter() as counter:` each call adds to `counter`:

- `payload[kind]`: bytes of the tensor the op is about (the full tensor for all-reduce and reduce-scatter,
  the gathered result for all-gather, the message for send/recv/broadcast/all-to-all);
- `sent[kind]`: bytes this rank sends under the bandwidth-optimal ring algorithm (Patarasuk and Yuan 2009):
  all-reduce 2(n-1)/n of the payload, reduce-scatter and all-gather (n-1)/n, all-to-all (n-1)/n,
  send the whole message, recv nothing, broadcast the whole message from the source only (a pipeline).

The counts are the algorithm's volume, not a packet capture: gloo and NCCL may pick other algorithms
internally, but this is the number the ZeRO and Megatron papers reason with.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import torch
import torch.distributed as dist

_ACTIVE: list[CommCounter] = []

_RING_FACTOR = {  # bytes sent per byte of payload, as a function of the group size n
    "all_reduce": lambda n: 2 * (n - 1) / n,
    "reduce_scatter": lambda n: (n - 1) / n,
    "all_gather": lambda n: (n - 1) / n,
    "all_to_all": lambda n: (n - 1) / n,
    "send": lambda n: 1.0,
    "recv": lambda n: 0.0,
}


def ring_bytes(kind: str, payload_bytes: float, world_size: int) -> float:
    """Bytes one rank sends for an op of `kind` on `payload_bytes` under the ring algorithm (Q7)."""
    if kind not in _RING_FACTOR:
        raise ValueError(f"no ring formula for {kind!r}; known: {sorted(_RING_FACTOR)}")
    if world_size < 1:
        raise ValueError(f"world_size must be >= 1, got {world_size}")
    return _RING_FACTOR[kind](world_size) * payload_bytes


@dataclass
class CommCounter:
    """Counts calls, payload bytes and ring-algorithm bytes sent per op kind while active (Q7)."""

    calls: Counter = field(default_factory=Counter)
    payload: Counter = field(default_factory=Counter)
    sent: Counter = field(default_factory=Counter)

    def __enter__(self) -> CommCounter:
        _ACTIVE.append(self)
        return self

    def __exit__(self, *exc) -> None:
        _ACTIVE.remove(self)

    def add(self, kind: str, payload_bytes: int, sent_bytes: float) -> None:
        """Record one op (called by the wrappers below)."""
        self.calls[kind] += 1
        self.payload[kind] += payload_bytes
        self.sent[kind] += sent_bytes

    def total_sent(self) -> float:
        """Bytes sent over all op kinds."""
        return float(sum(self.sent.values()))

    def as_dict(self) -> dict[str, dict[str, float]]:
        """Plain {kind: {"calls", "payload", "sent"}} for pickling back to the launcher."""
        return {k: {"calls": self.calls[k], "payload": self.payload[k], "sent": self.sent[k]} for k in self.calls}


def _nbytes(t: torch.Tensor) -> int:
    return t.numel() * t.element_size()


def _record(kind: str, payload_bytes: int, group=None, sent_bytes: float | None = None) -> None:
    if not _ACTIVE:
        return
    if sent_bytes is None:
        sent_bytes = ring_bytes(kind, payload_bytes, dist.get_world_size(group))
    for counter in _ACTIVE:
        counter.add(kind, payload_bytes, sent_bytes)


def _reduce_op(op: str | dist.ReduceOp) -> dist.ReduceOp:
    if isinstance(op, str):
        ops = {"sum": dist.ReduceOp.SUM, "avg": dist.ReduceOp.AVG, "max": dist.ReduceOp.MAX}
        if op not in ops:
            raise ValueError(f"unknown reduce op {op!r}; use one of {sorted(ops)}")
        return ops[op]
    return op


def all_reduce(tensor: torch.Tensor, op: str | dist.ReduceOp = "sum", group=None, async_op: bool = False):
    """In-place all-reduce of `tensor` over the group, counted (Q7)."""
    _record("all_reduce", _nbytes(tensor), group)
    return dist.all_reduce(tensor, op=_reduce_op(op), group=group, async_op=async_op)


def reduce_scatter(output: torch.Tensor, input: torch.Tensor, op: str | dist.ReduceOp = "sum", group=None,
                   async_op: bool = False):
    """Reduce `input` (n equal chunks along dim 0) over the group; rank r gets chunk r in `output` (Q7)."""
    n = dist.get_world_size(group)
    if input.numel() != n * output.numel():
        raise ValueError(f"reduce_scatter: input has {input.numel()} elements, expected "
                         f"world_size {n} x output {output.numel()}")
    _record("reduce_scatter", _nbytes(input), group)
    rs = getattr(dist, "reduce_scatter_single", None) or dist.reduce_scatter_tensor
    return rs(output, input, op=_reduce_op(op), group=group, async_op=async_op)


def all_gather(output: torch.Tensor, input: torch.Tensor, group=None, async_op: bool = False):
    """Concatenate every rank's `input` along dim 0 into `output` (n times larger), counted (Q7)."""
    n = dist.get_world_size(group)
    if output.numel() != n * input.numel():
        raise ValueError(f"all_gather: output has {output.numel()} elements, expected "
                         f"world_size {n} x input {input.numel()}")
    _record("all_gather", _nbytes(output), group)
    ag = getattr(dist, "all_gather_single", None) or dist.all_gather_into_tensor
    return ag(output, input, group=group, async_op=async_op)


def all_gather_list(tensor: torch.Tensor, group=None) -> list[torch.Tensor]:
    """Every rank's `tensor` as a list indexed by rank (shapes must match), counted as an all-gather (Q7)."""
    n = dist.get_world_size(group)
    flat = tensor.reshape(1, -1) if tensor.dim() == 0 else tensor.contiguous()
    out = torch.empty((n * flat.shape[0], *flat.shape[1:]), dtype=tensor.dtype, device=tensor.device)
    all_gather(out, flat, group=group)
    return [chunk.reshape(tensor.shape) for chunk in out.chunk(n)]


def all_to_all(output: torch.Tensor, input: torch.Tensor, group=None, async_op: bool = False):
    """Rank r sends chunk j of `input` (dim 0) to rank j and receives chunk r of everyone's, counted (Q7)."""
    _record("all_to_all", _nbytes(input), group)
    return dist.all_to_all_single(output, input, group=group, async_op=async_op)


def broadcast(tensor: torch.Tensor, src: int, group=None, async_op: bool = False):
    """Copy `tensor` from global rank `src` to every rank; only the source counts bytes sent (Q7)."""
    sent = _nbytes(tensor) if dist.get_rank() == src else 0
    _record("broadcast", _nbytes(tensor), group, sent_bytes=sent)
    return dist.broadcast(tensor, src=src, group=group, async_op=async_op)


def send(tensor: torch.Tensor, dst: int, group=None, tag: int = 0) -> None:
    """Blocking send of `tensor` to global rank `dst`, counted (Q7)."""
    _record("send", _nbytes(tensor), group)
    dist.send(tensor.contiguous(), dst=dst, group=group, tag=tag)


def recv(tensor: torch.Tensor, src: int, group=None, tag: int = 0) -> None:
    """Blocking receive into `tensor` from global rank `src`; counted with zero bytes sent (Q7)."""
    _record("recv", _nbytes(tensor), group)
    dist.recv(tensor, src=src, group=group, tag=tag)


def isend(tensor: torch.Tensor, dst: int, group=None, tag: int = 0):
    """Non-blocking send; returns the work handle to `.wait()` on (Q7)."""
    _record("send", _nbytes(tensor), group)
    return dist.isend(tensor.contiguous(), dst=dst, group=group, tag=tag)


def irecv(tensor: torch.Tensor, src: int, group=None, tag: int = 0):
    """Non-blocking receive; returns the work handle to `.wait()` on (Q7)."""
    _record("recv", _nbytes(tensor), group)
    return dist.irecv(tensor, src=src, group=group, tag=tag)


def batch_send_recv(sends: list[tuple[torch.Tensor, int]], recvs: list[tuple[torch.Tensor, int]],
                    group=None) -> None:
    """Post all sends (tensor, dst) and receives (tensor, src) together and wait for them, counted (Q7)."""
    ops = []
    for t, dst in sends:
        _record("send", _nbytes(t), group)
        ops.append(dist.P2POp(dist.isend, t.contiguous(), dst, group))
    for t, src in recvs:
        _record("recv", _nbytes(t), group)
        ops.append(dist.P2POp(dist.irecv, t, src, group))
    if ops:
        for work in dist.batch_isend_irecv(ops):
            work.wait()
