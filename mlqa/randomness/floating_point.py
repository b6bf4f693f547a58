"""Floating-point addition is not associative, so the order of a sum changes its last bits (Q10)."""

from __future__ import annotations

import math

import numpy as np
import torch


def sums_in_shuffled_orders(values: np.ndarray, n_orders: int = 100, seed: int = 0) -> np.ndarray:
    """The float32 sum of `values`, accumulated left to right, in `n_orders` random orders (Q10)."""
    values = np.asarray(values, dtype=np.float32)
    if values.ndim != 1 or len(values) < 2:
        raise ValueError(f"values must be a 1-D array of at least 2 numbers, got shape {values.shape}")
    if n_orders < 1:
        raise ValueError(f"n_orders must be positive, got {n_orders}")
    rng = np.random.default_rng(seed)
    orders = np.stack([rng.permutation(len(values)) for _ in range(n_orders)])
    # np.cumsum adds strictly left to right, unlike np.sum's pairwise tree.
    return np.cumsum(values[orders], axis=1, dtype=np.float32)[:, -1]


def exact_sum(values: np.ndarray) -> float:
    """The correctly rounded sum of the float32 values, in float64 (Q10)."""
    return math.fsum(np.asarray(values, dtype=np.float32).astype(np.float64))


def sums_by_thread_count(values: torch.Tensor, thread_counts=(1, 2, 4)) -> dict[int, float]:
    """torch.sum of the same tensor with PyTorch limited to each thread count (Q10)."""
    before = torch.get_num_threads()
    try:
        out = {}
        for n in thread_counts:
            torch.set_num_threads(n)
            out[n] = values.sum().item()
        return out
    finally:
        torch.set_num_threads(before)


def scatter_add_repeats(n_runs: int = 20, size: int = 100_000, bins: int = 10,
                        device: str | torch.device = "cpu", seed: int = 0) -> int:
    """How many distinct results `index_add_` gives over repeated runs on `device` (GPU atomics may vary) (Q10)."""
    g = torch.Generator().manual_seed(seed)
    values = torch.randn(size, generator=g).to(device)
    index = torch.randint(0, bins, (size,), generator=g).to(device)
    results = {torch.zeros(bins, device=device).index_add_(0, index, values).cpu().numpy().tobytes()
               for _ in range(n_runs)}
    return len(results)
