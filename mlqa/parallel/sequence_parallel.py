"""Sequence parallelism: self-attention over a sequence split across ranks, keys and values sent round a ring (Q7).

Each of N ranks holds L/N consecutive tokens (its queries, keys and values). Two ways to attend to all L:

- ring self-attention (Li et al. 2021): the key blocks travel round the ring first, so every rank builds its
  full L/N x L score rows and takes the softmax; then the value blocks travel round to form the outputs;
- online-softmax ring attention (Liu et al. 2023, the blockwise form of Milakov and Gimelshein 2018 used by
  FlashAttention): keys and values travel together, and each rank keeps a running max and sum, so it only
  ever holds an L/N x L/N block of scores.

This is ring-attention sequence (context) parallelism. Megatron-LM's "sequence parallelism" (Korthikanti et al.
2022) is a different technique with the same name: an add-on to tensor parallelism that shards only the LayerNorm
and dropout activations by token, while attention stays split by heads.

`ring_shift` is differentiable: its backward sends the gradient the other way round the ring, so autograd
gives exact gradients for queries, keys and values on every rank.
"""

from __future__ import annotations

import math
import time
import weakref

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten

from mlqa.parallel import comm
from mlqa.parallel.launcher import WorkerError, launch, rank_device
from mlqa.parallel.reference import make_block_without_key_bias, make_optimizer, synthetic_sequences
from mlqa.parallel.strategies import RankMeasurements, StrategyResult, optimizer_state_bytes, tensor_bytes


def split_sequence(x: torch.Tensor, world_size: int, rank: int, dim: int = 1) -> torch.Tensor:
    """This rank's L/N consecutive tokens of `x` along `dim` (Q7)."""
    length = x.shape[dim]
    if length % world_size:
        raise ValueError(f"a sequence of length {length} cannot be split evenly over {world_size} ranks")
    return x.chunk(world_size, dim=dim)[rank]


def full_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """softmax(Q K^T / sqrt(d)) V on one device: the reference, with L x L scores (Q7)."""
    scores = (q / math.sqrt(q.shape[-1])) @ k.transpose(-2, -1)
    probs = scores.softmax(dim=-1)
    del scores  # as in the ring versions: softmax's backward needs only its output
    return probs @ v


def _exchange(t: torch.Tensor, dst: int, src: int) -> torch.Tensor:
    received = torch.empty(t.shape, dtype=t.dtype, device=t.device)
    work = comm.isend(t.contiguous(), dst=dst)
    comm.recv(received, src=src)
    work.wait()
    return received


class _RingShift(torch.autograd.Function):
    """Forward: pass a block to the next rank and take the previous rank's. Backward: the reverse."""

    @staticmethod
    def forward(ctx, t: torch.Tensor) -> torch.Tensor:
        rank, n = dist.get_rank(), dist.get_world_size()
        return _exchange(t, dst=(rank + 1) % n, src=(rank - 1) % n)

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:
        rank, n = dist.get_rank(), dist.get_world_size()
        return _exchange(grad, dst=(rank - 1) % n, src=(rank + 1) % n)


def ring_shift(t: torch.Tensor) -> torch.Tensor:
    """Send `t` to rank+1 and return rank-1's block; gradients flow back the other way (Q7)."""
    return _RingShift.apply(t)


def ring_self_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Li et al. 2021: keys go round to build L/N x L scores, softmax, then values go round (Q7)."""
    rank, n = dist.get_rank(), dist.get_world_size()
    score_blocks: list[torch.Tensor | None] = [None] * n
    keys, q = k, q / math.sqrt(q.shape[-1])
    for step in range(n):
        score_blocks[(rank - step) % n] = q @ keys.transpose(-2, -1)
        if step < n - 1:
            keys = ring_shift(keys)
    scores = torch.cat(score_blocks, dim=-1)  # L/N x L rows of the attention matrix
    score_blocks.clear()
    probs = scores.softmax(dim=-1)
    del scores  # softmax's backward needs only its output
    block = k.shape[-2]
    values, out = v, 0
    for step in range(n):
        owner = (rank - step) % n
        out = out + probs[..., owner * block:(owner + 1) * block] @ values
        if step < n - 1:
            values = ring_shift(values)
    return out


def online_ring_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Ring attention with an online softmax: keys and values go round together, L/N x L/N scores (Q7)."""
    keys, values, q = k, v, q / math.sqrt(q.shape[-1])
    scores = q @ keys.transpose(-2, -1)
    running_max = scores.amax(dim=-1, keepdim=True)
    weights = (scores - running_max).exp_()
    del scores
    running_sum, acc = weights.sum(dim=-1, keepdim=True), weights @ values
    for _ in range(dist.get_world_size() - 1):
        keys, values = ring_shift(keys), ring_shift(values)
        scores = q @ keys.transpose(-2, -1)
        new_max = torch.maximum(running_max, scores.amax(dim=-1, keepdim=True))
        rescale = (running_max - new_max).exp()
        weights = (scores - new_max).exp_()
        del scores
        running_sum = running_sum * rescale + weights.sum(dim=-1, keepdim=True)
        acc = acc * rescale + weights @ values
        running_max = new_max
    return acc / running_sum


