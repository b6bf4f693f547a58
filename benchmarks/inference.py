"""Q22 side by side: every inference speed-up measured in one run on this CPU, printed as ratios.

    python benchmarks/inference.py

Ratios, not times, are the result; they vary between machines (see the Q22 notebook).
"""

import tempfile
from pathlib import Path

from mlqa.production.inference_model import train_digits_mlp
from mlqa.production.loop_tiling import tiling_speedup
from mlqa.production.speedups import fusion, onnx_runtime, quantise, throughput_by_batch, vectorisation


def main() -> None:
    digits = train_digits_mlp()
    print(f"digits MLP, test accuracy {digits.accuracy():.3f}")
    throughput = throughput_by_batch(digits)
    for size, rate in throughput.items():
        print(f"batch {size:4d}: {rate:10.0f} samples/s  ({rate / throughput[1]:6.1f}x batch 1)")
    results = [vectorisation(digits)[0], *fusion()[0], quantise(digits)[1]]
    with tempfile.TemporaryDirectory() as folder:
        results.append(onnx_runtime(digits, Path(folder) / "mlp.onnx")[0])
    tiling = tiling_speedup(512, 32)
    print(f"{'loop tiling 512x512 (tile 32)':32s} {tiling['naive i-j-k'] / tiling['tiled 32x32']:8.2f}x")
    for r in results:
        print(f"{r.name:32s} {r.speedup:8.2f}x   accuracy change {100 * r.accuracy_change:+.2f} points")


if __name__ == "__main__":
    main()
