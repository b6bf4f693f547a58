"""Adversarial validation: a classifier that tells training rows from test rows, and what to do when it can (Q29).

The adversarial classifier is logistic regression on standardised degree-2 polynomial features, so it sees
shifts in means, spreads and correlations. Its cross-validated AUC is about 0.5 when the two sets come from
one distribution; a permutation test (refitting on shuffled membership labels) says whether a higher AUC is
real. Permutation importance on held-out rows names the features that drift. The remedies all train the same
task model (logistic regression) and differ only in the features it sees, the weights of the training rows, or
the rows used to validate it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict, train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler
from threadpoolctl import threadpool_limits

from mlqa.evaluation.simulation import DriftSplit

Result = TypeVar("Result")


def _one_thread(func: Callable[..., Result]) -> Callable[..., Result]:
    # Hundreds of small logistic-regression fits: one BLAS/OpenMP thread measured ~7x less CPU than the default.
    @functools.wraps(func)
    def wrapper(*args, **kwargs) -> Result:
        with threadpool_limits(limits=1):
            return func(*args, **kwargs)
    return wrapper


def adversarial_classifier() -> Pipeline:
    """Logistic regression on standardised degree-2 features: sees shifts in mean, spread and correlation (Q29)."""
    return make_pipeline(StandardScaler(), PolynomialFeatures(2, include_bias=False), StandardScaler(),
                         LogisticRegression(C=1.0, max_iter=1000))


def _membership(X_train: np.ndarray, X_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if X_train.ndim != 2 or X_test.ndim != 2 or X_train.shape[1] != X_test.shape[1]:
        raise ValueError(f"X_train and X_test need the same number of columns, got {X_train.shape} and {X_test.shape}")
    return np.vstack([X_train, X_test]), np.r_[np.zeros(len(X_train), int), np.ones(len(X_test), int)]


@_one_thread
def adversarial_probabilities(X_train: np.ndarray, X_test: np.ndarray, folds: int = 5, seed: int = 0) -> np.ndarray:
    """Out-of-fold probability that each row (training rows first, then test rows) is a test row (Q29)."""
    X, is_test = _membership(X_train, X_test)
    cv = StratifiedKFold(folds, shuffle=True, random_state=seed)
    return cross_val_predict(adversarial_classifier(), X, is_test, cv=cv, method="predict_proba")[:, 1]


def adversarial_auc(X_train: np.ndarray, X_test: np.ndarray, folds: int = 5, seed: int = 0) -> float:
    """Cross-validated AUC of telling test rows from training rows: about 0.5 means no detectable shift (Q29)."""
    _, is_test = _membership(X_train, X_test)
    return float(roc_auc_score(is_test, adversarial_probabilities(X_train, X_test, folds, seed)))


@dataclass(frozen=True)
class PermutationTest:
    """The observed adversarial AUC, the AUCs with shuffled membership labels, and the p-value (Q29)."""

    auc: float
    null_aucs: np.ndarray
    p_value: float


@_one_thread
def adversarial_permutation_test(X_train: np.ndarray, X_test: np.ndarray, n_permutations: int = 20,
                                 folds: int = 3, seed: int = 0) -> PermutationTest:
    """Is the adversarial AUC higher than chance? p = (1 + #null AUCs >= observed) / (1 + permutations) (Q29)."""
    if n_permutations < 1:
        raise ValueError(f"n_permutations must be >= 1, got {n_permutations}")
    X, is_test = _membership(X_train, X_test)
    cv = StratifiedKFold(folds, shuffle=True, random_state=seed)

    def auc_for(labels: np.ndarray) -> float:
        scores = cross_val_predict(adversarial_classifier(), X, labels, cv=cv, method="predict_proba")[:, 1]
        return float(roc_auc_score(labels, scores))

    rng = np.random.default_rng(seed)
    observed = auc_for(is_test)
    null = np.array([auc_for(rng.permutation(is_test)) for _ in range(n_permutations)])
    return PermutationTest(observed, null, float((1 + np.sum(null >= observed)) / (1 + n_permutations)))


@_one_thread
def drift_importance(X_train: np.ndarray, X_test: np.ndarray, names: tuple[str, ...], n_repeats: int = 5,
                     seed: int = 0) -> dict[str, float]:
    """Drop in held-out adversarial AUC when each feature is shuffled: which features drift (Q29)."""
    X, is_test = _membership(X_train, X_test)
    if len(names) != X.shape[1]:
        raise ValueError(f"{len(names)} names for {X.shape[1]} features")
    X_fit, X_held, y_fit, y_held = train_test_split(X, is_test, test_size=0.5, stratify=is_test, random_state=seed)
    model = adversarial_classifier().fit(X_fit, y_fit)
    result = permutation_importance(model, X_held, y_held, scoring="roc_auc", n_repeats=n_repeats,
                                    random_state=seed)
    return dict(zip(names, result.importances_mean.tolist()))


def importance_weights(p_test: np.ndarray, n_train: int, n_test: int, clip: float = 20.0) -> np.ndarray:
    """Weights p/(1-p) x n_train/n_test for training rows, clipped at `clip`, scaled to mean 1 (Q29)."""
    p_test = np.asarray(p_test, dtype=float)
    if p_test.ndim != 1 or np.any((p_test < 0) | (p_test > 1)):
        raise ValueError(f"p_test must be a 1-D array of probabilities, got shape {p_test.shape}")
    odds = p_test / np.clip(1 - p_test, 1e-12, None) * n_train / n_test
    weights = np.clip(odds, None, clip)
    return weights / weights.mean()


def task_model() -> Pipeline:
    """The task model every remedy trains: standardised logistic regression (Q29)."""
    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))


