"""The model every Q22 speed-up is measured on: an MLP classifier of scikit-learn's 8x8 digits (Q22)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

from mlqa.utils import torch_threads


@dataclass
class DigitsModel:
    """A trained MLP with its held-out test set (Q22)."""

    model: nn.Module
    X_test: torch.Tensor
    y_test: torch.Tensor

    def accuracy(self, model: nn.Module | None = None) -> float:
        """Test accuracy of `model` (default: the trained float model) (Q22)."""
        with torch.no_grad():
            predicted = (model or self.model)(self.X_test).argmax(1)
        return float((predicted == self.y_test).float().mean())


def train_digits_mlp(hidden: int = 512, epochs: int = 15, seed: int = 0) -> DigitsModel:
    """Train a 64-hidden-hidden-10 MLP on digits with Adam, full batches; returns it in eval mode (Q22)."""
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X / 16.0, y, test_size=0.3, stratify=y, random_state=seed)
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    X_t, y_t = torch.tensor(X_train, dtype=torch.float32), torch.tensor(y_train)
    with torch_threads(1):  # a small model trains several times faster on one thread of a shared CPU
        for _ in range(epochs):
            for batch in torch.randperm(len(X_t)).split(64):
                optimizer.zero_grad()
                nn.functional.cross_entropy(model(X_t[batch]), y_t[batch]).backward()
                optimizer.step()
    return DigitsModel(model.eval(), torch.tensor(np.asarray(X_test), dtype=torch.float32), torch.tensor(y_test))
