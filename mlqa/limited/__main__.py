"""Command line for Q30: `python -m mlqa.limited --list` or `--technique NAME [--labels-per-class K] [--seeds S]`."""

from __future__ import annotations

import argparse
import inspect
import sys

from mlqa.limited.techniques import TECHNIQUES, get_technique


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The CLI's arguments (Q30)."""
    parser = argparse.ArgumentParser(prog="python -m mlqa.limited",
                                     description="Run one limited-label technique against its baseline (Q30).")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--list", action="store_true", help="name every technique")
    action.add_argument("--technique", metavar="NAME", help="the technique to run")
    parser.add_argument("--labels-per-class", type=int, metavar="K", help="labels per class (default: the technique's)")
    parser.add_argument("--seeds", type=int, default=3, metavar="S", help="average over seeds 0..S-1 (default 3)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 on success, 2 on bad input) (Q30)."""
    args = parse_args(argv)
    if args.list:
        for name, target in TECHNIQUES.items():
            print(f"{name:18s} {target}")
        return 0
    try:
        if args.seeds < 1:
            raise ValueError(f"--seeds must be at least 1, got {args.seeds}")
        run = get_technique(args.technique)
        labels = args.labels_per_class
        if labels is None:
            labels = inspect.signature(run).parameters["labels_per_class"].default
        result = run(labels_per_class=labels, seeds=tuple(range(args.seeds)), progress=not args.quiet)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"{result.baseline_name}: {result.baseline_mean:.3f}; {result.result_name}: {result.result_mean:.3f} "
          f"(k = {result.labels_per_class} labels per class, {len(result.seeds)} seeds)")
    print(result.summary_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
