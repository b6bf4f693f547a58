"""Technique 5, active learning: let the model pick which pool samples to label next (Q30).

Uses scikit-learn's logistic regression as the learner and numpy for the query rules (modAL breaks with
scikit-learn >= 1.8, so the few lines are written here). The pool's hidden labels play the oracle. A control
that cheats, random queries spread evenly over the hidden classes, separates the cost of unbalanced queries from
the cost of uninformative ones; every run also records the classes it asked for.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from tqdm.auto import tqdm

from mlqa.limited.data import TechniqueResult, digits_split
from mlqa.limited.models import logistic_regression

# Each score maps class probabilities (n, classes) to an uncertainty per sample: higher is asked first.
UNCERTAINTY_SCORES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "least-confident": lambda proba: 1.0 - proba.max(axis=1),
    "margin": lambda proba: -np.diff(np.sort(proba, axis=1)[:, -2:], axis=1).ravel(),
    "entropy": lambda proba: -(proba * np.log(np.clip(proba, 1e-12, None))).sum(axis=1),
}
STRATEGIES = ("random", *UNCERTAINTY_SCORES)
BALANCED_CONTROL = "balanced random"


def balanced_random(y_pool: np.ndarray, n_queries: int, rng: np.random.Generator) -> np.ndarray:
    """A control that cheats: random pool samples spread evenly over the (hidden) classes (Q30)."""
    classes = rng.permutation(np.unique(y_pool))
    per_class = [rng.permutation(np.flatnonzero(y_pool == c)) for c in classes]
    picks = [per_class[i % len(classes)][i // len(classes)] for i in range(n_queries)]
    return np.array(picks)


def select_queries(strategy: str, proba: np.ndarray, n_queries: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of the `n_queries` pool samples that `strategy` asks the oracle to label (Q30)."""
    if strategy == "random":
        return rng.choice(len(proba), size=n_queries, replace=False)
    if strategy not in UNCERTAINTY_SCORES:
        raise ValueError(f"unknown strategy {strategy!r}; known strategies: {', '.join(STRATEGIES)}")
    return np.argsort(-UNCERTAINTY_SCORES[strategy](proba), kind="stable")[:n_queries]


def active_learning_curve(strategy: str, seed: int = 0, start_per_class: int = 1, batch_size: int = 10,
                          budget: int = 100) -> tuple[list[int], list[float]]:
    """Label counts and test accuracies as logistic regression queries `batch_size` labels per round (Q30)."""
    counts, accuracies, _ = active_learning_run(strategy, seed, start_per_class, batch_size, budget)
    return counts, accuracies


def active_learning_run(strategy: str, seed: int = 0, start_per_class: int = 1, batch_size: int = 10,
                        budget: int = 100) -> tuple[list[int], list[float], list[list[int]]]:
    """`active_learning_curve` plus the true classes of the samples asked in each round (Q30)."""
    split = digits_split(start_per_class, seed)
    if budget < len(split.y_labeled) or budget - len(split.y_labeled) > len(split.y_pool):
        raise ValueError(f"budget {budget} must lie between the {len(split.y_labeled)} starting labels and "
                         f"{len(split.y_labeled) + len(split.y_pool)} (start plus pool)")
    rng = np.random.default_rng(seed)
    X_known, y_known = split.X_labeled, split.y_labeled
    X_pool, y_pool = split.X_pool, split.y_pool
    counts, accuracies, asked_classes = [], [], []
    while True:
        model = logistic_regression().fit(X_known, y_known)
        counts.append(len(y_known))
        accuracies.append(float(model.score(split.X_test, split.y_test)))
        if len(y_known) >= budget:
            return counts, accuracies, asked_classes
        n_ask = min(batch_size, budget - len(y_known))
        if strategy == "balanced random":
            asked = balanced_random(y_pool, n_ask, rng)
        else:
            asked = select_queries(strategy, model.predict_proba(X_pool), n_ask, rng)
        asked_classes.append(y_pool[asked].tolist())
        X_known, y_known = np.concatenate([X_known, X_pool[asked]]), np.concatenate([y_known, y_pool[asked]])
        X_pool, y_pool = np.delete(X_pool, asked, axis=0), np.delete(y_pool, asked)


def strategy_curves(seeds: Sequence[int] = (0, 1, 2), strategies: Sequence[str] = STRATEGIES,
                    start_per_class: int = 1, batch_size: int = 10, budget: int = 100,
                    progress: bool = False) -> tuple[list[int], dict[str, np.ndarray]]:
    """Label counts and accuracy curves per strategy, shape (len(seeds), rounds) (Q30)."""
    counts, curves, _ = strategy_runs(seeds, strategies, start_per_class, batch_size, budget, progress)
    return counts, curves


def strategy_runs(seeds: Sequence[int] = (0, 1, 2), strategies: Sequence[str] = STRATEGIES,
                  start_per_class: int = 1, batch_size: int = 10, budget: int = 100, progress: bool = False
                  ) -> tuple[list[int], dict[str, np.ndarray], dict[str, list[list[list[int]]]]]:
    """`strategy_curves` plus the classes asked per strategy, seed and round (Q30)."""
    curves: dict[str, list[list[float]]] = {s: [] for s in strategies}
    asked: dict[str, list[list[list[int]]]] = {s: [] for s in strategies}
    counts: list[int] = []
    for seed in tqdm(seeds, desc="active learning", disable=not progress):
        for strategy in strategies:
            counts, accuracies, classes = active_learning_run(strategy, seed, start_per_class, batch_size, budget)
            curves[strategy].append(accuracies)
            asked[strategy].append(classes)
    return counts, {s: np.array(c) for s, c in curves.items()}, asked


def run(labels_per_class: int = 5, seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> TechniqueResult:
    """Random against margin sampling at a budget of `labels_per_class` x 10 labels, from 1 label per class (Q30).

    Here `labels_per_class` sets the total budget only (the same number of labels as k per class, 10 classes);
    the strategies start from one label per class and choose the rest, so the classes need not stay balanced.
    """
    budget = labels_per_class * 10
    digits_split(labels_per_class, seeds[0])  # the same error as every technique for too many labels
    counts, curves, asked = strategy_runs(seeds, (*STRATEGIES, BALANCED_CONTROL), budget=budget, progress=progress)
    final = {s: float(c[:, -1].mean()) for s, c in curves.items()}
    return TechniqueResult("active-learning", f"random, {budget} labels", f"margin sampling, {budget} labels",
                           curves["random"][:, -1].tolist(), curves["margin"][:, -1].tolist(), list(seeds),
                           labels_per_class, {"label_counts": counts, "final_accuracy_by_strategy": final,
                                              "curves": {name: c.tolist() for name, c in curves.items()},
                                              "asked_classes": asked})