ATTENTIONS = {"ring": ring_self_attention, "online": online_ring_attention}


class PeakMemory(TorchDispatchMode):
    """Tracks the bytes of tensors created inside the `with` block that are still alive, and their peak (Q7).

    A CPU has no allocator statistics like `torch.cuda.max_memory_allocated`; this counts every new
    storage an op returns and subtracts it when the storage is freed.
    """

    def __init__(self):
        super().__init__()
        self.live = self.peak = 0
        self._refs: dict[int, weakref.ref] = {}

    def _free(self, key: int, nbytes: int) -> None:
        self.live -= nbytes
        self._refs.pop(key, None)

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        for t in tree_flatten(out)[0]:
            if isinstance(t, torch.Tensor) and t.device.type != "meta":
                storage = t.untyped_storage()
                key = id(storage)
                if key not in self._refs:
                    nbytes = storage.nbytes()
                    self._refs[key] = weakref.ref(storage, lambda _, k=key, n=nbytes: self._free(k, n))
                    self.live += nbytes
                    self.peak = max(self.peak, self.live)
        return out


def attention_peak_bytes(attention, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                         train: bool = True) -> tuple[torch.Tensor, int]:
    """Run `attention` and return its output and the peak bytes it allocated (kept for backward if train) (Q7)."""
    with torch.set_grad_enabled(train), PeakMemory() as tracker:
        out = attention(q, k, v)
    return out, tracker.peak


def attention_check_worker(kind: str, batch: int = 2, heads: int = 2, seq_len: int = 16, d_head: int = 8,
                           seed: int = 0) -> dict:
    """Compare ring attention of `kind` with full attention: output and q/k/v gradient errors (Q7)."""
    rank, n = dist.get_rank(), dist.get_world_size()
    g = torch.Generator().manual_seed(seed)
    q, k, v, upstream = (torch.randn(batch, heads, seq_len, d_head, generator=g).to(rank_device())
                         for _ in range(4))
    full_q, full_k, full_v = (t.clone().requires_grad_() for t in (q, k, v))
    full_out = full_attention(full_q, full_k, full_v)
    (full_out * upstream).sum().backward()
    local = [split_sequence(t, n, rank, dim=2).clone().requires_grad_() for t in (q, k, v)]
    out = ATTENTIONS[kind](*local)
    (out * split_sequence(upstream, n, rank, dim=2)).sum().backward()
    mine = [split_sequence(t, n, rank, dim=2) for t in (full_out, full_q.grad, full_k.grad, full_v.grad)]
    errors = [(a - b).abs().max().item() for a, b in zip(mine, [out] + [t.grad for t in local])]
    return dict(zip(("output", "grad_q", "grad_k", "grad_v"), errors))


def attention_memory_worker(kind: str, seq_len: int = 512, d_head: int = 16, train: bool = True,
                            seed: int = 0) -> int:
    """Peak bytes one rank allocates in ring attention of `kind` over its L/N tokens (one head) (Q7)."""
    rank, n = dist.get_rank(), dist.get_world_size()
    g = torch.Generator().manual_seed(seed)
    q, k, v = (split_sequence(torch.randn(1, 1, seq_len, d_head, generator=g), n, rank, dim=2)
               .to(rank_device()).requires_grad_(train) for _ in range(3))
    return attention_peak_bytes(ATTENTIONS[kind], q, k, v, train)[1]


def single_device_attention_bytes(seq_len: int = 512, d_head: int = 16, train: bool = True, seed: int = 0) -> int:
    """Peak bytes full attention allocates on one device for the same input as the workers above (Q7)."""
    g = torch.Generator().manual_seed(seed)
    q, k, v = (torch.randn(1, 1, seq_len, d_head, generator=g).requires_grad_(train) for _ in range(3))
    return attention_peak_bytes(full_attention, q, k, v, train)[1]


def block_forward(block, x: torch.Tensor, attention) -> torch.Tensor:
    """A reference TransformerBlock's forward on this rank's tokens, with `attention` across the ring (Q7)."""
    attn = block.attn
    b, t, _ = x.shape

    def heads(proj, h):
        return proj(h).view(b, t, attn.n_heads, attn.d_head).transpose(1, 2)

    h = block.ln1(x)
    y = attention(heads(attn.q, h), heads(attn.k, h), heads(attn.v, h))
    x = x + attn.out(y.transpose(1, 2).reshape(b, t, -1))
    return x + block.mlp(block.ln2(x))


