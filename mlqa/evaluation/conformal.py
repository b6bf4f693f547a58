"""Split conformal prediction from scratch: intervals for regression, sets for classification, and CQR (Q26)."""

from __future__ import annotations

import numpy as np


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha (the miscoverage rate) must lie in (0, 1); got {alpha}")


def conformal_quantile(scores: np.ndarray, alpha: float) -> float:
    """The ceil((n + 1)(1 - alpha))-th smallest calibration score, or infinity when that exceeds n (Q26).

    With exchangeable data a new score falls at or below it with probability at least 1 - alpha.
    """
    _check_alpha(alpha)
    scores = np.asarray(scores, dtype=float).ravel()
    if scores.size == 0:
        raise ValueError("need at least one calibration score")
    rank = int(np.ceil((len(scores) + 1) * (1 - alpha)))
    return float(np.inf) if rank > len(scores) else float(np.partition(scores, rank - 1)[rank - 1])


def _check_sizes(X_cal: np.ndarray, y_cal: np.ndarray) -> None:
    if len(X_cal) != len(y_cal):
        raise ValueError(f"X_cal has {len(X_cal)} rows but y_cal has {len(y_cal)} labels")


def split_conformal_regression(
    model, X_cal: np.ndarray, y_cal: np.ndarray, X_test: np.ndarray, alpha: float
) -> tuple[np.ndarray, np.ndarray]:
    """Prediction ± the conformal quantile of absolute calibration residuals of a fitted regressor (Q26)."""
    _check_sizes(X_cal, y_cal)
    margin = conformal_quantile(np.abs(np.asarray(y_cal) - model.predict(X_cal)), alpha)
    prediction = model.predict(X_test)
    return prediction - margin, prediction + margin


def _label_columns(model, y: np.ndarray) -> np.ndarray:
    """Column of predict_proba that belongs to each label."""
    classes = getattr(model, "classes_", None)
    if classes is None:
        return np.asarray(y, dtype=int)
    if not np.isin(y, classes).all():
        raise ValueError(f"labels {np.setdiff1d(y, classes).tolist()} are not among the model's classes")
    return np.searchsorted(classes, y)


def split_conformal_classification(
    model, X_cal: np.ndarray, y_cal: np.ndarray, X_test: np.ndarray, alpha: float
) -> np.ndarray:
    """Prediction sets (n_test, n_classes) of every class whose 1 - probability is within the quantile (Q26).

    The score is one minus the probability of the true class (LAC, Sadinle et al. 2019).
    """
    _check_sizes(X_cal, y_cal)
    probabilities = model.predict_proba(X_cal)
    true_class_probability = probabilities[np.arange(len(y_cal)), _label_columns(model, y_cal)]
    threshold = conformal_quantile(1 - true_class_probability, alpha)
    return 1 - model.predict_proba(X_test) <= threshold


def conformalized_quantile_regression(
    lower_model, upper_model, X_cal: np.ndarray, y_cal: np.ndarray, X_test: np.ndarray, alpha: float
) -> tuple[np.ndarray, np.ndarray]:
    """CQR (Romano et al. 2019): move fitted quantile bands out (or in) by the conformal quantile of misses (Q26)."""
    _check_sizes(X_cal, y_cal)
    y_cal = np.asarray(y_cal)
    scores = np.maximum(lower_model.predict(X_cal) - y_cal, y_cal - upper_model.predict(X_cal))
    margin = conformal_quantile(scores, alpha)
    return lower_model.predict(X_test) - margin, upper_model.predict(X_test) + margin


def coverage_over_random_splits(
    scores: np.ndarray, n_cal: int, alpha: float, n_splits: int = 1000, seed: int = 0
) -> np.ndarray:
    """Test coverage of split conformal for many random calibration/test splits of one pool of scores (Q26).

    `scores` are the conformity scores of held-out points under a fixed model; a test point is covered when
    its score is at most the calibration quantile.
    """
    scores = np.asarray(scores, dtype=float)
    if not 0 < n_cal < len(scores):
        raise ValueError(f"n_cal must lie between 1 and {len(scores) - 1}; got {n_cal}")
    rng = np.random.default_rng(seed)
    coverages = np.empty(n_splits)
    for split in range(n_splits):
        order = rng.permutation(len(scores))
        threshold = conformal_quantile(scores[order[:n_cal]], alpha)
        coverages[split] = np.mean(scores[order[n_cal:]] <= threshold)
    return coverages


