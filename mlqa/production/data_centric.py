"""Data-centric against model-centric fixes under the same label noise, and other data-centric moves (Q21)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from cleanlab.filter import find_label_issues as cleanlab_find_label_issues
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

from mlqa.production.confident_learning import find_label_issues, jaccard, out_of_fold_pred_probs, precision_recall
from mlqa.production.label_noise import NoisyDigits, inject_label_noise, noisy_digits

ARMS = ("noisy labels (baseline)", "clean: drop issues", "relabel issues", "bigger model (RBF SVM)",
        "stronger regularisation", "true labels (oracle)")
REGULARISATION_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)


@dataclass
class NoiseRun:
    """One noisy data set, its out-of-fold probabilities and the issues found by us and by cleanlab (Q21)."""

    data: NoisyDigits
    seed: int
    pred_probs: np.ndarray
    ours: np.ndarray
    cleanlab: np.ndarray
    method: str
    scores: dict[str, float] = field(default_factory=dict)


def base_model() -> LogisticRegression:
    """The model every data-centric arm trains: logistic regression at scikit-learn's default C = 1 (Q21)."""
    return LogisticRegression(C=1.0, max_iter=300)


def detect(rate: float, kind: str, seed: int = 0, method: str = "prune_by_noise_rate") -> NoiseRun:
    """Inject noise, cross-fit probabilities, find issues with our code and cleanlab's, score both (Q21)."""
    data = noisy_digits(rate, kind, seed)
    with threadpool_limits(limits=1):  # small fits: one BLAS thread is several times faster on a shared CPU
        pred_probs = out_of_fold_pred_probs(data.X_train, data.y_train_noisy, seed=seed)
    ours = find_label_issues(data.y_train_noisy, pred_probs, method=method)
    theirs = cleanlab_find_label_issues(data.y_train_noisy, pred_probs, filter_by=method, n_jobs=1)
    run = NoiseRun(data, seed, pred_probs, ours, theirs, method)
    run.scores["precision"], run.scores["recall"] = precision_recall(ours, data.flipped)
    run.scores["cleanlab precision"], run.scores["cleanlab recall"] = precision_recall(theirs, data.flipped)
    run.scores["overlap with cleanlab"] = jaccard(ours, theirs)
    return run


def noise_sweep(rates: tuple[float, ...], kinds: tuple[str, ...] = ("uniform", "class-dependent"),
                seeds: tuple[int, ...] = (0, 1, 2), progress: bool = True) -> list[NoiseRun]:
    """`detect` for every (kind, rate, seed) (Q21)."""
    grid = [(kind, rate, seed) for kind in kinds for rate in rates for seed in seeds]
    return [detect(rate, kind, seed) for kind, rate, seed in tqdm(grid, desc="noise sweep", disable=not progress)]


def _tuned_regularisation(X: np.ndarray, labels: np.ndarray, seed: int) -> LogisticRegression:
    """Logistic regression with C picked on a held-out quarter of the (noisy) training labels (Q21)."""
    X_fit, X_val, y_fit, y_val = train_test_split(X, labels, test_size=0.25, stratify=labels, random_state=seed)
    scores = [LogisticRegression(C=C, max_iter=300).fit(X_fit, y_fit).score(X_val, y_val) for C in REGULARISATION_GRID]
    return LogisticRegression(C=REGULARISATION_GRID[int(np.argmax(scores))], max_iter=300)


def compare_arms(run: NoiseRun) -> dict[str, float]:
    """Test accuracy (clean test labels) of each data-centric and model-centric arm on one noisy run (Q21)."""
    d = run.data
    with threadpool_limits(limits=1):
        regularised = _tuned_regularisation(d.X_train, d.y_train_noisy, run.seed)
    keep = ~run.ours
    relabelled = np.where(run.ours, run.pred_probs.argmax(axis=1), d.y_train_noisy)
    fits = {
        "noisy labels (baseline)": (base_model(), d.X_train, d.y_train_noisy),
        "clean: drop issues": (base_model(), d.X_train[keep], d.y_train_noisy[keep]),
        "relabel issues": (base_model(), d.X_train, relabelled),
        "bigger model (RBF SVM)": (SVC(C=10.0), d.X_train, d.y_train_noisy),
        "stronger regularisation": (regularised, d.X_train, d.y_train_noisy),
        "true labels (oracle)": (base_model(), d.X_train, d.y_train_true),
    }
    with threadpool_limits(limits=1):
        return {arm: float(model.fit(X, y).score(d.X_test, d.y_test)) for arm, (model, X, y) in fits.items()}


def test_set_bias(run: NoiseRun) -> dict[str, float]:
    """Baseline accuracy on the clean test set, on a noisy copy, and on the noisy copy with the issues the
    model itself flags removed: cleaning the yardstick with the model under test inflates the score (Q21)."""
    d = run.data
    noisy_test, _ = inject_label_noise(d.y_test, d.rate, d.kind, seed=run.seed + 1000)
    with threadpool_limits(limits=1):
        model = base_model().fit(d.X_train, d.y_train_noisy)
    test_probs = model.predict_proba(d.X_test)
    kept = ~find_label_issues(noisy_test, test_probs, method=run.method)
    predicted = test_probs.argmax(axis=1)
    return {"clean test labels": float(np.mean(predicted == d.y_test)),
            "noisy test labels": float(np.mean(predicted == noisy_test)),
            "noisy test, model-flagged issues dropped": float(np.mean(predicted[kept] == noisy_test[kept]))}


def arms_by_rate(runs: list[NoiseRun], progress: bool = True) -> dict[str, dict[str, dict[float, np.ndarray]]]:
    """`compare_arms` on every run, gathered as kind -> arm -> noise rate -> accuracies over seeds (Q21)."""
    table: dict[str, dict[str, dict[float, list[float]]]] = {}
    for run in tqdm(runs, desc="arms", disable=not progress):
        for arm, accuracy in compare_arms(run).items():
            table.setdefault(run.data.kind, {}).setdefault(arm, {}).setdefault(run.data.rate, []).append(accuracy)
    return {kind: {arm: {rate: np.array(v) for rate, v in by_rate.items()} for arm, by_rate in arms.items()}
            for kind, arms in table.items()}
