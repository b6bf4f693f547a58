"""Which losses are distances and which scores are proper: the axioms and the expected scores, computed (Q27).

A distance (metric) d must be non-negative, zero exactly between equal points, symmetric and obey the triangle
inequality d(x, z) <= d(x, y) + d(y, z). `check_axioms` tests each axiom on random points; `find_triangle_violation`
searches small integer vectors for a counterexample. A scoring rule is proper when, for a true probability p,
the expected score is optimised by reporting q = p; `expected_binary_score` and `best_report` compute that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Distance = Callable[[np.ndarray, np.ndarray], float]


def _pair(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape or a.ndim != 1 or a.size == 0:
        raise ValueError(f"expected two non-empty 1-D arrays of the same shape, got {a.shape} and {b.shape}")
    return a, b


def _distributions(p: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p, q = _pair(p, q)
    for name, d in (("p", p), ("q", q)):
        if d.min() < 0 or abs(d.sum() - 1) > 1e-9:
            raise ValueError(f"{name} must be a probability vector (>= 0, sums to 1), got min {d.min():.3g}, "
                             f"sum {d.sum():.6g}")
    return p, q


def mse(a: np.ndarray, b: np.ndarray) -> float:
    """Mean squared error between two vectors (Q27)."""
    a, b = _pair(a, b)
    return float(np.mean((a - b) ** 2))


def rmse(a: np.ndarray, b: np.ndarray) -> float:
    """Root mean squared error: the Euclidean distance scaled by 1/sqrt(n) (Q27)."""
    return float(np.sqrt(mse(a, b)))


def mae(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute error: the L1 (Manhattan) distance scaled by 1/n (Q27)."""
    a, b = _pair(a, b)
    return float(np.mean(np.abs(a - b)))


def cross_entropy(p: np.ndarray, q: np.ndarray) -> float:
    """Cross-entropy H(p, q) = -sum p log q in nats, p the true distribution (Q27)."""
    p, q = _distributions(p, q)
    support = p > 0
    with np.errstate(divide="ignore"):
        return float(-np.sum(p[support] * np.log(q[support])))


def kl_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """Kullback-Leibler divergence KL(p || q) = H(p, q) - H(p) in nats (Q27)."""
    p, q = _distributions(p, q)
    support = p > 0
    with np.errstate(divide="ignore"):
        return float(np.sum(p[support] * (np.log(p[support]) - np.log(q[support]))))


