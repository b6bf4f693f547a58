"""Poisson regression from scratch: a log link fitted by Newton's method on the Poisson deviance (Q24)."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.metrics import d2_tweedie_score


def poisson_deviance(y: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """Per-sample Poisson deviance 2 (y log(y / mu) - y + mu), with 0 log 0 = 0 (Q24)."""
    y, mu = np.asarray(y, dtype=float), np.asarray(mu, dtype=float)
    if y.shape != mu.shape:
        raise ValueError(f"y has shape {y.shape} but mu has shape {mu.shape}")
    if np.any(y < 0) or np.any(mu <= 0):
        raise ValueError(f"need counts y >= 0 and means mu > 0; got min y {y.min()}, min mu {mu.min()}")
    y_log_ratio = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0) / mu), 0.0)
    return 2.0 * (y_log_ratio - y + mu)


class PoissonRegressor(RegressorMixin, BaseEstimator):
    """Poisson GLM with log link and L2 penalty, scikit-learn's objective, solved by Newton's method (Q24).

    Minimises mean(deviance) / 2 + alpha / 2 * ||coef||^2 (the intercept is not penalised), exactly the
    objective of `sklearn.linear_model.PoissonRegressor`; alpha = 0 gives the maximum-likelihood GLM.
    """

    def __init__(self, alpha: float = 1.0, max_iter: int = 100, tol: float = 1e-10):
        self.alpha = alpha
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: np.ndarray, y: np.ndarray) -> PoissonRegressor:
        """Fit coef_ and intercept_ by damped Newton steps on the penalised mean negative log-likelihood (Q24)."""
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        if X.ndim != 2 or y.shape != (X.shape[0],):
            raise ValueError(f"X must be (n, d) and y (n,); got X {X.shape} and y {y.shape}")
        if np.any(y < 0) or y.sum() == 0:
            raise ValueError(f"y must be counts >= 0, not all zero; got min {y.min()} and sum {y.sum()}")
        if self.alpha < 0 or self.max_iter < 1:
            raise ValueError(f"need alpha >= 0 and max_iter >= 1; got {self.alpha} and {self.max_iter}")
        n, d = X.shape
        design = np.hstack([np.ones((n, 1)), X])
        penalty = np.full(d + 1, float(self.alpha))
        penalty[0] = 0.0  # the intercept is not penalised

        def objective(beta: np.ndarray) -> float:
            eta = design @ beta
            return float(np.mean(np.exp(eta) - y * eta) + 0.5 * np.sum(penalty * beta**2))

        beta = np.zeros(d + 1)
        beta[0] = np.log(y.mean())
        for iteration in range(1, self.max_iter + 1):
            self.n_iter_ = iteration
            mu = np.exp(design @ beta)
            gradient = design.T @ (mu - y) / n + penalty * beta
            if np.max(np.abs(gradient)) < self.tol:
                break
            hessian = (design.T * mu) @ design / n + np.diag(penalty)
            step = np.linalg.solve(hessian, gradient)
            size, current = 1.0, objective(beta)
            while objective(beta - size * step) > current and size > 1e-8:
                size /= 2  # step halving keeps every Newton step a descent step
            beta = beta - size * step
        self.intercept_, self.coef_ = float(beta[0]), beta[1:]
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predicted means exp(X coef + intercept), always positive (Q24)."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.coef_.shape[0]:
            raise ValueError(f"X must have {self.coef_.shape[0]} columns; got shape {X.shape}")
        return np.exp(X @ self.coef_ + self.intercept_)

    def score(self, X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
        """Fraction of Poisson deviance explained, D^2, as scikit-learn's PoissonRegressor reports (Q24)."""
        return float(d2_tweedie_score(y, self.predict(X), sample_weight=sample_weight, power=1))
