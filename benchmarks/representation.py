"""nn.Embedding lookup against nn.Linear on one-hot inputs, timed side by side in one run (Q1).

    python benchmarks/representation.py [--tokens 1024] [--dim 128] [--threads 1] [--device cpu]

For several vocabulary sizes, prints the median time of a forward and backward pass through the lookup, through
the linear layer on a prebuilt one-hot batch, and through one-hot building plus the linear layer, and each as a
ratio to the lookup. The two layers hold the same weights and give the same outputs and gradients.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from mlqa.representation import linear_from_embedding, one_hot


def median_seconds(step, repeats: int, device: torch.device) -> float:
    """Median wall time of `step()` over `repeats` runs after two warm-up runs."""
    times = []
    for i in range(repeats + 2):
        start = time.perf_counter()
        step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        if i >= 2:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def passes(embedding: torch.nn.Embedding, ids: torch.Tensor, inputs: torch.Tensor) -> tuple:
    """Forward and backward through the lookup, the linear twin on `inputs`, and one-hot building plus the twin."""
    linear = linear_from_embedding(embedding)
    return (lambda: embedding(ids).sum().backward(),
            lambda: linear(inputs).sum().backward(),
            lambda: linear(one_hot(ids, embedding.num_embeddings)).sum().backward())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=1024)
    parser.add_argument("--dim", type=int, default=128)
    parser.add_argument("--vocab", type=int, nargs="+", default=[1_000, 5_000, 20_000])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (1 is steadier on a shared machine)")
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    print(f"{args.tokens} tokens, dim {args.dim}, device {device}, {args.threads} thread(s); forward + backward")
    print(f"{'vocab':>7s} {'lookup ms':>10s} {'one-hot ms':>11s} {'×':>6s} {'build+one-hot ms':>17s} {'×':>6s} "
          f"{'one-hot MB':>11s}")
    for vocab in args.vocab:
        embedding = torch.nn.Embedding(vocab, args.dim).to(device)
        ids = torch.randint(0, vocab, (args.tokens,), device=device)
        inputs = one_hot(ids, vocab)
        seconds = [median_seconds(step, args.repeats, device) for step in passes(embedding, ids, inputs)]
        print(f"{vocab:>7,} {seconds[0] * 1e3:10.3f} {seconds[1] * 1e3:11.3f} {seconds[1] / seconds[0]:6.1f} "
              f"{seconds[2] * 1e3:17.3f} {seconds[2] / seconds[0]:6.1f} {inputs.numel() * 4 / 1e6:11.1f}")

if __name__ == "__main__":
    main()
