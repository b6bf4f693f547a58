"""Corrections without target labels: importance weights for covariate shift, BBSE and EM for label shift (Q23)."""

from __future__ import annotations

import numpy as np

from mlqa.production.drift_tests import domain_classifier


def density_ratio_weights(X_source: np.ndarray, X_target: np.ndarray, clip: float = 50.0) -> np.ndarray:
    """Importance weights p_target(x) / p_source(x) of the source points, from a domain classifier's odds (Q23).

    The odds P(target | x) / P(source | x) times n_source / n_target estimate the density ratio; weights are
    clipped at `clip` times their mean and rescaled to mean 1.
    """
    if X_source.ndim != 2 or X_target.ndim != 2 or X_source.shape[1] != X_target.shape[1]:
        raise ValueError(f"X_source {X_source.shape} and X_target {X_target.shape} must be (n, d) with the same d")
    data = np.concatenate([X_source, X_target])
    is_target = np.r_[np.zeros(len(X_source)), np.ones(len(X_target))]
    p_target = domain_classifier().fit(data, is_target).predict_proba(X_source)[:, 1]
    weights = p_target / (1.0 - p_target) * len(X_source) / len(X_target)
    weights = np.minimum(weights / weights.mean(), clip)
    return weights / weights.mean()


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's effective sample size (sum w)^2 / sum w^2: how many unweighted points the weights are worth (Q23)."""
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 1 or weights.size == 0 or np.any(weights < 0):
        raise ValueError(f"weights must be a non-empty 1-D array of non-negative numbers, got shape {weights.shape}")
    return float(weights.sum() ** 2 / (weights**2).sum())


def bbse_class_weights(y_holdout: np.ndarray, predicted_holdout: np.ndarray, predicted_target: np.ndarray,
                       n_classes: int) -> np.ndarray:
    """Black-box shift estimation (Lipton et al. 2018): w_y = q(y) / p(y) from hard predictions (Q23).

    Solves C w = mu, with C[i, j] = P_source(predict i, label j) from a labelled source hold-out and
    mu[i] = P_target(predict i) from the unlabelled target; negative solutions are clipped to 0.
    """
    if len(y_holdout) != len(predicted_holdout):
        raise ValueError(f"y_holdout ({len(y_holdout)}) and predicted_holdout ({len(predicted_holdout)}) differ")
    joint = np.zeros((n_classes, n_classes))
    np.add.at(joint, (predicted_holdout, y_holdout), 1.0)
    joint /= len(y_holdout)
    target_predicted = np.bincount(predicted_target, minlength=n_classes) / len(predicted_target)
    return np.clip(np.linalg.solve(joint, target_predicted), 0.0, None)


def em_target_priors(probs_target: np.ndarray, source_priors: np.ndarray, n_iter: int = 200,
                     tol: float = 1e-8) -> np.ndarray:
    """Saerens et al. (2002): EM for the target class priors from source-calibrated probabilities (Q23)."""
    probs_target, source_priors = np.asarray(probs_target, dtype=float), np.asarray(source_priors, dtype=float)
    if probs_target.ndim != 2 or probs_target.shape[1] != source_priors.size:
        raise ValueError(f"probs_target {probs_target.shape} must have one column per prior ({source_priors.size})")
    priors = source_priors.copy()
    for _ in range(n_iter):
        adjusted = reweight_probs(probs_target, source_priors, priors)
        new_priors = adjusted.mean(axis=0)
        if np.abs(new_priors - priors).max() < tol:
            return new_priors
        priors = new_priors
    return priors


def reweight_probs(probs: np.ndarray, source_priors: np.ndarray, target_priors: np.ndarray) -> np.ndarray:
    """Bayes' rule under label shift: p_t(y | x) is proportional to p_s(y | x) q(y) / p(y) (Q23)."""
    adjusted = probs * (np.asarray(target_priors) / np.asarray(source_priors))
    return adjusted / adjusted.sum(axis=1, keepdims=True)
