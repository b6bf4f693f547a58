"""k-fold cross-validation of ridge regression, vectorised over many data sets with a known true error (Q28).

Every function works on a batch of B data sets at once: X (B, n, d), y (B, n). Ridge regression without an
intercept has the closed form (X^T X + alpha I)^-1 X^T y, so one batched solve fits the same fold of all B data
sets. The k-fold estimate is the mean of the k validation-fold MSEs, as scikit-learn's `cross_val_score` reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mlqa.evaluation.simulation import GaussianClassTask, LinearTask


def fold_indices(n_samples: int, k: int, order: np.ndarray | None = None) -> list[np.ndarray]:
    """Validation indices of k folds: consecutive blocks of `order`, the first n % k one row larger (Q28)."""
    if not 2 <= k <= n_samples:
        raise ValueError(f"k must be between 2 and n_samples = {n_samples}, got {k}")
    order = np.arange(n_samples) if order is None else np.asarray(order)
    if sorted(order.tolist()) != list(range(n_samples)):
        raise ValueError(f"order must be a permutation of range({n_samples})")
    return np.array_split(order, k)


def ridge_fit(X: np.ndarray, y: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Ridge coefficients without intercept for a batch of data sets: X (B, n, d), y (B, n) -> (B, d) (Q28)."""
    if X.ndim != 3 or y.shape != X.shape[:2]:
        raise ValueError(f"expected X (B, n, d) and y (B, n), got {X.shape} and {y.shape}")
    if alpha < 0:
        raise ValueError(f"alpha must be >= 0, got {alpha}")
    gram = X.transpose(0, 2, 1) @ X + alpha * np.eye(X.shape[2])
    return np.linalg.solve(gram, (X.transpose(0, 2, 1) @ y[..., None]))[..., 0]


