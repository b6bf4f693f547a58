"""Magnitude pruning from scratch: zero the smallest |w| of each weight matrix (L1 unstructured) (Q6)."""

from __future__ import annotations

import torch


def l1_unstructured_mask(weight: torch.Tensor, amount: float) -> torch.Tensor:
    """A 0/1 mask that zeros the round(amount * numel) smallest-magnitude entries of `weight` (Q6)."""
    if not 0.0 <= amount <= 1.0:
        raise ValueError(f"amount must be a fraction in [0, 1], got {amount}")
    n_prune = round(amount * weight.numel())
    mask = torch.ones_like(weight)
    if n_prune > 0:
        smallest = torch.argsort(weight.detach().abs().flatten(), stable=True)[:n_prune]
        mask.view(-1)[smallest] = 0.0
    return mask


def stacked_masks(weights: list[torch.Tensor], amount: float) -> list[torch.Tensor]:
    """Per-model L1 unstructured masks for stacked weight matrices of shape (models, in, out) (Q6)."""
    return [torch.stack([l1_unstructured_mask(w, amount) for w in stack]) for stack in weights]
