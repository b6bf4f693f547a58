"""Reproducing a training run bit for bit: seeded generators, worker seeding, deterministic algorithms (Q10)."""

from __future__ import annotations

import random
from contextlib import contextmanager
from typing import Iterator

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from mlqa.randomness.data import digits_tensors
from mlqa.randomness.sources import make_mlp, weights_fingerprint


class NoisyDigits(Dataset):
    """Digits with Gaussian pixel noise drawn by NumPy inside each DataLoader worker (augmentation) (Q10)."""

    def __init__(self, X: torch.Tensor, y: torch.Tensor, noise: float = 0.3):
        self.X, self.y, self.noise = X, y, noise

    def __len__(self) -> int:
        return len(self.X)

    def __getitem__(self, i: int):
        noise = np.random.normal(0.0, self.noise, size=self.X.shape[1]).astype(np.float32)
        return self.X[i] + torch.from_numpy(noise), self.y[i]


def seed_worker(worker_id: int) -> None:
    """Seed NumPy and `random` in a DataLoader worker from the seed PyTorch gave it (Q10)."""
    worker_seed = torch.initial_seed() % 2**32
    np.random.seed(worker_seed)
    random.seed(worker_seed)


@contextmanager
def deterministic_algorithms(enabled: bool = True) -> Iterator[None]:
    """Make PyTorch refuse operations without a deterministic implementation, then restore the setting (Q10)."""
    before = torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(enabled)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(before)


def loader_run(seed: int | None, epochs: int = 3, num_workers: int = 2, batch_size: int = 64) -> str:
    """Train on noisy digits through a multi-worker DataLoader; return the weights' fingerprint (Q10).

    With `seed` set, the model, the shuffling and every worker's noise are seeded and deterministic algorithms
    are on, so two runs give identical bits. With `seed=None` the loader draws from unseeded generators.
    """
    if num_workers < 0 or epochs < 1:
        raise ValueError(f"num_workers must be >= 0 and epochs >= 1, got {num_workers} and {epochs}")
    X, y, _, _ = digits_tensors(0)
    generator = torch.Generator()
    if seed is None:
        generator.seed()  # a fresh, unrepeatable seed, as when no generator is passed
    else:
        generator.manual_seed(seed)
    loader = DataLoader(NoisyDigits(X, y), batch_size=batch_size, shuffle=True, num_workers=num_workers,
                        worker_init_fn=seed_worker, generator=generator, persistent_workers=num_workers > 0)
    model = make_mlp(0 if seed is None else seed, dropout=0.0)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    with deterministic_algorithms(seed is not None):
        for _ in range(epochs):
            for xb, yb in loader:
                loss = nn.functional.cross_entropy(model(xb), yb)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
    return weights_fingerprint(model)
