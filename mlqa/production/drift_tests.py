"""Two-sample tests for shift: a domain classifier (AUC), kernel MMD with permutations, per-feature KS (Q23)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import stats
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler


@dataclass
class TestResult:
    """A test statistic and its p-value for 'source and target come from the same distribution' (Q23)."""

    statistic: float
    p_value: float
    details: dict = field(default_factory=dict)


def _check_pair(X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[1] or len(X) < 2 or len(Y) < 2:
        raise ValueError(f"need two samples of shape (n, d) with the same d and n >= 2, got {X.shape} and {Y.shape}")
    return X, Y


def domain_classifier() -> LogisticRegression:
    """The classifier that tells source from target: logistic regression on degree-2 features (Q23)."""
    return make_pipeline(PolynomialFeatures(2), StandardScaler(), LogisticRegression(max_iter=1000))


def domain_classifier_test(X: np.ndarray, Y: np.ndarray, seed: int = 0) -> TestResult:
    """Classifier two-sample test: fit 'is target' on half the points, AUC on the other half, p-value from the
    Mann-Whitney U test on those held-out scores (equivalent to testing AUC = 0.5) (Q23)."""
    X, Y = _check_pair(X, Y)
    data, is_target = np.concatenate([X, Y]), np.r_[np.zeros(len(X)), np.ones(len(Y))]
    fit, held_out = next(StratifiedKFold(2, shuffle=True, random_state=seed).split(data, is_target))
    scores = domain_classifier().fit(data[fit], is_target[fit]).predict_proba(data[held_out])[:, 1]
    labels = is_target[held_out]
    auc = roc_auc_score(labels, scores)
    u_test = stats.mannwhitneyu(scores[labels == 1], scores[labels == 0], alternative="greater")
    return TestResult(float(auc), float(u_test.pvalue), {"scores": scores, "is_target": labels})


def median_bandwidth(Z: np.ndarray) -> float:
    """The median pairwise distance of a sample: the usual RBF bandwidth for MMD (Q23)."""
    distances = np.sqrt(((Z[:, None, :] - Z[None, :, :]) ** 2).sum(-1))
    return float(np.median(distances[np.triu_indices(len(Z), k=1)]))


def _mmd2_from_kernel(K: np.ndarray, in_x: np.ndarray) -> np.ndarray:
    """Unbiased MMD^2 for each row of the group-indicator matrix `in_x` (rows: splits, columns: points)."""
    in_x = in_x.astype(float)
    in_y = 1.0 - in_x
    m, n = in_x[0].sum(), in_y[0].sum()
    diagonal = np.diag(K)
    x_rows = in_x @ K
    within_x = (x_rows * in_x).sum(1) - in_x @ diagonal
    within_y = ((in_y @ K) * in_y).sum(1) - in_y @ diagonal
    between = (x_rows * in_y).sum(1)
    return within_x / (m * (m - 1)) + within_y / (n * (n - 1)) - 2.0 * between / (m * n)


def mmd2(X: np.ndarray, Y: np.ndarray, bandwidth: float) -> float:
    """Unbiased squared maximum mean discrepancy with the RBF kernel exp(-|a-b|^2 / (2 bandwidth^2)) (Q23)."""
    X, Y = _check_pair(X, Y)
    Z = np.concatenate([X, Y])
    K = np.exp(-((Z[:, None, :] - Z[None, :, :]) ** 2).sum(-1) / (2.0 * bandwidth**2))
    return float(_mmd2_from_kernel(K, (np.arange(len(Z)) < len(X))[None, :])[0])


def mmd_test(X: np.ndarray, Y: np.ndarray, n_permutations: int = 200, seed: int = 0,
             bandwidth: float | None = None) -> TestResult:
    """Kernel MMD two-sample test: unbiased MMD^2 and its permutation p-value (Q23)."""
    X, Y = _check_pair(X, Y)
    if n_permutations < 1:
        raise ValueError(f"n_permutations must be >= 1, got {n_permutations}")
    Z = np.concatenate([X, Y])
    bandwidth = bandwidth or median_bandwidth(Z)
    K = np.exp(-((Z[:, None, :] - Z[None, :, :]) ** 2).sum(-1) / (2.0 * bandwidth**2))
    observed_split = np.arange(len(Z)) < len(X)
    rng = np.random.default_rng(seed)
    permuted = np.array([rng.permutation(observed_split) for _ in range(n_permutations)])
    observed = _mmd2_from_kernel(K, observed_split[None, :])[0]
    null = _mmd2_from_kernel(K, permuted)
    p_value = (1 + np.sum(null >= observed)) / (1 + n_permutations)
    return TestResult(float(observed), float(p_value), {"bandwidth": bandwidth})


def ks_test(X: np.ndarray, Y: np.ndarray) -> TestResult:
    """Kolmogorov-Smirnov test per feature (scipy.stats.ks_2samp), Bonferroni-corrected over features (Q23)."""
    X, Y = _check_pair(X, Y)
    per_feature = [stats.ks_2samp(X[:, j], Y[:, j]) for j in range(X.shape[1])]
    p_values = np.array([r.pvalue for r in per_feature])
    return TestResult(float(max(r.statistic for r in per_feature)), float(min(1.0, p_values.min() * X.shape[1])),
                      {"p_values": p_values})


DRIFT_TESTS = {"domain classifier (AUC)": domain_classifier_test, "kernel MMD": mmd_test, "KS per feature": ks_test}