RemedySpec = tuple[list[int], np.ndarray | None]  # the feature columns a remedy keeps, its row weights


def _remedy_specs(split: DriftSplit, flagged: tuple[str, ...], p_test: np.ndarray) -> dict[str, RemedySpec]:
    names = list(split.feature_names)
    everything = list(range(len(names)))
    weights = importance_weights(p_test, len(split.X_train), len(split.X_test))
    specs = {"no remedy": (everything, None),
             "drop flagged features": ([i for i in everything if names[i] not in flagged], None),
             "reweight by adversarial odds": (everything, weights)}
    for name in flagged:
        specs[f"drop {name} only"] = ([i for i in everything if names[i] != name], None)
    return specs


def _fit(split: DriftSplit, rows: np.ndarray, columns: list[int], weights: np.ndarray | None) -> Pipeline:
    return task_model().fit(split.X_train[rows][:, columns], split.y_train[rows],
                            logisticregression__sample_weight=None if weights is None else weights[rows])


@dataclass(frozen=True)
class RemedyResult:
    """Test accuracy of each remedy on one split, the flagged features, and two validation-based choices (Q29)."""

    accuracy: dict[str, float]
    flagged: tuple[str, ...]
    validation: dict[str, dict[str, float]]
    chosen: dict[str, str]

    def estimate_error(self, holdout: str) -> float:
        """Mean |validation accuracy - test accuracy| over the remedies, for one kind of validation set (Q29)."""
        return float(np.mean([abs(self.validation[holdout][r] - self.accuracy[r]) for r in self.accuracy]))


@_one_thread
def compare_remedies(split: DriftSplit, importance_threshold: float = 0.05, validation_share: float = 0.25,
                     seed: int = 0) -> RemedyResult:
    """Every remedy's test accuracy, and which one a random or a test-like validation set would pick (Q29).

    Remedies: none; dropping the features whose drift importance exceeds the threshold (all, then one at a time);
    reweighting training rows by the adversarial odds. Each is validated on a held-out quarter of the training
    rows, chosen at random or as the rows the adversarial classifier finds most test-like, then refitted on all
    training rows and scored on the test set.
    """
    if not 0 < validation_share < 1:
        raise ValueError(f"validation_share must be in (0, 1), got {validation_share}")
    importance = drift_importance(split.X_train, split.X_test, split.feature_names, seed=seed)
    flagged = tuple(name for name in split.feature_names if importance[name] > importance_threshold)
    n = len(split.X_train)
    p_test = adversarial_probabilities(split.X_train, split.X_test, seed=seed)[:n]
    specs = _remedy_specs(split, flagged, p_test)
    everyone = np.arange(n)
    accuracy = {name: float(_fit(split, everyone, columns, weights).score(split.X_test[:, columns], split.y_test))
                for name, (columns, weights) in specs.items()}
    n_validation = int(round(validation_share * n))
    holdouts = {"random validation rows": np.random.default_rng(seed).permutation(n)[:n_validation],
                "most test-like validation rows": np.argsort(-p_test)[:n_validation]}
    validation, chosen = {}, {}
    for holdout, rows in holdouts.items():
        train = np.setdiff1d(everyone, rows)
        validation[holdout] = {name: float(_fit(split, train, columns, weights).score(
            split.X_train[rows][:, columns], split.y_train[rows])) for name, (columns, weights) in specs.items()}
        chosen[holdout] = max(validation[holdout], key=validation[holdout].get)
    return RemedyResult(accuracy, flagged, validation, chosen)


def ks_drift_pvalues(X_train: np.ndarray, X_test: np.ndarray, names: tuple[str, ...]) -> dict[str, float]:
    """Per-feature two-sample Kolmogorov-Smirnov p-values (scipy): a drift test of one column at a time (Q29)."""
    from scipy.stats import ks_2samp

    X_train, X_test = np.asarray(X_train), np.asarray(X_test)
    _membership(X_train, X_test)
    if len(names) != X_train.shape[1]:
        raise ValueError(f"{len(names)} names for {X_train.shape[1]} features")
    return {name: float(ks_2samp(X_train[:, j], X_test[:, j]).pvalue) for j, name in enumerate(names)}
