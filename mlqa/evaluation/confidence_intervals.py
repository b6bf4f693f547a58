"""Four ways to put a confidence interval on a model's accuracy, and their coverage where the truth is known (Q25)."""

from __future__ import annotations

import numpy as np
from scipy import stats
from sklearn.base import BaseEstimator, ClassifierMixin
from tqdm.auto import tqdm

from mlqa.evaluation.data import noisy_circle

BOOTSTRAP_METHODS = ("oob", ".632", ".632+")
INTERVAL_METHODS = ("normal approximation", "bootstrap oob", "bootstrap .632", "bootstrap .632+",
                    "bootstrap test set", "retraining seeds")


def random_features(X: np.ndarray, n_components: int, gamma: float, seed: int) -> np.ndarray:
    """Random Fourier features cos(X W + b) of an RBF kernel, plus a constant column (Q25)."""
    rng = np.random.default_rng(seed)
    W = rng.normal(scale=np.sqrt(2 * gamma), size=(X.shape[1], n_components))
    b = rng.uniform(0, 2 * np.pi, size=n_components)
    return np.hstack([np.sqrt(2 / n_components) * np.cos(X @ W + b), np.ones((len(X), 1))])


def fit_ridge(features: np.ndarray, targets: np.ndarray, alpha: float, weights: np.ndarray | None = None) -> np.ndarray:
    """Weighted ridge solution(s); `weights` of shape (B, n) fits B bootstrap samples at once (Q25)."""
    weights = np.ones((1, len(features))) if weights is None else np.atleast_2d(weights)
    if weights.shape[1] != len(features):
        raise ValueError(f"weights have {weights.shape[1]} columns for {len(features)} samples")
    weighted = (weights[:, :, None] * features).transpose(0, 2, 1)  # (B, d, n)
    gram = weighted @ features + alpha * np.eye(features.shape[1])
    return np.linalg.solve(gram, (weighted @ targets)[..., None])[..., 0]


class RandomFeatureClassifier(ClassifierMixin, BaseEstimator):
    """Binary classifier: ridge regression on ±1 targets over seeded random Fourier features (Q25)."""

    def __init__(self, n_components: int = 40, gamma: float = 2.0, alpha: float = 0.1, random_state: int = 0):
        self.n_components, self.gamma, self.alpha, self.random_state = n_components, gamma, alpha, random_state

    def fit(self, X: np.ndarray, y: np.ndarray) -> RandomFeatureClassifier:
        """Fit the ridge weights on the seeded random features (Q25)."""
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError(f"RandomFeatureClassifier is binary; got classes {self.classes_.tolist()}")
        targets = np.where(y == self.classes_[1], 1.0, -1.0)
        self.coef_ = fit_ridge(self._features(X), targets, self.alpha)[0]
        return self

    def _features(self, X: np.ndarray) -> np.ndarray:
        return random_features(np.asarray(X, dtype=float), self.n_components, self.gamma, self.random_state)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The class on the side of the ridge score's sign (Q25)."""
        return self.classes_[(self._features(X) @ self.coef_ > 0).astype(int)]


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1); got {confidence}")


def normal_approximation_interval(accuracy: float | np.ndarray, n_test: int, confidence: float = 0.95) -> tuple:
    """accuracy ± z sqrt(accuracy (1 - accuracy) / n_test), elementwise: the Wald interval (Q25)."""
    _check_confidence(confidence)
    if n_test < 1 or np.any(np.asarray(accuracy) < 0) or np.any(np.asarray(accuracy) > 1):
        raise ValueError(f"need n_test >= 1 and accuracy in [0, 1]; got {n_test} and {accuracy}")
    half_width = stats.norm.ppf(0.5 + confidence / 2) * np.sqrt(accuracy * (1 - accuracy) / n_test)
    return accuracy - half_width, accuracy + half_width


