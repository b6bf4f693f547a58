"""Tiny torch networks and one training loop shared by the torch-based techniques (Q30)."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def mlp_body(hidden: int = 256, dropout: float = 0.2, seed: int = 0) -> nn.Sequential:
    """A one-hidden-layer encoder for 8x8 digits: 64 pixels -> `hidden` ReLU features (Q30)."""
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Dropout(dropout))


def mlp_classifier(n_classes: int, hidden: int = 256, dropout: float = 0.2, seed: int = 0) -> nn.Sequential:
    """`mlp_body` followed by a linear head with `n_classes` outputs (Q30)."""
    body = mlp_body(hidden, dropout, seed)
    return nn.Sequential(body, nn.Linear(hidden, n_classes))


def train_classifier(model: nn.Module, X: np.ndarray, y: np.ndarray, epochs: int = 100, lr: float = 3e-3,
                     batch_size: int | None = None, weight_decay: float = 1e-4, seed: int = 0) -> nn.Module:
    """Train `model` with Adam on cross-entropy (full batch unless `batch_size`); returns it in eval mode (Q30)."""
    torch.manual_seed(seed)
    inputs, targets = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y, dtype=torch.long)
    batch_size = batch_size or len(inputs)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(inputs))
        for start in range(0, len(inputs), batch_size):
            batch = order[start:start + batch_size]
            loss = F.cross_entropy(model(inputs[batch]), targets[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model.eval()


@torch.no_grad()
def predict_proba(model: nn.Module, X: np.ndarray) -> np.ndarray:
    """Softmax probabilities of `model` (in its current train/eval mode) on `X` (Q30)."""
    return F.softmax(model(torch.as_tensor(X, dtype=torch.float32)), dim=1).numpy()


def accuracy(model: nn.Module, X: np.ndarray, y: np.ndarray) -> float:
    """Fraction of `X` that the eval-mode `model` classifies as `y` (Q30)."""
    model.eval()
    return float((predict_proba(model, X).argmax(1) == y).mean())


@torch.no_grad()
def encode(body: nn.Module, X: np.ndarray) -> np.ndarray:
    """Features of `X` from the eval-mode encoder `body`, as a numpy array (Q30)."""
    body.eval()
    return body(torch.as_tensor(X, dtype=torch.float32)).numpy()
