"""Ensemble inference cost and the stacked trainer's speed-up, measured side by side in one run (Q6).

    python benchmarks/regularization.py [--members 1 3 5 10] [--samples 1000]

Prints the fastest of 20 timings of predicting for ensembles of k MLPs (the setup's 2x128 MLP) as a ratio to
one model, and the time to train 12 models one after another against the same 12 models as one stack.
"""

from __future__ import annotations

import argparse
import time

import torch

from mlqa.regularization import SETUP, StackedMLP, digits_overfit_split, fit_stacked, inference_seconds, stack_splits


def training_seconds(n_models: int, stacked: bool, epochs: int = 50) -> float:
    """Wall time to train `n_models` setup MLPs for `epochs` epochs, stacked or one at a time."""
    split = digits_overfit_split(SETUP["train_per_class"], SETUP["val_size"], seed=0)
    cpu = torch.device("cpu")
    start = time.perf_counter()
    groups = [list(range(n_models))] if stacked else [[m] for m in range(n_models)]
    for seeds in groups:
        fit_stacked(StackedMLP(seeds, hidden=SETUP["hidden"]), stack_splits([split], [0] * len(seeds), cpu), epochs)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, nargs="+", default=[1, 3, 5, 10])
    parser.add_argument("--samples", type=int, default=1000)
    args = parser.parse_args()
    torch.set_num_threads(1)
    one = inference_seconds(1, SETUP["hidden"], args.samples)
    print(f"{'members':>8} {'ms per pass':>12} {'x one model':>12}")
    for k in args.members:
        seconds = inference_seconds(k, SETUP["hidden"], args.samples)
        print(f"{k:>8} {1e3 * seconds:>12.2f} {seconds / one:>12.1f}")
    alone, stacked = training_seconds(12, stacked=False), training_seconds(12, stacked=True)
    print(f"train 12 models, 50 epochs: one at a time {alone:.1f} s, stacked {stacked:.1f} s, "
          f"speed-up {alone / stacked:.1f}x")


if __name__ == "__main__":
    main()
