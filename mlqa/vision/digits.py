"""Scikit-learn's bundled 8×8 digits as image tensors, with a fixed test set and seeded training subsets (Q13).

The digits ship inside scikit-learn (BSD-3-Clause; 1,797 images from the UCI handwritten digits set), so
nothing downloads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


@dataclass(frozen=True)
class DigitImages:
    """A training pool and a fixed test set of (N, 1, 8, 8) images in [0, 1] with integer labels (Q13)."""

    x_pool: torch.Tensor
    y_pool: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor


def digit_images(test_fraction: float = 0.3) -> DigitImages:
    """The digits split once, stratified, with a fixed seed: the test set is the same for every experiment (Q13)."""
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")
    digits = load_digits()
    images = torch.tensor(digits.images / 16.0, dtype=torch.float32).unsqueeze(1)
    labels = torch.tensor(digits.target)
    pool, test = train_test_split(np.arange(len(labels)), test_size=test_fraction, stratify=digits.target,
                                  random_state=0)
    return DigitImages(images[pool], labels[pool], images[test], labels[test])


def subset_indices(data: DigitImages, size: int, seed: int) -> np.ndarray:
    """Pool indices of a stratified random subset of `size` images; each seed draws a different one (Q13)."""
    if not 10 <= size <= len(data.y_pool):
        raise ValueError(f"size must be between 10 and {len(data.y_pool)}, got {size}")
    if size == len(data.y_pool):
        return np.arange(size)
    chosen, _ = train_test_split(np.arange(len(data.y_pool)), train_size=size, stratify=data.y_pool.numpy(),
                                 random_state=seed)
    return np.sort(chosen)


def training_subset(data: DigitImages, size: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The images and labels of `subset_indices(data, size, seed)` (Q13)."""
    chosen = torch.from_numpy(subset_indices(data, size, seed))
    return data.x_pool[chosen], data.y_pool[chosen]
