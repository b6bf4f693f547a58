"""SimCLR's augmentation pipeline for 8x8 digits: a random affine warp, brightness and noise (Q2)."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def random_views(images: torch.Tensor, generator: torch.Generator | None = None, max_degrees: float = 15.0,
                 max_shift: float = 1.0, scale: tuple[float, float] = (0.85, 1.15),
                 noise: float = 0.05) -> torch.Tensor:
    """One random view of each flat 8x8 image in [0, 1]: rotate, scale, shift, rescale brightness, add noise (Q2)."""
    if images.ndim != 2 or images.shape[1] != 64:
        raise ValueError(f"images must have shape (n, 64) (flat 8x8 digits), got {tuple(images.shape)}")
    n, device = len(images), images.device

    def uniform(low: float, high: float) -> torch.Tensor:
        return (low + (high - low) * torch.rand(n, generator=generator)).to(device)

    angle = uniform(-max_degrees, max_degrees) * math.pi / 180
    zoom = 1 / uniform(*scale)
    shift_x, shift_y = (uniform(-max_shift, max_shift) / 4 for _ in range(2))  # grid coordinates span 8 px as 2
    theta = torch.stack([torch.stack([zoom * torch.cos(angle), -zoom * torch.sin(angle), shift_x], 1),
                         torch.stack([zoom * torch.sin(angle), zoom * torch.cos(angle), shift_y], 1)], 1)
    grid = F.affine_grid(theta, (n, 1, 8, 8), align_corners=False)
    views = F.grid_sample(images.view(n, 1, 8, 8), grid, align_corners=False).view(n, 64)
    views = views * uniform(0.7, 1.3).view(n, 1)
    views = views + noise * torch.randn(views.shape, generator=generator).to(device)
    return views.clamp(0, 1)
