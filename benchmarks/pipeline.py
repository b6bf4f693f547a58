"""Benchmark (Q7, issue 4): mlqa's 1F1B against torch.distributed.pipelining's Schedule1F1B, and ring attention's
peak memory per rank against one device.

    python benchmarks/pipeline.py [--world-size 2] [--steps 10] [--repeats 2]

Both pipelines train the same MLP (4 layers of width 1024) on the same batch with the same microbatches, one
process per stage, in the same run; each step time is the median over `--steps` steps after one warm-up step,
and the best of `--repeats` launches. Target: mlqa within 1.25x of PyTorch. The memory part counts the bytes of
every tensor attention creates while it is alive (training: what is kept for backward counts too).
"""

from __future__ import annotations

import argparse
import statistics

import torch.distributed as dist

from mlqa.parallel import launch, make_mlp, measure_attention_memory, synthetic_regression
from mlqa.parallel.pipeline import pipeline_train
from mlqa.parallel.pipelining_production import pipelining_train

DIMS = (256, 1024, 1024, 1024, 256)
BATCH, MICROBATCHES = 64, 4
TARGET = 1.25


def step_time_worker(implementation: str, steps: int) -> float:
    """Median step time (s) of one pipeline implementation on the benchmark MLP, slowest rank (Q7)."""
    model = make_mlp(DIMS)
    X, Y = synthetic_regression(BATCH, DIMS[0], DIMS[-1])
    if implementation == "mlqa":
        times = pipeline_train(model, X, Y, steps + 1, "sgd", "1f1b", MICROBATCHES).step_times
    else:
        times = pipelining_train(model, X, Y, steps + 1, "sgd", "1f1b", MICROBATCHES)[2]
    median = statistics.median(times[1:])  # the first step warms up
    slowest: list = [None] * dist.get_world_size()
    dist.all_gather_object(slowest, median)
    return max(slowest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world-size", type=int, default=2)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()

    best = {"mlqa": float("inf"), "torch": float("inf")}
    for _ in range(args.repeats):  # alternate, so both see the same background load
        for implementation in best:
            seconds = launch(step_time_worker, args.world_size, implementation, args.steps, timeout=300)[0]
            best[implementation] = min(best[implementation], seconds)
    ratio = best["mlqa"] / best["torch"]
    print(f"1F1B, {args.world_size} stages, MLP {DIMS}, batch {BATCH} in {MICROBATCHES} microbatches:")
    print(f"  mlqa pipeline        {best['mlqa'] * 1e3:8.1f} ms/step")
    print(f"  torch Schedule1F1B   {best['torch'] * 1e3:8.1f} ms/step")
    print(f"  ratio mlqa / torch   {ratio:8.2f}  (target <= {TARGET}: {'met' if ratio <= TARGET else 'NOT met'})")

    print("\nRing attention, peak attention memory per rank (1 head, L=2048, d=64):")
    rows = measure_attention_memory(world_sizes=(2, 4), seq_len=2048, d_head=64)
    full = rows[0]["bytes"]
    for r in rows:
        print(f"  {r['method']:18} N={r['world_size']}: {r['bytes'] / 2**20:7.2f} MiB per rank, "
              f"ratio to one device {r['bytes'] / full:.3f} (1/N = {1 / r['world_size']:.3f})")


if __name__ == "__main__":
    main()
