"""Each shift detected over repeated draws, and corrected where it can be without new labels (Q23)."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

from mlqa.production.drift_tests import DRIFT_TESTS
from mlqa.production.shift_correction import (
    bbse_class_weights,
    density_ratio_weights,
    effective_sample_size,
    em_target_priors,
    reweight_probs,
)
from mlqa.production.shifts import SHIFT_KINDS, Sample, draw


def deployed_model(sample: Sample, sample_weight: np.ndarray | None = None) -> LogisticRegression:
    """The model every experiment deploys: a linear logistic regression (Q23)."""
    return LogisticRegression().fit(sample.X, sample.y, sample_weight=sample_weight)


def detection_rates(kinds: tuple[str, ...] = SHIFT_KINDS, n_draws: int = 30, n: int = 200, strength: float = 1.0,
                    alpha: float = 0.05, progress: bool = True) -> dict[str, dict[str, float]]:
    """Share of draws in which each test rejects 'no shift' at `alpha`; kind 'none' gives the false alarms (Q23)."""
    rejections = {kind: {name: 0 for name in DRIFT_TESTS} for kind in kinds}
    grid = [(kind, i) for kind in kinds for i in range(n_draws)]
    with threadpool_limits(limits=1):
        for kind, i in tqdm(grid, desc="drift tests", disable=not progress):
            source, target = draw("none", n, seed=10_000 + i), draw(kind, n, seed=20_000 + i, strength=strength)
            for name, test in DRIFT_TESTS.items():
                rejections[kind][name] += int(test(source.X, target.X).p_value < alpha)
    return {kind: {name: count / n_draws for name, count in by_test.items()} for kind, by_test in rejections.items()}


def covariate_correction(seed: int = 0, strength: float = 1.0, n: int = 500) -> dict[str, float]:
    """Target accuracy of the source model, the importance-weighted one and one trained on target labels (Q23)."""
    source, target, test = draw("none", n, seed), draw("covariate", n, seed + 1, strength), \
        draw("covariate", 4 * n, seed + 2, strength)
    with threadpool_limits(limits=1):
        weights = density_ratio_weights(source.X, target.X)
        return {"source model": deployed_model(source).score(test.X, test.y),
                "importance weighted": deployed_model(source, weights).score(test.X, test.y),
                "trained on target labels": deployed_model(target).score(test.X, test.y),
                "effective sample size": effective_sample_size(weights)}


def label_correction(seed: int = 0, strength: float = 1.0, n: int = 500) -> dict[str, float]:
    """Label shift: the target prior estimated by BBSE and EM, and target accuracy before and after (Q23)."""
    source, holdout = draw("none", n, seed), draw("none", n, seed + 1)
    target, test = draw("label", n, seed + 2, strength), draw("label", 4 * n, seed + 3, strength)
    with threadpool_limits(limits=1):
        model = deployed_model(source)
    source_priors = np.bincount(source.y, minlength=2) / len(source.y)
    bbse = bbse_class_weights(holdout.y, model.predict(holdout.X), model.predict(target.X), 2) * source_priors
    bbse = bbse / bbse.sum()
    em = em_target_priors(model.predict_proba(target.X), source_priors)
    true_priors = np.bincount(test.y, minlength=2) / len(test.y)
    probs = model.predict_proba(test.X)

    def accuracy(priors: np.ndarray) -> float:
        return float(np.mean(reweight_probs(probs, source_priors, priors).argmax(axis=1) == test.y))

    return {"source model": accuracy(source_priors), "BBSE corrected": accuracy(bbse), "EM corrected": accuracy(em),
            "true target prior": accuracy(true_priors),
            "trained on target labels": deployed_model(target).score(test.X, test.y),
            "target share of class 1": float(true_priors[1]), "BBSE estimate": float(bbse[1]),
            "EM estimate": float(em[1])}


def concept_drift_needs_labels(seed: int = 0, n_new_labels: int = 100, n: int = 500) -> dict[str, float]:
    """Concept drift: the label-free corrections do not help; a few new target labels do (Q23)."""
    source, target, test = draw("none", n, seed), draw("concept", n, seed + 1), draw("concept", 4 * n, seed + 2)
    with threadpool_limits(limits=1):
        model = deployed_model(source)
        weighted = deployed_model(source, density_ratio_weights(source.X, target.X))
        source_priors = np.bincount(source.y, minlength=2) / len(source.y)
        em = em_target_priors(model.predict_proba(target.X), source_priors)
        label_shift = np.mean(reweight_probs(model.predict_proba(test.X), source_priors, em).argmax(1) == test.y)
        new = Sample(target.X[:n_new_labels], target.y[:n_new_labels])
        return {"source model on source data": model.score(*_xy(draw("none", 4 * n, seed + 3))),
                "source model": model.score(test.X, test.y), "importance weighted": weighted.score(test.X, test.y),
                "label-shift corrected (EM)": float(label_shift),
                f"retrained on {n_new_labels} new labels": deployed_model(new).score(test.X, test.y)}


def _xy(sample: Sample) -> tuple[np.ndarray, np.ndarray]:
    return sample.X, sample.y


def over_seeds(experiment, seeds: tuple[int, ...] = (0, 1, 2), progress: bool = True,
               **kwargs) -> dict[str, np.ndarray]:
    """Run one correction experiment on several seeds: name -> values per seed (Q23)."""
    runs = [experiment(seed=100 * seed, **kwargs) for seed in tqdm(seeds, desc=experiment.__name__,
                                                                   disable=not progress)]
    return {key: np.array([run[key] for run in runs]) for key in runs[0]}
