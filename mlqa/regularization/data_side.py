"""The other data-side fixes for overfitting, measured with Q30's and Q3's code rather than rebuilt (Q5).

Pretraining: Q30's transfer experiment (an MLP pretrained on plenty of ordinary digits, finetuned on a few
thick-pen digits) against the same MLP from scratch, each at its own best learning rate over the same sweep.
The table: active learning, semi-supervised learning, weak supervision and few-shot learning, each against its
own plain baseline on the same labels, with the notebook that explains it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression
from tqdm.auto import tqdm

from mlqa.fewshot import compare_methods as few_shot_methods
from mlqa.limited import (
    best_rates,
    digits_split,
    get_technique,
    label_spreading_predict,
    style_transfer_experiment,
    thick_pen,
)
from mlqa.regularization.training import one_thread

PRETRAINING_ARMS = ("from scratch", "pretrained + finetuned")


@dataclass(frozen=True)
class DataSideRow:
    """One data-side technique against its baseline: test accuracy per seed, and where it is explained (Q5)."""

    technique: str
    baseline_name: str
    result_name: str
    baseline: np.ndarray
    result: np.ndarray
    notebook: str

    @property
    def gain(self) -> np.ndarray:
        """Technique minus baseline accuracy, per seed (Q5)."""
        return self.result - self.baseline


def pretraining_comparison(labels_per_class: Sequence[int] = (3, 10), seeds: Sequence[int] = (0, 1, 2),
                           progress: bool = False) -> dict[int, dict[str, np.ndarray]]:
    """Test accuracy per seed of an MLP from scratch and pretrained + finetuned, for each labels-per-class (Q5).

    Each arm is reported at its own learning rate with the best mean accuracy over seeds; "source model as is"
    is the pretrained model never shown a thick-pen digit (a control for how far the styles differ).
    """
    if not labels_per_class or not seeds:
        raise ValueError(f"need label counts and seeds, got {list(labels_per_class)} and {list(seeds)}")
    out = {}
    for k in tqdm(labels_per_class, desc="pretraining", disable=not progress):
        runs = [style_transfer_experiment(thick_pen, k, seed) for seed in seeds]
        rates = best_rates(runs)
        out[k] = {arm: np.array([r[arm][rates[arm]] for r in runs]) for arm in PRETRAINING_ARMS}
        out[k]["source model as is"] = np.array([r["source model as is"] for r in runs])
    return out


def _semi_supervised_row(labels_per_class: int, seeds: Sequence[int]) -> DataSideRow:
    supervised, spread = [], []
    for seed in seeds:
        split = digits_split(labels_per_class, seed)
        model = LogisticRegression(max_iter=1000).fit(split.X_labeled, split.y_labeled)
        supervised.append(model.score(split.X_test, split.y_test))
        spread.append(float(np.mean(label_spreading_predict(split) == split.y_test)))
    return DataSideRow("semi-supervised", "labeled digits only", "label spreading over the unlabeled pool",
                       np.array(supervised), np.array(spread), "q30-limited-labeled-data.ipynb")


def _few_shot_row(labels_per_class: int, seeds: Sequence[int]) -> DataSideRow:
    with one_thread():
        table = few_shot_methods("pairs", [labels_per_class], seeds=seeds,
                                 methods=("raw pixels", "prototypical network"))
    return DataSideRow("few-shot", f"5-way {labels_per_class}-shot, raw-pixel prototypes",
                       "prototypical network meta-trained on other classes",
                       np.array(table["raw pixels"][labels_per_class]),
                       np.array(table["prototypical network"][labels_per_class]), "q03-few-shot-learning.ipynb")


def data_side_table(labels_per_class: int = 5, seeds: Sequence[int] = (0, 1, 2),
                    progress: bool = False) -> list[DataSideRow]:
    """Active learning, semi-supervised, weak supervision and few-shot, each against its baseline (Q5)."""
    if labels_per_class < 1 or not seeds:
        raise ValueError(f"need labels_per_class >= 1 and seeds, got {labels_per_class} and {list(seeds)}")
    rows = []
    for name in tqdm(("active-learning", "weak-supervision"), desc="techniques", disable=not progress):
        r = get_technique(name)(labels_per_class, seeds)
        rows.append(DataSideRow(name, r.baseline_name, r.result_name, np.array(r.baseline), np.array(r.result),
                                "q30-limited-labeled-data.ipynb"))
    rows.append(_semi_supervised_row(labels_per_class, seeds))
    rows.append(_few_shot_row(labels_per_class, seeds))
    return rows