def fit_mean_and_quantile_models(X: np.ndarray, y: np.ndarray, alpha: float, seed: int = 0) -> dict:
    """Gradient-boosted models of the mean and of the alpha/2 and 1 - alpha/2 quantiles, same settings (Q26)."""
    from sklearn.ensemble import GradientBoostingRegressor

    _check_alpha(alpha)

    def booster(**loss) -> GradientBoostingRegressor:
        return GradientBoostingRegressor(n_estimators=100, max_depth=2, random_state=seed, **loss).fit(X, y)

    return {"mean": booster(), "lower": booster(loss="quantile", alpha=alpha / 2),
            "upper": booster(loss="quantile", alpha=1 - alpha / 2)}


def heteroscedastic_experiment(alpha: float = 0.1, seed: int = 0, n_train: int = 1000, n_cal: int = 500,
                               n_test: int = 2000) -> dict[str, dict[str, float]]:
    """Coverage and mean width, overall and for x < 2.5 (low noise) and x >= 2.5 (high noise), of three bands (Q26).

    Bands: split conformal around the mean model, the raw quantile models, and CQR of those quantile models.
    """
    from mlqa.evaluation.data import heteroscedastic_regression

    X, y = heteroscedastic_regression(n_train + n_cal + n_test, seed=seed)
    X_train, y_train = X[:n_train], y[:n_train]
    X_cal, y_cal = X[n_train:n_train + n_cal], y[n_train:n_train + n_cal]
    X_test, y_test = X[n_train + n_cal:], y[n_train + n_cal:]
    models = fit_mean_and_quantile_models(X_train, y_train, alpha, seed)
    bands = {
        "split conformal": split_conformal_regression(models["mean"], X_cal, y_cal, X_test, alpha),
        "quantile regression": (models["lower"].predict(X_test), models["upper"].predict(X_test)),
        "CQR": conformalized_quantile_regression(models["lower"], models["upper"], X_cal, y_cal, X_test, alpha),
    }
    groups = {"all": np.ones(len(y_test), dtype=bool), "low noise": X_test[:, 0] < 2.5,
              "high noise": X_test[:, 0] >= 2.5}
    results = {}
    for name, (lower, upper) in bands.items():
        covered = (lower <= y_test) & (y_test <= upper)
        for group, mask in groups.items():
            results.setdefault(name, {})[f"coverage, {group}"] = float(covered[mask].mean())
            results[name][f"width, {group}"] = float((upper - lower)[mask].mean())
    return results


def set_sizes_by_difficulty(spreads: tuple[float, ...] = (0.5, 1.0, 1.5), alpha: float = 0.1, seed: int = 0,
                            n_train: int = 1000, n_cal: int = 500, n_test: int = 2000) -> dict[float, dict[str, float]]:
    """Coverage, mean set size and shares of empty and single-class LAC sets as the classes overlap more (Q26)."""
    from sklearn.linear_model import LogisticRegression

    from mlqa.evaluation.data import overlapping_classes

    results = {}
    for spread in spreads:
        X, y = overlapping_classes(n_train + n_cal + n_test, spread=spread, seed=seed)
        model = LogisticRegression().fit(X[:n_train], y[:n_train])
        test = slice(n_train + n_cal, None)
        sets = split_conformal_classification(model, X[n_train:n_train + n_cal], y[n_train:n_train + n_cal], X[test],
                                              alpha)
        sizes = sets.sum(axis=1)
        results[spread] = {"coverage": float(sets[np.arange(n_test), y[test]].mean()),
                           "mean set size": float(sizes.mean()), "empty sets": float(np.mean(sizes == 0)),
                           "single-class sets": float(np.mean(sizes == 1)),
                           "accuracy": float(model.score(X[test], y[test]))}
    return results