def kfold_fold_models(X: np.ndarray, y: np.ndarray, k: int, alpha: float = 1.0,
                      order: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Fit the k fold models of every data set: coefficients (k, B, d) and validation MSEs (k, B) (Q28)."""
    folds = fold_indices(X.shape[1], k, order)
    coefs, errors = [], []
    for validation in folds:
        train = np.setdiff1d(np.arange(X.shape[1]), validation)
        coef = ridge_fit(X[:, train], y[:, train], alpha)
        residual = y[:, validation] - np.einsum("bnd,bd->bn", X[:, validation], coef)
        coefs.append(coef)
        errors.append(np.mean(residual ** 2, axis=1))
    return np.stack(coefs), np.stack(errors)


def kfold_mse(X: np.ndarray, y: np.ndarray, k: int, alpha: float = 1.0, order: np.ndarray | None = None) -> np.ndarray:
    """The k-fold estimate of the test MSE for each data set: the mean of the k fold MSEs, shape (B,) (Q28)."""
    return kfold_fold_models(X, y, k, alpha, order)[1].mean(axis=0)


def repeated_kfold_mse(X: np.ndarray, y: np.ndarray, k: int, repeats: int, alpha: float = 1.0,
                       seed: int = 0) -> np.ndarray:
    """Repeated k-fold: one estimate per repeat with a fresh shuffle of the rows, shape (repeats, B) (Q28)."""
    if repeats < 1:
        raise ValueError(f"repeats must be >= 1, got {repeats}")
    rng = np.random.default_rng(seed)
    return np.stack([kfold_mse(X, y, k, alpha, rng.permutation(X.shape[1])) for _ in range(repeats)])


def k_values(n_samples: int, ks: tuple[int, ...] = (2, 3, 5, 10, 20)) -> list[int]:
    """The k values to study: `ks` below n_samples, then leave-one-out (k = n_samples) (Q28)."""
    return [k for k in ks if k < n_samples] + [n_samples]


@dataclass
class KFoldStudy:
    """k-fold estimates against the true error of the model fitted on all n rows, over many data sets (Q28)."""

    n_samples: int
    ks: list[int]
    estimates: dict[int, np.ndarray]
    true_error: np.ndarray
    fits: dict[int, int] = field(init=False)

    def __post_init__(self) -> None:
        self.fits = {k: k for k in self.ks}

    def bias(self, k: int) -> float:
        """Mean of (estimate - true error): positive means pessimistic (Q28)."""
        return float(np.mean(self.estimates[k] - self.true_error))

    def std(self, k: int) -> float:
        """Standard deviation of the estimate over data sets (Q28)."""
        return float(np.std(self.estimates[k]))

    def rmse(self, k: int) -> float:
        """Root mean squared difference between estimate and true error (Q28)."""
        return float(np.sqrt(np.mean((self.estimates[k] - self.true_error) ** 2)))

    def training_rows(self, k: int) -> int:
        """Rows processed by the k fits together: k (n - n/k), the cost that grows with k (Q28)."""
        return sum(self.n_samples - len(f) for f in fold_indices(self.n_samples, k))

    def label(self, k: int) -> str:
        """'LOO' for leave-one-out, else the number (Q28)."""
        return "LOO" if k == self.n_samples else str(k)


def kfold_study(task: LinearTask, n_samples: int = 40, n_datasets: int = 1000, alpha: float = 1.0,
                ks: tuple[int, ...] = (2, 3, 5, 10, 20), seed: int = 0) -> KFoldStudy:
    """Simulate `n_datasets` data sets and the k-fold estimate for each k, plus leave-one-out (Q28)."""
    X, y = task.sample(n_datasets, n_samples, np.random.default_rng(seed))
    true_error = task.true_mse(ridge_fit(X, y, alpha))
    chosen = k_values(n_samples, ks)
    return KFoldStudy(n_samples, chosen, {k: kfold_mse(X, y, k, alpha) for k in chosen}, true_error)


@dataclass(frozen=True)
class BudgetChoice:
    """One way to spend a budget of fits: k folds repeated `repeats` times, and its error as an estimate (Q28)."""

    k: int
    repeats: int
    bias: float
    std: float
    rmse: float

    @property
    def fits(self) -> int:
        """Model fits used: k x repeats (Q28)."""
        return self.k * self.repeats


def choose_k(task: LinearTask, n_samples: int, budget_fits: int, alpha: float = 1.0, n_datasets: int = 400,
             ks: tuple[int, ...] = (2, 3, 5, 10, 20), seed: int = 0) -> list[BudgetChoice]:
    """Every (k, repeats) with k x repeats <= budget, scored by RMSE against the true error; best first (Q28)."""
    candidates = [k for k in k_values(n_samples, ks) if k <= budget_fits]
    if not candidates:
        raise ValueError(f"a budget of {budget_fits} fits cannot pay for even k = 2")
    X, y = task.sample(n_datasets, n_samples, np.random.default_rng(seed))
    true_error = task.true_mse(ridge_fit(X, y, alpha))
    choices = []
    for k in candidates:
        repeats = 1 if k == n_samples else budget_fits // k
        estimate = repeated_kfold_mse(X, y, k, repeats, alpha, seed=seed + 1).mean(axis=0)
        gap = estimate - true_error
        choices.append(BudgetChoice(k, repeats, float(gap.mean()), float(estimate.std()),
                                    float(np.sqrt(np.mean(gap ** 2)))))
    return sorted(choices, key=lambda c: c.rmse)


def loo_and_kfold_accuracy(task: GaussianClassTask, n_samples: int = 40, n_datasets: int = 1000, k: int = 10,
                           alpha: float = 1.0, seed: int = 0) -> dict[str, np.ndarray]:
    """Accuracy of a ridge classifier (sign of the fit to +-1 labels) by LOO, by k-fold and exactly (Q28)."""
    X, y = task.sample(n_datasets, n_samples, np.random.default_rng(seed))
    result = {"true": task.true_accuracy(ridge_fit(X, y, alpha))}
    for name, folds in (("leave-one-out", n_samples), (f"{k}-fold", k)):
        coefs, _ = kfold_fold_models(X, y, folds, alpha)
        correct = np.zeros_like(y)
        for coef, validation in zip(coefs, fold_indices(n_samples, folds)):
            correct[:, validation] = np.sign(np.einsum("bnd,bd->bn", X[:, validation], coef)) == y[:, validation]
        result[name] = correct.mean(axis=1)
    return result


def majority_class_loo_accuracy(n_per_class: int = 20) -> float:
    """Leave-one-out accuracy of a majority-class predictor on balanced labels, via scikit-learn (Q28)."""
    from sklearn.dummy import DummyClassifier
    from sklearn.model_selection import LeaveOneOut, cross_val_score

    if n_per_class < 1:
        raise ValueError(f"n_per_class must be >= 1, got {n_per_class}")
    y = np.repeat([0, 1], n_per_class)
    X = np.zeros((len(y), 1))
    return float(cross_val_score(DummyClassifier(strategy="most_frequent"), X, y, cv=LeaveOneOut()).mean())


def fold_ensemble_errors(task: LinearTask, n_samples: int = 40, n_datasets: int = 1000, k: int = 5,
                         alpha: float = 1.0, seed: int = 0) -> dict[str, np.ndarray]:
    """True MSE of one fold model, of the average of the k fold models, and of a refit on all rows (Q28)."""
    X, y = task.sample(n_datasets, n_samples, np.random.default_rng(seed))
    coefs, _ = kfold_fold_models(X, y, k, alpha)
    return {"one fold model": task.true_mse(coefs).mean(axis=0),
            f"average of the {k} fold models": task.true_mse(coefs.mean(axis=0)),
            "refit on all rows": task.true_mse(ridge_fit(X, y, alpha))}