def js_divergence(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen-Shannon divergence: the mean KL of p and q to their average m, in nats (Q27)."""
    p, q = _distributions(p, q)
    m = (p + q) / 2
    return (kl_divergence(p, m) + kl_divergence(q, m)) / 2


def js_distance(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen-Shannon distance: the square root of the JS divergence, a metric (Q27)."""
    return float(np.sqrt(max(js_divergence(p, q), 0.0)))


@dataclass(frozen=True)
class AxiomReport:
    """How many sampled cases broke each metric axiom, out of `n_checked` (Q27)."""

    name: str
    n_checked: int
    negative: int
    nonzero_self_distance: int
    asymmetric: int
    triangle_violations: int

    @property
    def is_metric(self) -> bool:
        """True when no sampled case broke any axiom (Q27)."""
        return self.negative == self.nonzero_self_distance == self.asymmetric == self.triangle_violations == 0

    def row(self) -> str:
        """One table row: the counts per axiom (Q27)."""
        return (f"{self.name:14s} {self.negative:9d} {self.nonzero_self_distance:9d} {self.asymmetric:10d} "
                f"{self.triangle_violations:9d}   {'yes' if self.is_metric else 'no'}")


AXIOM_HEADER = f"{'':14s} {'negative':>9s} {'d(x,x)>0':>9s} {'asymmetric':>10s} {'triangle':>9s}   metric?"


def random_points(kind: str, n_points: int, dim: int = 4, seed: int = 0) -> np.ndarray:
    """Random points to test axioms on: 'vectors' (Gaussian) or 'distributions' (Dirichlet) (Q27)."""
    if n_points < 3 or dim < 1:
        raise ValueError(f"need n_points >= 3 and dim >= 1, got n_points={n_points}, dim={dim}")
    rng = np.random.default_rng(seed)
    if kind == "vectors":
        return rng.normal(size=(n_points, dim))
    if kind == "distributions":
        return rng.dirichlet(np.full(dim, 0.5), size=n_points)
    raise ValueError(f"kind must be 'vectors' or 'distributions', got {kind!r}")


def check_axioms(name: str, distance: Distance, points: np.ndarray, tol: float = 1e-12) -> AxiomReport:
    """Test the four metric axioms on consecutive triples of `points`, with a rounding tolerance `tol` (Q27)."""
    points = np.asarray(points, dtype=float)
    if points.ndim != 2 or len(points) < 3:
        raise ValueError(f"points must be a 2-D array with at least 3 rows, got shape {points.shape}")
    n = len(points) - 2
    negative = nonzero_self = asymmetric = triangle = 0
    for i in range(n):
        x, y, z = points[i], points[i + 1], points[i + 2]
        dxy, dyx, dyz, dxz = distance(x, y), distance(y, x), distance(y, z), distance(x, z)
        negative += dxy < -tol
        nonzero_self += abs(distance(x, x)) > tol
        asymmetric += abs(dxy - dyx) > tol * max(1.0, abs(dxy))
        triangle += dxz > dxy + dyz + tol
    return AxiomReport(name, n, int(negative), int(nonzero_self), int(asymmetric), int(triangle))


@dataclass(frozen=True)
class TriangleCounterexample:
    """Three points x, y, z with d(x, z) > d(x, y) + d(y, z) (Q27)."""

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    d_xy: float
    d_yz: float
    d_xz: float


def find_triangle_violation(distance: Distance, dim: int = 2, high: int = 3, n_trials: int = 2000,
                            seed: int = 0) -> TriangleCounterexample | None:
    """Search random integer vectors in [0, high] for a triangle-inequality violation; the smallest found (Q27)."""
    if dim < 1 or high < 1 or n_trials < 1:
        raise ValueError(f"need dim, high and n_trials >= 1, got {dim}, {high}, {n_trials}")
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(n_trials):
        x, y, z = rng.integers(0, high + 1, size=(3, dim)).astype(float)
        d_xy, d_yz, d_xz = distance(x, y), distance(y, z), distance(x, z)
        if d_xz > d_xy + d_yz + 1e-12:
            size = np.abs(np.stack([x, y, z])).sum()
            if best is None or size < best[0]:
                best = (size, TriangleCounterexample(x, y, z, d_xy, d_yz, d_xz))
    return None if best is None else best[1]


# Per-outcome losses for a binary event y in {0, 1} and a reported probability q of y = 1.
def log_loss_of(y: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Log loss -[y log q + (1 - y) log(1 - q)] per outcome (Q27)."""
    y, q = np.asarray(y, dtype=float), np.clip(np.asarray(q, dtype=float), 1e-15, 1 - 1e-15)
    return -(y * np.log(q) + (1 - y) * np.log(1 - q))


def brier_of(y: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Brier score (q - y)^2 per outcome (Q27)."""
    return (np.asarray(q, dtype=float) - np.asarray(y, dtype=float)) ** 2


def absolute_error_of(y: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Absolute error |q - y| per outcome (Q27)."""
    return np.abs(np.asarray(q, dtype=float) - np.asarray(y, dtype=float))


def zero_one_loss_of(y: np.ndarray, q: np.ndarray) -> np.ndarray:
    """1 - accuracy of the thresholded prediction [q >= 0.5] per outcome (Q27)."""
    return ((np.asarray(q, dtype=float) >= 0.5) != (np.asarray(y) == 1)).astype(float)


SCORING_RULES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "log loss": log_loss_of,
    "Brier score": brier_of,
    "absolute error": absolute_error_of,
    "1 - accuracy (q >= 0.5)": zero_one_loss_of,
}


def expected_binary_score(rule: str, p: float, q: np.ndarray | float) -> np.ndarray:
    """Expected loss of reporting q when y = 1 has true probability p: p loss(1, q) + (1 - p) loss(0, q) (Q27)."""
    if rule not in SCORING_RULES:
        raise ValueError(f"unknown rule {rule!r}; choose one of {list(SCORING_RULES)}")
    if not 0 <= p <= 1:
        raise ValueError(f"p must be a probability in [0, 1], got {p}")
    loss = SCORING_RULES[rule]
    q = np.asarray(q, dtype=float)
    return p * loss(np.ones_like(q), q) + (1 - p) * loss(np.zeros_like(q), q)


def best_report(rule: str, p: float, grid: np.ndarray) -> tuple[float, float]:
    """The reports q on `grid` that minimise the expected loss: (smallest, largest) of the ties (Q27)."""
    expected = expected_binary_score(rule, p, grid)
    ties = np.asarray(grid)[expected <= expected.min() + 1e-12]
    return float(ties.min()), float(ties.max())
