"""Q18 comparisons too slow for the notebook; each stores its results under mlqa/finetuning/results/.

python -m mlqa.finetuning compare [--seeds 0 1 2]   (each seed saved as compare-seed-<seed>.json)
python -m mlqa.finetuning icl [--seeds 0]           (each seed saved as icl-seed-<seed>.json)
"""

import argparse

import torch

from mlqa.finetuning.data import tweet_data
from mlqa.finetuning.results import RESULTS_DIR
from mlqa.stored_results import save_results


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
        print("saved", save_results(RESULTS_DIR, f"compare-seed-{seed}", rows, record))


def icl_command(args: argparse.Namespace) -> None:
    """Train the tiny in-context GPT per seed and score it with 0 to 4 demonstrations, true and swapped."""
    from mlqa.finetuning.data import tweet_texts
    from mlqa.finetuning.incontext import corpus_outside, icl_accuracy, train_icl_gpt
    from mlqa.transformer import balanced_subset, load_tweets

    pool_texts, pool_labels, test_texts, test_labels = tweet_texts()
    texts, labels = corpus_outside(load_tweets(), set(pool_texts) | set(test_texts))
    for seed in args.seeds:
        gpt, tokens = train_icl_gpt(texts, labels, steps=args.steps, seed=seed)
        picked = balanced_subset(pool_labels, args.labels, seed)
        pool = ([pool_texts[i] for i in picked], [pool_labels[i] for i in picked])
        rows = [{"seed": seed, "shots": shots, "flipped": flipped,
                 "accuracy": icl_accuracy(gpt, tokens, pool, (test_texts, test_labels), shots, flipped, seed)}
                for shots in range(5) for flipped in (False, True)]
        for row in rows:
            print(row, flush=True)
        settings = {"seed": seed, "steps": args.steps, "labels": args.labels, "corpus": len(texts),
                    "parameters": sum(p.numel() for p in gpt.parameters()), "torch": torch.__version__}
        print("saved", save_results(RESULTS_DIR, f"icl-seed-{seed}", rows, settings))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m mlqa.finetuning", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    compare = commands.add_parser("compare", help="every way of adapting MiniLM, over seeds")
    compare.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    compare.add_argument("--labels", type=int, default=200)
    compare.add_argument("--steps", type=int, default=50)
    compare.set_defaults(run=compare_command)
    icl = commands.add_parser("icl", help="the tiny GPT prompted with labelled examples, over seeds")
    icl.add_argument("--seeds", type=int, nargs="+", default=[0])
    icl.add_argument("--labels", type=int, default=200)
    icl.add_argument("--steps", type=int, default=6000)
    icl.set_defaults(run=icl_command)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest on a busy CPU)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    args.run(args)


if __name__ == "__main__":
    main()
