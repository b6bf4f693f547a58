"""Q8 and Q17 sweeps too slow for the notebooks; each stores its results under mlqa/transformer/results/.

python -m mlqa.transformer sweep-17a [--seeds 0 1 2] [--sizes 100 500 2000]
    (each point saved as sweep-17a-labels-<size>-seed-<seed>.json; the parts are read together)
python -m mlqa.transformer sweep-17b [--seeds 0 1 2]   (saved as sweep-17b-seeds-<seeds>.json)
python -m mlqa.transformer pretraining-gain [--seeds 0 1 2] [--sizes 100 300 1000 2000]
    (Q8; each seed saved as pretraining-gain-seed-<seed>.json; the parts are read together)
"""

import argparse

import torch

from mlqa.stored_results import save_results
from mlqa.transformer.data import load_tweets, sentiment_split
from mlqa.transformer.experiments import POOL_SIZE, TEST_SIZE, encoded_split, load_minilm
from mlqa.transformer.pretraining_gain import LABEL_SIZES, PRETRAIN_STEPS
from mlqa.transformer.results import RESULTS_DIR


def sweep_17a_command(args: argparse.Namespace) -> None:
    """Exercise 17-A over label sizes and seeds with all-MiniLM-L6-v2; each (size, seed) point saved on its own."""
    from mlqa.transformer.finetuning import sweep_17a

    _, minilm, tokenizer = load_minilm()
    split = sentiment_split(load_tweets(), num_train=POOL_SIZE, num_test=TEST_SIZE, seed=0)
    train, test = encoded_split(tokenizer, split)
    settings = dict(epochs=args.epochs, lr=args.lr, batch_size=16)
    for size in args.sizes:
        for seed in args.seeds:
            rows = sweep_17a(minilm, train, test, (size,), (seed,), **settings)
            record = settings | {"seeds": [seed], "label_sizes": [size], "pool": POOL_SIZE, "test": TEST_SIZE,
                                 "threads": torch.get_num_threads(), "torch": torch.__version__}
            print("saved", save_results(RESULTS_DIR, f"sweep-17a-labels-{size}-seed-{seed}", rows, record))


def sweep_17b_command(args: argparse.Namespace) -> None:
    """Exercise 17-B over seeds: tiny GPT and tiny BERT pretrained to the same number of token predictions."""
    from mlqa.transformer.decoder_classifier import sweep_17b

    rows, settings = sweep_17b(tuple(args.seeds))
    settings |= {"seeds": args.seeds, "threads": torch.get_num_threads(), "torch": torch.__version__}
    print("saved", save_results(RESULTS_DIR, f"sweep-17b-seeds-{'-'.join(map(str, args.seeds))}", rows, settings))


def pretraining_gain_command(args: argparse.Namespace) -> None:
    """Q8: pretrained vs from-scratch tiny GPT classifiers over label sizes; each seed saved on its own."""
    from mlqa.transformer.pretraining_gain import sweep_pretraining_gain

    for seed in args.seeds:
        rows, settings = sweep_pretraining_gain((seed,), tuple(args.sizes), args.pretrain_steps)
        settings |= {"seeds": [seed], "threads": torch.get_num_threads(), "torch": torch.__version__}
        print("saved", save_results(RESULTS_DIR, f"pretraining-gain-seed-{seed}", rows, settings))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m mlqa.transformer", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    a = commands.add_parser("sweep-17a", help="frozen vs finetuned all-MiniLM-L6-v2 over label sizes and seeds")
    a.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    a.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 2000])
    a.add_argument("--epochs", type=float, default=3)
    a.add_argument("--lr", type=float, default=3e-5)
    a.set_defaults(run=sweep_17a_command)
    b = commands.add_parser("sweep-17b", help="tiny decoder vs tiny encoder as classifiers over seeds")
    b.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    b.set_defaults(run=sweep_17b_command)
    g = commands.add_parser("pretraining-gain", help="Q8: tiny GPT pretrained on tweets vs from scratch, over labels")
    g.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    g.add_argument("--sizes", type=int, nargs="+", default=list(LABEL_SIZES))
    g.add_argument("--pretrain-steps", type=int, default=PRETRAIN_STEPS)
    g.set_defaults(run=pretraining_gain_command)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest on a busy CPU)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    args.run(args)


if __name__ == "__main__":
    main()
