"""Other data-centric moves, each against its unfixed data: deduplication, class balance, targeted labels (Q21)."""

from __future__ import annotations

import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

DATA_MOVES = ("deduplication", "class balance", "targeted labels")


def _split(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, stratify=y, random_state=seed)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), y_train, scaler.transform(X_test), y_test


def _model() -> LogisticRegression:
    return LogisticRegression(C=1.0, max_iter=300)


def deduplication(seed: int = 0, n_repeated: int = 50, copies: int = 30) -> tuple[float, float]:
    """A scrape repeats `n_repeated` images of the digit 8 `copies` times: accuracy with and without them (Q21)."""
    X, y, X_test, y_test = _split(seed)
    rng = np.random.default_rng(seed)
    repeated = rng.choice(np.flatnonzero(y == 8), size=n_repeated, replace=False)
    X_dup = np.concatenate([X, np.repeat(X[repeated], copies, axis=0)])
    y_dup = np.concatenate([y, np.repeat(y[repeated], copies)])
    _, first = np.unique(X_dup, axis=0, return_index=True)
    before = _model().fit(X_dup, y_dup).score(X_test, y_test)
    after = _model().fit(X_dup[np.sort(first)], y_dup[np.sort(first)]).score(X_test, y_test)
    return float(before), float(after)


def class_balance(seed: int = 0, minority_fraction: float = 0.1) -> tuple[float, float]:
    """Digits 5-9 kept at `minority_fraction`: balanced test accuracy before and after oversampling them (Q21)."""
    X, y, X_test, y_test = _split(seed)
    rng = np.random.default_rng(seed)
    keep = (y < 5) | (rng.random(len(y)) < minority_fraction)
    X, y = X[keep], y[keep]
    counts = np.bincount(y, minlength=10)
    resampled = np.concatenate([rng.choice(np.flatnonzero(y == c), size=counts.max(), replace=True)
                                for c in range(10)])
    before = balanced_accuracy_score(y_test, _model().fit(X, y).predict(X_test))
    after = balanced_accuracy_score(y_test, _model().fit(X[resampled], y[resampled]).predict(X_test))
    return float(before), float(after)


def targeted_labels(seed: int = 0, start_per_class: int = 10, budget: int = 100) -> tuple[float, float]:
    """`budget` new labels drawn at random against the pool examples with the smallest top-two margin (Q21)."""
    X, y, X_test, y_test = _split(seed)
    rng = np.random.default_rng(seed)
    labelled = np.concatenate([rng.choice(np.flatnonzero(y == c), start_per_class, replace=False) for c in range(10)])
    pool = np.setdiff1d(np.arange(len(y)), labelled)
    random_pick = rng.choice(pool, budget, replace=False)
    probs = np.sort(_model().fit(X[labelled], y[labelled]).predict_proba(X[pool]), axis=1)
    targeted_pick = pool[np.argsort(probs[:, -1] - probs[:, -2])[:budget]]
    scores = [_model().fit(X[idx], y[idx]).score(X_test, y_test)
              for idx in (np.concatenate([labelled, random_pick]), np.concatenate([labelled, targeted_pick]))]
    return float(scores[0]), float(scores[1])


def data_moves_table(seeds: tuple[int, ...] = (0, 1, 2), progress: bool = True) -> dict[str, np.ndarray]:
    """Each move's (before, after) test score per seed, as an array of shape (seeds, 2) (Q21)."""
    moves = {"deduplication": deduplication, "class balance": class_balance, "targeted labels": targeted_labels}
    with threadpool_limits(limits=1):
        return {name: np.array([move(seed) for seed in seeds])
                for name, move in tqdm(moves.items(), desc="data moves", disable=not progress)}
