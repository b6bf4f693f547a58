"""Q16 benchmark: written-out self-attention (stores the n x n weights) against PyTorch's fused kernel.

Run: python benchmarks/self_attention.py   (prints times side by side, their ratio, and the growth per doubling)
Expected: both grow roughly 4x per doubling of n at large n (quadratic work); the fused kernel is faster and
stores no n x n matrix.
"""

import argparse
import time
from functools import partial

import torch
import torch.nn.functional as F

from mlqa.transformer import scaled_dot_product_attention


def best_time(fn, repeats: int) -> float:
    """Fastest of `repeats` runs after one warm-up, in seconds."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--d-head", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--lengths", type=int, nargs="+", default=[256, 512, 1024, 2048, 4096])
    args = parser.parse_args()
    print(f"{'n':>6} {'written-out ms':>15} {'fused ms':>10} {'ratio':>7} {'x per doubling (written, fused)':>33}")
    previous = None
    for n in args.lengths:
        q, k, v = torch.randn(3, 1, args.heads, n, args.d_head).unbind(0)
        written = best_time(partial(scaled_dot_product_attention, q, k, v), args.repeats)
        fused = best_time(partial(F.scaled_dot_product_attention, q, k, v), args.repeats)
        growth = "" if previous is None else f"{written / previous[0]:.1f}, {fused / previous[1]:.1f}"
        print(f"{n:>6} {written * 1e3:>15.2f} {fused * 1e3:>10.2f} {written / fused:>7.2f} {growth:>33}")
        previous = (written, fused)


if __name__ == "__main__":
    main()
