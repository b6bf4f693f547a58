"""Inverted dropout from scratch: drop with probability p, scale survivors by 1/(1-p) in training only (Q6)."""

from __future__ import annotations

import torch
from torch import nn


def inverted_dropout(x: torch.Tensor, p: float, training: bool = True) -> torch.Tensor:
    """Zero each entry with probability p and divide the rest by 1 - p; the identity in eval mode (Q6).

    The keep-mask is drawn with `bernoulli_` on a boolean tensor, the same draw `nn.Dropout` makes, so under one
    seed both give the same output on the CPU.
    """
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout probability must be in [0, 1), got {p}")
    if not training or p == 0.0:
        return x
    keep = torch.empty_like(x, dtype=torch.bool).bernoulli_(1.0 - p)
    return x * keep * (1.0 / (1.0 - p))


def stacked_dropout(x: torch.Tensor, p: torch.Tensor, training: bool = True) -> torch.Tensor:
    """Inverted dropout for a stack of models, `x` of shape (models, ...) with one rate per model in `p` (Q6)."""
    if p.dim() != 1 or p.shape[0] != x.shape[0] or bool(((p < 0) | (p >= 1)).any()):
        raise ValueError(f"need one rate in [0, 1) per model: x has {x.shape[0]} models, p has shape "
                         f"{tuple(p.shape)} and range [{float(p.min()):.2f}, {float(p.max()):.2f}]")
    if not training:
        return x
    rate = p.view(-1, *([1] * (x.dim() - 1)))
    return x * (torch.rand_like(x) >= rate) / (1.0 - rate)


class InvertedDropout(nn.Module):
    """`inverted_dropout` as a layer that follows `model.train()` and `model.eval()` (Q6)."""

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        if not 0.0 <= p < 1.0:
            raise ValueError(f"dropout probability must be in [0, 1), got {p}")
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return inverted_dropout(x, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}"