def percentile_interval(scores: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """The central `confidence` share of bootstrap scores (Q25)."""
    _check_confidence(confidence)
    lower, upper = np.quantile(scores, [0.5 - confidence / 2, 0.5 + confidence / 2])
    return float(lower), float(upper)


def bootstrap_training_scores(
    model: RandomFeatureClassifier, X: np.ndarray, y: np.ndarray, n_rounds: int = 200, seed: int = 0
) -> dict[str, np.ndarray]:
    """Accuracy per bootstrap round: out-of-bag, .632 (Efron 1983) and .632+ (Efron & Tibshirani 1997) (Q25).

    Rounds draw indices exactly as mlxtend's `bootstrap_point632_score` does, and all rounds are fitted at once
    (a bootstrap sample is a weighted fit with each point weighted by how often it was drawn). As in mlxtend,
    the training error is measured on all of X and the .632+ weight is not clipped.
    """
    if n_rounds < 1:
        raise ValueError(f"need n_rounds >= 1; got {n_rounds}")
    n = len(y)
    rng = np.random.RandomState(seed)
    counts = np.stack([np.bincount(rng.choice(np.arange(n), size=n, replace=True), minlength=n)
                       for _ in range(n_rounds)])
    classes = np.unique(y)
    features = model._features(X)
    weights = fit_ridge(features, np.where(y == classes[1], 1.0, -1.0), model.alpha, counts)
    predictions = classes[((features @ weights.T) > 0).astype(int)].T  # (rounds, n): every round predicts all of X
    correct = predictions == y
    out_of_bag = counts == 0
    test_error = 1 - (correct & out_of_bag).sum(axis=1) / out_of_bag.sum(axis=1)
    train_error = 1 - correct.mean(axis=1)
    label_share = np.array([(y == c).mean() for c in classes])
    predicted_share = np.stack([(predictions == c).mean(axis=1) for c in classes], axis=1)
    no_information_error = 1 - predicted_share @ label_share
    relative_overfitting = (test_error - train_error) / (no_information_error - train_error)
    weight_plus = 0.632 / (1 - 0.368 * relative_overfitting)
    accuracies = (1 - test_error, 1 - (0.632 * test_error + 0.368 * train_error),
                  1 - (weight_plus * test_error + (1 - weight_plus) * train_error))
    return dict(zip(BOOTSTRAP_METHODS, accuracies))


def bootstrap_test_set_interval(correct: np.ndarray, n_rounds: int = 200, confidence: float = 0.95,
                            seed: int = 0) -> tuple[float, float]:
    """Resample the test set's right/wrong predictions with replacement; percentile interval of accuracy (Q25)."""
    correct = np.asarray(correct, dtype=float)
    if correct.ndim != 1 or len(correct) < 1:
        raise ValueError(f"correct must be a non-empty 1-D array; got shape {correct.shape}")
    rng = np.random.default_rng(seed)
    return percentile_interval(correct[rng.integers(0, len(correct), size=(n_rounds, len(correct)))].mean(axis=1),
                               confidence)


def seed_accuracies(model: RandomFeatureClassifier, X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray,
                    y_test: np.ndarray, n_seeds: int = 10) -> np.ndarray:
    """Test accuracy of the same model retrained with seeds 0..n_seeds-1 (Q25)."""
    return np.array([
        (model.set_params(random_state=seed).fit(X_train, y_train).predict(X_test) == y_test).mean()
        for seed in range(n_seeds)
    ])


def t_interval(values: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """mean ± t quantile × standard error of the mean (Q25)."""
    _check_confidence(confidence)
    if len(values) < 2:
        raise ValueError(f"need at least 2 values; got {len(values)}")
    lower, upper = stats.t.interval(confidence, len(values) - 1, loc=np.mean(values), scale=stats.sem(values))
    return float(lower), float(upper)


def all_intervals(
    X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray, confidence: float = 0.95,
    n_rounds: int = 200, n_seeds: int = 10, seed: int = 0,
) -> dict[str, tuple[float, float]]:
    """Every method's interval for the accuracy of RandomFeatureClassifier(random_state=0) on this split (Q25)."""
    model = RandomFeatureClassifier()
    correct = model.fit(X_train, y_train).predict(X_test) == y_test
    intervals = {"normal approximation": normal_approximation_interval(correct.mean(), len(correct), confidence)}
    for method, scores in bootstrap_training_scores(model, X_train, y_train, n_rounds, seed).items():
        intervals[f"bootstrap {method}"] = percentile_interval(scores, confidence)
    intervals["bootstrap test set"] = bootstrap_test_set_interval(correct, n_rounds, confidence, seed)
    intervals["retraining seeds"] = t_interval(
        seed_accuracies(RandomFeatureClassifier(), X_train, y_train, X_test, y_test, n_seeds), confidence)
    return intervals


def interval_coverage(
    n_repetitions: int = 200, n_train: int = 200, n_test: int = 100, confidence: float = 0.95, n_rounds: int = 100,
    n_seeds: int = 5, n_truth: int = 10_000, progress: bool = True,
) -> dict[str, np.ndarray]:
    """Share of repetitions whose interval contains the deployed model's true accuracy, per method (Q25).

    Each repetition draws fresh training and test sets from `noisy_circle`; the truth is the accuracy of the
    model trained on that training set (seed 0), measured on one huge held-out sample of `n_truth` points.
    Returns, per method, an array (n_repetitions, 3) of lower bound, upper bound and true accuracy.
    """
    if n_repetitions < 1 or n_test < 1:
        raise ValueError(f"need n_repetitions >= 1 and n_test >= 1; got {n_repetitions} and {n_test}")
    X_truth, y_truth = noisy_circle(n_truth, seed=10**6)
    records: dict[str, list[tuple[float, float, float]]] = {method: [] for method in INTERVAL_METHODS}
    for repetition in tqdm(range(n_repetitions), disable=not progress, desc="repetitions"):
        X, y = noisy_circle(n_train + n_test, seed=repetition)
        X_train, y_train, X_test, y_test = X[:n_train], y[:n_train], X[n_train:], y[n_train:]
        truth = float((RandomFeatureClassifier().fit(X_train, y_train).predict(X_truth) == y_truth).mean())
        intervals = all_intervals(X_train, y_train, X_test, y_test, confidence, n_rounds, n_seeds, seed=repetition)
        for method, (lower, upper) in intervals.items():
            records[method].append((lower, upper, truth))
    return {method: np.array(rows) for method, rows in records.items()}


def coverage(records: np.ndarray) -> float:
    """Share of rows (lower, upper, truth) with lower <= truth <= upper (Q25)."""
    return float(np.mean((records[:, 0] <= records[:, 2]) & (records[:, 2] <= records[:, 1])))


def normal_interval_exact_coverage(true_accuracy: float, n_test: int, confidence: float = 0.95) -> float:
    """Exact coverage of the normal-approximation interval: sum over every possible test score k/n (Q25)."""
    if not 0 < true_accuracy < 1:
        raise ValueError(f"true_accuracy must lie in (0, 1); got {true_accuracy}")
    k = np.arange(n_test + 1)
    lower, upper = normal_approximation_interval(k / n_test, n_test, confidence)
    covers = (lower <= true_accuracy) & (true_accuracy <= upper)
    return float(stats.binom.pmf(k, n_test, true_accuracy)[covers].sum())


def line_fit_intervals(
    x: np.ndarray, y: np.ndarray, x_new: np.ndarray, confidence: float = 0.95
) -> dict[str, np.ndarray]:
    """Least-squares line with the confidence interval of its mean and the prediction interval of a new label (Q26).

    Both use the t quantile; the prediction interval adds the noise variance to the mean's variance, so it does
    not shrink to zero as n grows.
    """
    _check_confidence(confidence)
    x, y, x_new = (np.asarray(a, dtype=float).ravel() for a in (x, y, x_new))
    if len(x) != len(y) or len(x) < 3:
        raise ValueError(f"need x and y of one length >= 3; got {len(x)} and {len(y)}")
    slope, intercept = np.polyfit(x, y, 1)
    residual_variance = np.sum((y - (slope * x + intercept)) ** 2) / (len(x) - 2)
    leverage = 1 / len(x) + (x_new - x.mean()) ** 2 / np.sum((x - x.mean()) ** 2)
    t = stats.t.ppf(0.5 + confidence / 2, len(x) - 2)
    mean = slope * x_new + intercept
    mean_half, new_half = t * np.sqrt(residual_variance * leverage), t * np.sqrt(residual_variance * (1 + leverage))
    return {"mean": mean, "ci_lower": mean - mean_half, "ci_upper": mean + mean_half,
            "pi_lower": mean - new_half, "pi_upper": mean + new_half}


def line_interval_coverage(n: int = 50, n_repetitions: int = 2000, noise: float = 1.0, x_new: float = 1.5,
                           confidence: float = 0.95, seed: int = 0) -> dict[str, float]:
    """How often the mean's confidence interval and the prediction interval hold the true mean and a new label (Q26).

    Data: y = 1 + 2x + noise with x uniform in [0, 2]; each repetition refits the line on fresh data.
    """
    rng = np.random.default_rng(seed)
    hits = {"CI holds the true mean": 0, "CI holds a new label": 0, "PI holds a new label": 0}
    for _ in range(n_repetitions):
        x = rng.uniform(0, 2, n)
        y = 1 + 2 * x + noise * rng.normal(size=n)
        intervals = line_fit_intervals(x, y, np.array([x_new]), confidence)
        true_mean = 1 + 2 * x_new
        new_label = true_mean + noise * rng.normal()
        hits["CI holds the true mean"] += intervals["ci_lower"][0] <= true_mean <= intervals["ci_upper"][0]
        hits["CI holds a new label"] += intervals["ci_lower"][0] <= new_label <= intervals["ci_upper"][0]
        hits["PI holds a new label"] += intervals["pi_lower"][0] <= new_label <= intervals["pi_upper"][0]
    return {name: float(count) / n_repetitions for name, count in hits.items()}
