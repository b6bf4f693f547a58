"""Early stopping with patience: keep the best checkpoint, stop after `patience` epochs without improvement (Q6).

Written for a stack of models trained at once: scores are tensors with one entry per model, and each model keeps
its own best checkpoint and its own patience count. A single model is a stack of one.
"""

from __future__ import annotations

import torch
from torch import nn


class EarlyStopping:
    """Track validation scores (higher is better) per model, keep each one's best weights, stop on patience (Q6)."""

    def __init__(self, n_models: int, patience: int = 20, min_delta: float = 0.0) -> None:
        if n_models < 1 or patience < 1 or min_delta < 0:
            raise ValueError(f"need n_models >= 1, patience >= 1, min_delta >= 0; got {n_models}, {patience}, "
                             f"{min_delta}")
        self.patience, self.min_delta = patience, min_delta
        self.best_score = torch.full((n_models,), float("-inf"))
        self.best_epoch = torch.full((n_models,), -1, dtype=torch.long)
        self.stopped = torch.zeros(n_models, dtype=torch.bool)
        self.waited = torch.zeros(n_models, dtype=torch.long)
        self.best_state: dict[str, torch.Tensor] = {}

    @torch.no_grad()
    def step(self, scores: torch.Tensor, model: nn.Module, epoch: int) -> bool:
        """Record one epoch's scores, one per model (dim 0 of every parameter); True when all stopped (Q6)."""
        scores = scores.detach().cpu().reshape(-1)
        if scores.shape != self.best_score.shape:
            raise ValueError(f"expected {self.best_score.numel()} scores, got {scores.numel()}")
        improved = (scores > self.best_score + self.min_delta) & ~self.stopped
        self.best_score = torch.where(improved, scores, self.best_score)
        self.best_epoch = torch.where(improved, torch.tensor(epoch), self.best_epoch)
        self.waited = torch.where(improved, torch.zeros_like(self.waited), self.waited + 1)
        for name, value in model.state_dict().items():
            mask = improved.to(value.device).view(-1, *([1] * (value.dim() - 1)))
            old = self.best_state.get(name, value)
            self.best_state[name] = torch.where(mask, value, old).clone()
        self.stopped |= self.waited >= self.patience
        return bool(self.stopped.all())

    def restore_best(self, model: nn.Module) -> None:
        """Load every model's best checkpoint (Q6)."""
        if not self.best_state:
            raise ValueError("no score was recorded, so there is no best checkpoint to restore")
        model.load_state_dict(self.best_state)
