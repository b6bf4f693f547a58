"""Train the reference task with one parallel strategy from the command line (Q7).

    python -m mlqa.parallel --strategy tensor --world-size 2 --steps 3 --optimizer adam --check
    torchrun --nproc-per-node 2 -m mlqa.parallel --strategy tensor --steps 3 --check

Without torchrun the ranks are started by `mlqa.parallel.launch()`; under torchrun every process is one rank
and rank 0 prints. With `--check` the last line is `max abs param diff vs single device: <number>`.
"""

from __future__ import annotations

import argparse
import os
import sys

import torch.distributed as dist

from mlqa.parallel.launcher import WorkerError, init_from_env
from mlqa.parallel.strategies import (
    STRATEGIES,
    StrategyResult,
    check_against_single_device,
    merge_rank_results,
    resolve,
    run_strategy,
)


def build_parser() -> argparse.ArgumentParser:
    """The CLI's arguments; --help lists every registered strategy (Q7)."""
    listing = "\n".join(f"  {name:<18} {target}" for name, target in STRATEGIES.items())
    parser = argparse.ArgumentParser(
        prog="python -m mlqa.parallel", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Train the Q7 reference task with one parallel strategy and compare it with one device.",
        epilog=f"strategies:\n{listing}")
    parser.add_argument("--strategy", required=True, help="one of the strategies listed below")
    parser.add_argument("--world-size", type=int, default=None,
                        help="number of ranks (default 2; under torchrun, the number torchrun started)")
    parser.add_argument("--steps", type=int, default=3, help="optimizer steps (default 3)")
    parser.add_argument("--optimizer", choices=("sgd", "adam"), default="sgd")
    parser.add_argument("--backend", choices=("gloo", "nccl"), default=None,
                        help="default: NCCL when every rank can have its own GPU, else gloo")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a collective may wait (default 60)")
    parser.add_argument("--check", action="store_true", help="also train on one device and print the max diff")
    return parser


def under_torchrun() -> bool:
    """True when torchrun (or another env:// launcher) started this process as one rank (Q7)."""
    return "TORCHELASTIC_RUN_ID" in os.environ or {"RANK", "WORLD_SIZE", "MASTER_ADDR"} <= os.environ.keys()


def report(result: StrategyResult, check: bool) -> None:
    """Print the losses, every rank's measurements and, with `check`, the diff against one device (Q7)."""
    print(f"strategy {result.name}: {result.world_size} ranks ({result.backend}), "
          f"{result.optimizer}, {result.steps} steps")
    print("loss per step: " + " ".join(f"{loss:.5f}" for loss in result.losses))
    print(f"{'rank':>4} {'step ms':>8} {'params B':>9} {'grads B':>9} {'optim B':>9} {'sent B/step':>12} {'idle':>6}")

    def show(value, fmt: str) -> str:
        return "-" if value is None else format(value, fmt)

    for m in result.per_rank:
        sent = None if m.bytes_sent_per_step is None else sum(m.bytes_sent_per_step.values())
        print(f"{m.rank:>4} {show(m.step_time_s and 1000 * m.step_time_s, '8.2f')} {show(m.param_bytes, '9d')} "
              f"{show(m.grad_bytes, '9d')} {show(m.optimizer_state_bytes, '9d')} {show(sent, '12.0f')} "
              f"{show(m.idle_fraction, '6.2f')}")
    if check:
        print(f"max abs param diff vs single device: {check_against_single_device(result):.3e}")


def _error_line(err: WorkerError) -> str:
    """The exception line at the end of a worker's traceback, with its rank."""
    lines = [line for line in str(err).splitlines() if line.strip()]
    return f"rank {err.rank}: {lines[-1]}"


def run_torchrun(args: argparse.Namespace) -> int:
    """Run this process as one rank of a torchrun job; rank 0 reports (Q7)."""
    worker = resolve(args.strategy)
    world = int(os.environ["WORLD_SIZE"])
    if args.world_size is not None and args.world_size != world:
        raise ValueError(f"--world-size {args.world_size} disagrees with torchrun's WORLD_SIZE={world}")
    init_from_env(args.backend, args.timeout)
    try:
        result = worker(args.steps, args.optimizer)
        results = [None] * world if dist.get_rank() == 0 else None
        dist.gather_object(result, results, dst=0)
        if dist.get_rank() == 0:
            report(merge_rank_results(results), args.check)
    finally:
        dist.destroy_process_group()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m mlqa.parallel` (Q7)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.steps < 1:
        parser.error(f"--steps must be >= 1, got {args.steps}")
    try:
        if under_torchrun():
            return run_torchrun(args)
        resolve(args.strategy)
        result = run_strategy(args.strategy, 2 if args.world_size is None else args.world_size, args.steps,
                              args.optimizer, backend=args.backend, timeout=args.timeout)
    except ValueError as err:
        parser.error(str(err))
    except WorkerError as err:
        print(f"error: {_error_line(err)}", file=sys.stderr)
        return 1
    report(result, args.check)
    return 0


if __name__ == "__main__":
    sys.exit(main())
