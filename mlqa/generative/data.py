"""Two-dimensional toy distributions with known structure, for comparing generative models (Q9)."""

from __future__ import annotations

import math

import numpy as np
import torch
from sklearn.datasets import make_moons

RING_MODES = 8
RING_RADIUS = 2.0
RING_STD = 0.1


def ring_centers(n_modes: int = RING_MODES, radius: float = RING_RADIUS) -> torch.Tensor:
    """The centres of a mixture of Gaussians evenly spaced on a circle (Q9)."""
    angles = torch.arange(n_modes, dtype=torch.float32) * (2 * math.pi / n_modes)
    return radius * torch.stack([angles.cos(), angles.sin()], 1)


def gaussian_ring(n: int, seed: int = 0, n_modes: int = RING_MODES, std: float = RING_STD) -> torch.Tensor:
    """`n` points from an equal mixture of Gaussians on a ring: the modes are known exactly (Q9)."""
    if n < 1 or n_modes < 1 or std <= 0:
        raise ValueError(f"need n >= 1, n_modes >= 1 and std > 0, got {n}, {n_modes}, {std}")
    g = torch.Generator().manual_seed(seed)
    modes = torch.randint(0, n_modes, (n,), generator=g)
    return ring_centers(n_modes)[modes] + std * torch.randn(n, 2, generator=g)


def two_moons(n: int, seed: int = 0, noise: float = 0.05) -> torch.Tensor:
    """`n` points of scikit-learn's two moons, centred and scaled to about unit spread (Q9)."""
    if n < 2:
        raise ValueError(f"need at least 2 points, got {n}")
    X, _ = make_moons(n, noise=noise, random_state=seed)
    X = (X - np.array([0.5, 0.25])) / np.array([0.87, 0.5])
    return torch.tensor(X, dtype=torch.float32)


DATASETS = {"ring": gaussian_ring, "moons": two_moons}


def make_dataset(name: str, n: int, seed: int = 0) -> torch.Tensor:
    """Points from the toy distribution called `name` ('ring' or 'moons') (Q9)."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; known: {', '.join(DATASETS)}")
    return DATASETS[name](n, seed)
