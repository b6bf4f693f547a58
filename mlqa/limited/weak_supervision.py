"""Weak supervision: noisy labeling functions, combined by majority vote or a Dawid-Skene label model (Q30).

Written in numpy (snorkel works but pulls tensorboard; Dawid & Skene's 1979 EM fits in 30 lines). The task is
scikit-learn's bundled breast-cancer set. Each labeling function is a rule a clinician could state: "a nucleus
feature in the top quarter of the unlabeled pool means malignant, in the bottom quarter benign, else abstain".
Some rules use informative features, some weak ones. A classifier trained on the combined weak labels of the
whole pool is compared with one trained on the few true labels.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from tqdm.auto import tqdm

from mlqa.limited.data import Split, TechniqueResult, split_labels

ABSTAIN = -1
MALIGNANT, BENIGN = 0, 1  # scikit-learn's coding of the breast-cancer target
# Features whose large values we (as domain experts) expect to signal malignancy; the last three are weak signals.
RULE_FEATURES = ("mean radius", "mean concave points", "worst area", "worst concavity", "mean texture",
                 "mean smoothness", "mean symmetry", "mean fractal dimension", "texture error")


def breast_cancer_split(labels_per_class: int, seed: int = 0) -> Split:
    """The bundled breast-cancer set (569 tumours, 30 features) split by `split_labels` (Q30)."""
    X, y = load_breast_cancer(return_X_y=True)
    return split_labels(X, y, labels_per_class, seed)


def apply_labeling_functions(X: np.ndarray, X_unlabeled: np.ndarray,
                             features: Sequence[str] = RULE_FEATURES) -> np.ndarray:
    """Label matrix (n_samples, n_rules): MALIGNANT above the pool's 75th percentile, BENIGN below its 25th (Q30)."""
    names = list(load_breast_cancer().feature_names)
    unknown = [f for f in features if f not in names]
    if unknown:
        raise ValueError(f"unknown breast-cancer features {unknown}")
    columns = [names.index(f) for f in features]
    low, high = np.percentile(X_unlabeled[:, columns], [25, 75], axis=0)
    votes = np.full((len(X), len(columns)), ABSTAIN)
    votes[X[:, columns] > high] = MALIGNANT
    votes[X[:, columns] < low] = BENIGN
    return votes


def labeling_function_table(votes: np.ndarray, y: np.ndarray,
                            features: Sequence[str] = RULE_FEATURES) -> list[dict]:
    """Per rule: coverage, overlap and conflict with other rules, and accuracy where it votes (Q30)."""
    voted = votes != ABSTAIN
    rows = []
    for j, feature in enumerate(features):
        others = np.delete(votes, j, axis=1)
        overlap = voted[:, j] & (others != ABSTAIN).any(1)
        conflict = voted[:, j] & ((others != ABSTAIN) & (others != votes[:, [j]])).any(1)
        rows.append({"rule": feature, "coverage": voted[:, j].mean(), "overlap": overlap.mean(),
                     "conflict": conflict.mean(), "accuracy": (votes[voted[:, j], j] == y[voted[:, j]]).mean()})
    return rows


def majority_vote(votes: np.ndarray, n_classes: int = 2) -> np.ndarray:
    """Class with the most votes per row (ties go to the lower class; rows with no vote get ABSTAIN) (Q30)."""
    counts = np.stack([(votes == c).sum(1) for c in range(n_classes)], axis=1)
    return np.where(counts.sum(1) > 0, counts.argmax(1), ABSTAIN)


def dawid_skene(votes: np.ndarray, n_classes: int = 2, iterations: int = 50, smoothing: float = 1.0) -> np.ndarray:
    """Posterior class probabilities from EM over per-rule confusion matrices (abstain is one more output) (Q30)."""
    outputs = np.where(votes == ABSTAIN, n_classes, votes)  # n_classes + 1 possible outputs per rule
    one_hot = np.eye(n_classes + 1)[outputs]  # (n, rules, outputs)
    counts = np.stack([(votes == c).sum(1) for c in range(n_classes)], axis=1) + 1e-3
    posterior = counts / counts.sum(1, keepdims=True)  # start from a soft majority vote
    for _ in range(iterations):
        prior = posterior.mean(0)
        confusion = np.einsum("nc,nro->rco", posterior, one_hot) + smoothing  # rule, true class, output
        confusion /= confusion.sum(2, keepdims=True)
        log_like = np.log(prior) + np.einsum("nro,rco->nc", one_hot, np.log(confusion))
        posterior = np.exp(log_like - log_like.max(1, keepdims=True))
        posterior /= posterior.sum(1, keepdims=True)
    return posterior


def weak_label_accuracy(split: Split) -> dict[str, float]:
    """Accuracy of majority vote and Dawid-Skene labels on the pool, where at least one rule votes (Q30)."""
    votes = apply_labeling_functions(split.X_pool, split.X_pool)
    covered = (votes != ABSTAIN).any(1)
    return {"coverage": covered.mean(),
            "majority vote": (majority_vote(votes)[covered] == split.y_pool[covered]).mean(),
            "Dawid-Skene": (dawid_skene(votes).argmax(1)[covered] == split.y_pool[covered]).mean()}


def classifier() -> object:
    """Standardised logistic regression, the end model for both label sources (Q30)."""
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


def compare_label_sources(split: Split) -> dict[str, float]:
    """Test accuracy of the end model trained on the few true labels vs on weak labels of the whole pool (Q30)."""
    votes = apply_labeling_functions(split.X_pool, split.X_pool)
    covered = (votes != ABSTAIN).any(1)
    X_weak = np.concatenate([split.X_labeled, split.X_pool[covered]])
    scores = {"true labels only": classifier().fit(split.X_labeled, split.y_labeled).score(split.X_test,
                                                                                          split.y_test)}
    for name, weak in (("majority vote", majority_vote(votes)), ("Dawid-Skene", dawid_skene(votes).argmax(1))):
        y_weak = np.concatenate([split.y_labeled, weak[covered]])
        scores[f"weak labels ({name})"] = classifier().fit(X_weak, y_weak).score(split.X_test, split.y_test)
    return {name: float(score) for name, score in scores.items()}


def run(labels_per_class: int = 5, seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> TechniqueResult:
    """Breast cancer: a classifier on the true labels alone vs on Dawid-Skene weak labels of the pool (Q30)."""
    scores, label_quality = [], []
    for seed in tqdm(seeds, desc="seeds", disable=not progress):
        split = breast_cancer_split(labels_per_class, seed)
        scores.append(compare_label_sources(split))
        label_quality.append(weak_label_accuracy(split))
    details = {name: [s[name] for s in scores] for name in scores[0]}
    details.update({f"pool label accuracy, {name}": [float(q[name]) for q in label_quality]
                    for name in ("majority vote", "Dawid-Skene")})
    details["pool coverage"] = [float(q["coverage"]) for q in label_quality]
    return TechniqueResult("weak-supervision", "true labels only", "weak labels (Dawid-Skene)",
                           details["true labels only"], details["weak labels (Dawid-Skene)"], list(seeds),
                           labels_per_class, details)
