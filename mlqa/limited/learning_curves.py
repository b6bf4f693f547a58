"""Technique 1, more labels: learning curves of several scikit-learn models on digits (Q30).

Uses scikit-learn only. A learning curve is test accuracy against the number of labels; reading its slope
tells whether paying for more labels is worth it.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from tqdm.auto import tqdm

from mlqa.limited.data import TechniqueResult, digits_split
from mlqa.limited.models import MODELS, make_model


def learning_curves(label_counts: Sequence[int], model_names: Sequence[str] = tuple(MODELS),
                    seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> dict[str, np.ndarray]:
    """Test accuracy per model, shape (len(seeds), len(label_counts)), for k labels per class (Q30)."""
    curves = {name: np.zeros((len(seeds), len(label_counts))) for name in model_names}
    for i, seed in enumerate(tqdm(seeds, desc="learning curves", disable=not progress)):
        for j, k in enumerate(label_counts):
            split = digits_split(k, seed)
            for name in model_names:
                model = make_model(name).fit(split.X_labeled, split.y_labeled)
                curves[name][i, j] = model.score(split.X_test, split.y_test)
    return curves


def fit_power_law(label_counts: Sequence[int], errors: Sequence[float]) -> tuple[float, float]:
    """Fit error = a * k**(-b) by least squares in log-log space; returns (a, b) (Q30)."""
    slope, intercept = np.polyfit(np.log(label_counts), np.log(errors), 1)
    return float(np.exp(intercept)), float(-slope)


def run(labels_per_class: int = 5, seeds: Sequence[int] = (0, 1, 2), progress: bool = False,
        more_factor: int = 4) -> TechniqueResult:
    """Logistic regression with k labels per class against the same model with `more_factor` times as many (Q30)."""
    model = "logistic regression"
    counts = [labels_per_class, labels_per_class * more_factor]
    try:
        digits_split(counts[-1], seeds[0])
    except ValueError as err:
        raise ValueError(f"learning-curves compares {counts[0]} with {more_factor} x {counts[0]} = {counts[1]} "
                         f"labels per class: {err}") from err
    curves = learning_curves(counts, [model], seeds, progress)
    return TechniqueResult("learning-curves", f"{model}, {counts[0]} labels/class",
                           f"{model}, {counts[1]} labels/class", curves[model][:, 0].tolist(),
                           curves[model][:, 1].tolist(), list(seeds), labels_per_class,
                           {"label_counts": counts})
