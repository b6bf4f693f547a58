"""Step time of mlqa's parallel training against PyTorch's, side by side in one run (Q7, issue 3 item 10).

    python benchmarks/parallel.py [--world-size 2] [--rounds 5] [--steps 5]

Three pairs on the same model and data: mlqa's bucketed data parallelism vs DDP (an MLP), ZeRO-3 vs FSDP2
`fully_shard` (the same MLP), mlqa's tensor parallelism vs DTensor `parallelize_module` (a transformer block).
The two sides of a pair alternate in rounds inside one process group, so both see the same machine load;
each side's time is the median step over all rounds, the slowest rank's. Target: ratio mlqa / PyTorch <= 1.25.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time
from collections.abc import Callable

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

from mlqa.parallel import (
    BucketedGradientSync,
    choose_backend,
    launch,
    make_mlp,
    rank_device,
    shard_batch,
    synthetic_regression,
    synthetic_sequences,
)
from mlqa.parallel.dtensor_tp import build_dtensor_block
from mlqa.parallel.production import fsdp2_model
from mlqa.parallel.reference import make_block_without_key_bias
from mlqa.parallel.tensor_parallel import build_tensor_parallel_block
from mlqa.parallel.zero import shard_model

TARGET = 1.25
MLP_DIMS = (512, 1024, 1024, 1024, 512)
BUCKET_MB = 4  # the same bucket size for mlqa and DDP


def _sgd_step(model: torch.nn.Module, opt: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor,
              sync: BucketedGradientSync | None = None) -> Callable[[], None]:
    def step() -> None:
        opt.zero_grad()
        F.mse_loss(model(x), y).backward()
        if sync:
            sync.wait()
        opt.step()
    return step


def _side_by_side(ours: Callable[[], None], theirs: Callable[[], None], rounds: int, steps: int) -> tuple:
    """Median seconds per step of each side, alternating `steps` steps of each for `rounds` rounds."""
    times: dict[str, list[float]] = {"ours": [], "theirs": []}
    ours(), theirs()  # warm-up
    for _ in range(rounds):
        for side, step in (("ours", ours), ("theirs", theirs)):
            dist.barrier()
            for _ in range(steps):
                start = time.perf_counter()
                step()
                times[side].append(time.perf_counter() - start)
    return statistics.median(times["ours"]), statistics.median(times["theirs"])


def _benchmark_rank(rounds: int, steps: int, batch: int) -> dict[str, tuple[float, float]]:
    device = rank_device()
    X, Y = synthetic_regression(n_samples=batch, in_dim=MLP_DIMS[0], out_dim=MLP_DIMS[-1], seed=0)
    x, y = (t.to(device) for t in shard_batch(X, Y, dist.get_rank(), dist.get_world_size()))
    mlp = make_mlp(MLP_DIMS, seed=0).to(device)
    out = {}

    ours = copy.deepcopy(mlp)
    sync = BucketedGradientSync(ours, bucket_bytes=BUCKET_MB * 2**20)
    ddp = DistributedDataParallel(copy.deepcopy(mlp), bucket_cap_mb=BUCKET_MB)
    out["dp-bucketed vs DDP"] = _side_by_side(
        _sgd_step(ours, torch.optim.SGD(ours.parameters(), lr=0.01), x, y, sync),
        _sgd_step(ddp, torch.optim.SGD(ddp.parameters(), lr=0.01), x, y), rounds, steps)

    zero3 = shard_model(mlp)
    fsdp2 = fsdp2_model(mlp, dist.get_world_size())
    out["zero3 vs FSDP2"] = _side_by_side(
        _sgd_step(zero3, torch.optim.SGD([p for p in zero3.parameters() if p.requires_grad], lr=0.01), x, y),
        _sgd_step(fsdp2, torch.optim.SGD(fsdp2.parameters(), lr=0.01), x, y), rounds, steps)

    block = make_block_without_key_bias(d_model=256, n_heads=8, d_hidden=1024, seed=0)
    S, T = synthetic_sequences(batch=8, seq_len=64, d_model=256, seed=0)
    S, T = S.to(device), T.to(device)
    tp, dt = build_tensor_parallel_block(block), build_dtensor_block(block)
    out["tensor vs DTensor"] = _side_by_side(
        _sgd_step(tp, torch.optim.SGD(tp.parameters(), lr=0.01), S, T),
        _sgd_step(dt, torch.optim.SGD(dt.parameters(), lr=0.01), S, T), rounds, steps)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world-size", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--batch", type=int, default=128)
    args = parser.parse_args()
    per_rank = launch(_benchmark_rank, args.world_size, args.rounds, args.steps, args.batch, timeout=300)
    backend = choose_backend(args.world_size)
    print(f"torch {torch.__version__}, world size {args.world_size}, backend {backend}, "
          f"{args.rounds} rounds x {args.steps} steps per side")
    print(f"{'pair':<22}{'mlqa ms':>10}{'torch ms':>10}{'ratio':>8}  target <= {TARGET}")
    for pair in per_rank[0]:
        ours = max(r[pair][0] for r in per_rank)
        theirs = max(r[pair][1] for r in per_rank)
        verdict = "ok" if ours / theirs <= TARGET else "SLOWER than target"
        print(f"{pair:<22}{1e3 * ours:>10.2f}{1e3 * theirs:>10.2f}{ours / theirs:>8.2f}  {verdict}")


if __name__ == "__main__":
    main()
