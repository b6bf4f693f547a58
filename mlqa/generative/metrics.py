"""Measuring samples against held-out data: MMD, sliced Wasserstein distance and modes covered (Q9)."""

from __future__ import annotations

import torch

from mlqa.generative.data import RING_STD, ring_centers


def mmd_rbf(x: torch.Tensor, y: torch.Tensor, bandwidths=(0.1, 0.3, 1.0)) -> float:
    """Squared maximum mean discrepancy with a sum of Gaussian kernels (biased V-statistic) (Q9)."""
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[1]:
        raise ValueError(f"x and y must be (n, d) with the same d, got {tuple(x.shape)} and {tuple(y.shape)}")
    xy = torch.cat([x, y]).double()
    d2 = torch.cdist(xy, xy).pow(2)
    k = sum(torch.exp(-d2 / (2 * b * b)) for b in bandwidths)
    n = len(x)
    return float(k[:n, :n].mean() + k[n:, n:].mean() - 2 * k[:n, n:].mean())


def sliced_wasserstein(x: torch.Tensor, y: torch.Tensor, n_projections: int = 200, seed: int = 0) -> float:
    """Mean 1-D Wasserstein-1 distance over random directions, between equal-size samples (Q9)."""
    if x.shape != y.shape or x.ndim != 2:
        raise ValueError(f"x and y must have the same (n, d) shape, got {tuple(x.shape)} and {tuple(y.shape)}")
    g = torch.Generator().manual_seed(seed)
    directions = torch.randn(x.shape[1], n_projections, generator=g, dtype=torch.float64)
    directions /= directions.norm(dim=0, keepdim=True)
    px, _ = (x.double() @ directions).sort(0)
    py, _ = (y.double() @ directions).sort(0)
    return float((px - py).abs().mean())


def modes_covered(samples: torch.Tensor, centers: torch.Tensor | None = None, std: float = RING_STD,
                  min_share: float = 0.02) -> tuple[int, float]:
    """How many ring modes get at least `min_share` of the samples within 3 std, and the share that is (Q9)."""
    centers = ring_centers() if centers is None else centers
    d = torch.cdist(samples.double(), centers.double())
    nearest = d.argmin(1)
    good = d.min(1).values < 3 * std
    counts = torch.bincount(nearest[good], minlength=len(centers))
    return int((counts >= min_share * len(samples)).sum()), float(good.double().mean())
