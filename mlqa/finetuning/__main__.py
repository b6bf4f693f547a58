"""Q18 comparisons too slow for the notebook; each stores its results under mlqa/finetuning/results/.

python -m mlqa.finetuning compare [--seeds 0 1 2]   (each seed saved as compare-seed-<seed>.json)
"""

import argparse

import torch

from mlqa.finetuning.data import tweet_data
from mlqa.finetuning.results import save_results


def compare_command(args: argparse.Namespace) -> None:
    """Every adaptation arm on the same labelled tweets, one file per seed."""
    from mlqa.finetuning.adaptation import run_arms

    encoder, train, test = tweet_data()
    cache: dict = {}
    settings = dict(num_labels=args.labels, steps=args.steps, batch_size=16)
    for seed in args.seeds:
        rows = run_arms(encoder, train, test, seed=seed, cache=cache, **settings)
        record = settings | {"seed": seed, "test": len(test[2]), "threads": torch.get_num_threads(),
                             "torch": torch.__version__}
        print("saved", save_results(f"compare-seed-{seed}", rows, record))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m mlqa.finetuning", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    compare = commands.add_parser("compare", help="every way of adapting MiniLM, over seeds")
    compare.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    compare.add_argument("--labels", type=int, default=200)
    compare.add_argument("--steps", type=int, default=50)
    compare.set_defaults(run=compare_command)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest on a busy CPU)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    args.run(args)


if __name__ == "__main__":
    main()
