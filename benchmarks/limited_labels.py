"""Every Q30 technique against its baseline on the same protocol, in one table (Q30, issue 6 item 4).

    python benchmarks/limited_labels.py [--seeds 3] [--only NAME ...] [--no-exercises]

Runs each registered technique with its default labels per class over seeds 0..S-1 and prints technique,
baseline, result (mean accuracy on the held-out test set), gain, seeds and wall-clock seconds; then the
book's exercises 30-A and 30-B the same way.
"""

from __future__ import annotations

import argparse
import time

from mlqa.limited import TECHNIQUES, get_technique
from mlqa.limited.data import TechniqueResult
from mlqa.limited.pipeline import run as exercise_30a
from mlqa.limited.uncertainty import run as exercise_30b


def timed(run, seeds: tuple[int, ...]) -> tuple[TechniqueResult, float]:
    """A technique's result and the seconds it took."""
    start = time.perf_counter()
    result = run(seeds=seeds)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="average over seeds 0..S-1")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these techniques")
    parser.add_argument("--no-exercises", action="store_true", help="skip exercises 30-A and 30-B")
    args = parser.parse_args()
    seeds = tuple(range(args.seeds))
    runs = {name: get_technique(name) for name in (args.only or TECHNIQUES)}
    if not args.no_exercises and not args.only:
        runs |= {"exercise-30a": exercise_30a, "exercise-30b": exercise_30b}
    header = f"{'technique':18s} {'k':>3s} {'baseline':>15s} {'result':>15s} {'gain':>7s} {'seeds':>5s} {'seconds':>8s}"
    print(header)
    print("-" * len(header))
    for name, run in runs.items():
        result, seconds = timed(run, seeds)
        spread = {"baseline": result.baseline, "result": result.result}
        cells = {key: f"{sum(v) / len(v):.3f} ± {_sd(v):.3f}" for key, v in spread.items()}
        print(f"{name:18s} {result.labels_per_class:3d} {cells['baseline']:>15s} {cells['result']:>15s} "
              f"{result.gain:+7.3f} {len(result.seeds):5d} {seconds:8.1f}", flush=True)
        print(f"{'':18s}     {result.baseline_name} -> {result.result_name}", flush=True)


def _sd(values: list[float]) -> float:
    mean = sum(values) / len(values)
    return (sum((v - mean) ** 2 for v in values) / max(len(values) - 1, 1)) ** 0.5


if __name__ == "__main__":
    main()
