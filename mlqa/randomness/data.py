"""Digits split into standardised train and test tensors, with the split itself a seeded choice (Q10)."""

from __future__ import annotations

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


def digits_tensors(split_seed: int = 0, test_size: float = 0.3) -> tuple[torch.Tensor, ...]:
    """Scikit-learn's bundled 8x8 digits as (X_train, y_train, X_test, y_test), split by `split_seed` (Q10)."""
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be between 0 and 1, got {test_size}")
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X / 16.0, y, test_size=test_size, random_state=split_seed, stratify=y)
    mean, std = X_train.mean(0), X_train.std(0) + 1e-6
    as_x = lambda a: torch.tensor((a - mean) / std, dtype=torch.float32)  # noqa: E731
    as_y = lambda a: torch.tensor(np.asarray(a), dtype=torch.long)  # noqa: E731
    return as_x(X_train), as_y(y_train), as_x(X_test), as_y(y_test)