def sequence_worker(steps: int = 3, optimizer: str = "sgd", kind: str = "ring") -> StrategyResult:
    """Strategy worker: the reference block trained with its sequence split over the ranks (Q7).

    Every rank holds the whole (small) block and L/N tokens of every sequence; the local loss is this rank's
    share of the full mean, so summing the gradients over ranks gives the single-device gradient.
    """
    rank, n = dist.get_rank(), dist.get_world_size()
    block, reference, (X, Y) = make_block_without_key_bias(), make_block_without_key_bias(), synthetic_sequences()
    device = rank_device()
    block.to(device)
    x_local, y_local = split_sequence(X, n, rank).to(device), split_sequence(Y, n, rank).to(device)
    opt = make_optimizer(block.parameters(), optimizer)
    losses, step_times = [], []
    with comm.CommCounter() as counter:
        for _ in range(steps):
            start = time.perf_counter()
            opt.zero_grad()
            out = block_forward(block, x_local, ATTENTIONS[kind])
            loss = F.mse_loss(out, y_local, reduction="sum") / Y.numel()
            loss.backward()
            for p in block.parameters():
                comm.all_reduce(p.grad, "sum")
            total = loss.detach().clone()
            comm.all_reduce(total, "sum")
            opt.step()
            step_times.append(time.perf_counter() - start)
            losses.append(total.item())
    measured = RankMeasurements(rank=rank, step_time_s=sum(step_times) / steps,
                                param_bytes=tensor_bytes(block.parameters()),
                                grad_bytes=tensor_bytes(p.grad for p in block.parameters()),
                                optimizer_state_bytes=optimizer_state_bytes(opt),
                                bytes_sent_per_step={k: v / steps for k, v in counter.sent.items()})
    state = {k: v.detach().cpu().clone() for k, v in block.state_dict().items()} if rank == 0 else None
    return StrategyResult(name=f"sequence-{kind}", world_size=n, optimizer=optimizer, steps=steps,
                          state_dict=state, reference=reference, inputs=X, targets=Y, losses=losses,
                          per_rank=[measured], backend=dist.get_backend())


def sequence_ring_worker(steps: int = 3, optimizer: str = "sgd") -> StrategyResult:
    """Strategy "sequence-ring": ring self-attention (Li et al. 2021) (Q7)."""
    return sequence_worker(steps, optimizer, "ring")


def sequence_online_worker(steps: int = 3, optimizer: str = "sgd") -> StrategyResult:
    """Strategy "sequence-online": online-softmax ring attention (Q7)."""
    return sequence_worker(steps, optimizer, "online")


def context_parallel_worker(seq_len: int = 1024, heads: int = 4, d_head: int = 64, seed: int = 0) -> float:
    """PyTorch's `context_parallel` on this rank's GPU: max error of its sharded attention vs full (Q7)."""
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor.experimental import context_parallel
    from torch.distributed.tensor.experimental._attention import context_parallel_unshard

    mesh = init_device_mesh("cuda", (dist.get_world_size(),))
    g = torch.Generator(device="cuda").manual_seed(seed)
    q, k, v = (torch.randn(1, heads, seq_len, d_head, device="cuda", generator=g) for _ in range(3))
    full = F.scaled_dot_product_attention(q, k, v)
    with context_parallel(mesh, buffers=[q, k, v], buffer_seq_dims=[2, 2, 2]):  # shards q, k, v in place
        local = F.scaled_dot_product_attention(q, k, v)
    (gathered,) = context_parallel_unshard(mesh, [local], [2])
    return (gathered - full).abs().max().item()


def context_parallel_demo() -> str:
    """Run `context_parallel` on every CUDA GPU and report its error; on a CPU, say why it is skipped (Q7)."""
    if not torch.cuda.is_available():
        return ("skipped: torch.distributed.tensor.experimental.context_parallel needs CUDA "
                "(the CPU attention kernel has no sharding rule), and this machine has no CUDA GPU")
    n = torch.cuda.device_count()
    try:
        error = max(launch(context_parallel_worker, n))
    except WorkerError as err:  # an experimental API: report what failed instead of stopping the notebook
        return f"context_parallel failed on {n} x {torch.cuda.get_device_name()}: {str(err).strip().splitlines()[-1]}"
    if error > 1e-4:
        raise AssertionError(f"context_parallel differs from full attention by {error:.1e} (tolerance 1e-4)")
    return f"context_parallel on {n} GPU(s): max |output - full attention| = {error:.1e} (tolerance 1e-4)"


def measure_attention_memory(world_sizes: tuple[int, ...] = (2, 4), seq_len: int = 512,
                             d_head: int = 16) -> list[dict]:
    """Peak attention bytes per rank: one device, ring and online ring attention (training and inference) (Q7)."""
    rows = [dict(method="one device", world_size=1, bytes=single_device_attention_bytes(seq_len, d_head),
                 score_bytes=seq_len * seq_len * 4)]
    for n in world_sizes:
        for method, kind, train in [("ring", "ring", True), ("online, training", "online", True),
                                    ("online, inference", "online", False)]:
            peak = max(launch(attention_memory_worker, n, kind, seq_len, d_head, train))
            rows.append(dict(method=method, world_size=n, bytes=peak, score_bytes=seq_len // n * seq_len * 4))
    return rows
