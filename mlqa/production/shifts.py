"""Four kinds of distribution shift generated from one 2-D problem with a curved class boundary (Q23).

Every sample is drawn from one large pool. Covariate shift selects pool points by x alone (so P(y|x) is kept),
label shift selects by y alone (so P(x|y) is kept), concept drift keeps P(x) and moves the boundary, and domain
shift passes x through a new 'sensor' (a rotation and an offset), so the same object looks different.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SHIFT_KINDS = ("none", "covariate", "label", "concept", "domain")


@dataclass
class Sample:
    """Inputs and labels of one domain (Q23)."""

    X: np.ndarray
    y: np.ndarray


def boundary_logit(X: np.ndarray, offset: float = 0.0) -> np.ndarray:
    """Logit of P(y = 1 | x): positive above the parabola x2 = 0.35 x1^2 - 1 + offset (Q23)."""
    return 3.0 * (X[:, 1] - 0.35 * X[:, 0] ** 2 + 1.0 - offset)


def _pool(n: int, rng: np.random.Generator, offset: float = 0.0) -> Sample:
    X = rng.normal(0.0, 1.5, size=(n, 2))
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-boundary_logit(X, offset)))).astype(int)
    return Sample(X, y)


def _select(pool: Sample, keep_prob: np.ndarray, n: int, rng: np.random.Generator) -> Sample:
    chosen = np.flatnonzero(rng.random(len(pool.y)) < keep_prob)
    if len(chosen) < n:
        raise ValueError(f"the pool kept only {len(chosen)} points, fewer than the {n} asked for")
    chosen = rng.choice(chosen, size=n, replace=False)
    return Sample(pool.X[chosen], pool.y[chosen])


def source_keep_prob(X: np.ndarray) -> np.ndarray:
    """Selection probability of the source domain: it sees mostly the left half of the plane (Q23)."""
    return 1.0 / (1.0 + np.exp(1.5 * X[:, 0]))


def draw(kind: str, n: int = 500, seed: int = 0, strength: float = 1.0) -> Sample:
    """A sample of the source domain (`kind='none'`) or of a target domain with the named shift (Q23).

    `strength` in [0, 1] scales the shift: 0 is the source distribution itself.
    """
    if kind not in SHIFT_KINDS:
        raise ValueError(f"kind must be one of {SHIFT_KINDS}, got {kind!r}")
    if n < 1 or not 0.0 <= strength <= 1.0:
        raise ValueError(f"need n >= 1 and strength in [0, 1], got n={n}, strength={strength}")
    rng = np.random.default_rng(seed)
    pool = _pool(20 * n, rng, offset=1.2 * strength if kind == "concept" else 0.0)
    keep = source_keep_prob(pool.X)
    if kind == "covariate":  # the mirror image of the source selection: mostly the right half
        keep = (1.0 - strength) * keep + strength * source_keep_prob(-pool.X)
    if kind == "label":
        positive_share = 0.5 - 0.35 * strength  # among the source selection, class 1 is about half the data
        base = keep * np.where(pool.y == 1, positive_share, 1.0 - positive_share)
        keep = base / base.max()
    sample = _select(pool, keep, n, rng)
    if kind == "domain":
        angle = np.deg2rad(35.0 * strength)
        rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        sample = Sample(sample.X @ rotation.T + np.array([0.8, -0.4]) * strength, sample.y)
    return sample
