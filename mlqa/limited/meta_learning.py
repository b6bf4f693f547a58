"""Meta-learning: learning to learn across tasks, and meta-features that recommend an algorithm (Q30).

Two views of one idea. (1) Prototypical networks are meta-learners: every training episode is a small task, and
accuracy on tasks built from unseen two-digit classes rises with the number of episodes seen, starting from the
untrained random encoder (`learning_to_learn_curve`, torch, from `mlqa.fewshot`). (2) Algorithm recommendation:
describe each data set by meta-features (size, dimension, classes, feature correlation, skew and spectrum, and
"landmarkers": the leave-one-out accuracy of 1-nearest neighbour and nearest class mean on the few labels), then
pick for a new data set the algorithm that won on the most similar known one (scikit-learn and numpy; pymfe offers
hundreds of such features, ours are a readable dozen). Data sets: scikit-learn's bundled sets, subsets of them and
generated ones; a data set is never compared with variants of its own source.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from scipy.stats import skew
from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    load_iris,
    load_wine,
    make_circles,
    make_classification,
    make_moons,
)
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from tqdm.auto import tqdm

from mlqa.fewshot import meta_training_curve
from mlqa.limited.data import Split, TechniqueResult, split_labels
from mlqa.utils import torch_threads

CANDIDATES: dict[str, Callable[[], object]] = {
    "logistic regression": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
    "1-nearest neighbour": lambda: make_pipeline(StandardScaler(), KNeighborsClassifier(1)),
    "naive Bayes": GaussianNB,
    "decision tree": lambda: DecisionTreeClassifier(random_state=0),
    "RBF SVM": lambda: make_pipeline(StandardScaler(), SVC()),
    "random forest": lambda: RandomForestClassifier(30, random_state=0),
}


def learning_to_learn_curve(checkpoints: Sequence[int] = (0, 30, 100, 300), k_shot: int = 5,
                            seeds: Sequence[int] = (0, 1, 2)) -> np.ndarray:
    """5-way accuracy on unseen two-digit classes after each number of meta-training episodes, (seeds, points) (Q30).

    Checkpoint 0 is the untrained random encoder; the curve comes from `mlqa.fewshot.meta_training_curve`.
    """
    with torch_threads():
        return meta_training_curve(checkpoints, k_shot, seeds)


def dataset_collection() -> dict[str, tuple[str, np.ndarray, np.ndarray]]:
    """Named data sets as (source family, X, y): bundled sets, subsets of them and generated ones (Q30)."""
    digits, iris, wine, cancer = (load_digits(return_X_y=True), load_iris(return_X_y=True),
                                  load_wine(return_X_y=True), load_breast_cancer(return_X_y=True))
    X_d, y_d = digits
    sets = {"digits": ("digits", X_d, y_d),
            "digits 0-4": ("digits", X_d[y_d < 5], y_d[y_d < 5]),
            "digits 3 vs 8": ("digits", X_d[np.isin(y_d, (3, 8))], y_d[np.isin(y_d, (3, 8))]),
            "digits 4x4": ("digits", X_d.reshape(-1, 4, 2, 4, 2).mean((2, 4)).reshape(-1, 16), y_d),
            "iris": ("iris", *iris), "iris 2 features": ("iris", iris[0][:, :2], iris[1]),
            "wine": ("wine", *wine), "wine 5 features": ("wine", wine[0][:, :5], wine[1]),
            "breast cancer": ("cancer", *cancer), "breast cancer 5 features": ("cancer", cancer[0][:, 20:25],
                                                                               cancer[1])}
    for i, (informative, flip) in enumerate(((3, 0.0), (10, 0.1), (5, 0.3), (20, 0.0))):
        X, y = make_classification(400, 20, n_informative=informative, n_redundant=0, n_classes=3,
                                   flip_y=flip, random_state=i)
        sets[f"generated linear {i}"] = (f"generated {i}", X, y)
    sets["moons"] = ("moons", *make_moons(400, noise=0.2, random_state=0))
    sets["circles"] = ("circles", *make_circles(400, noise=0.1, factor=0.5, random_state=0))
    X, y = make_moons(400, noise=0.2, random_state=1)
    sets["moons + 10 noise features"] = ("moons noisy", np.hstack([X, np.random.default_rng(0).normal(
        size=(400, 10))]), y)
    return sets


def leave_one_out_landmarks(X: np.ndarray, y: np.ndarray) -> list[float]:
    """Leave-one-out accuracy of 1-nearest neighbour and of nearest class mean on the few labels (Q30)."""
    distances = ((X[:, None, :] - X[None, :, :]) ** 2).sum(2)
    np.fill_diagonal(distances, np.inf)
    nearest_neighbour = float(np.mean(y[distances.argmin(1)] == y))
    classes = np.unique(y)
    hits = []
    for i in range(len(X)):
        keep = np.arange(len(X)) != i
        means = np.stack([X[keep & (y == c)].mean(0) for c in classes])
        hits.append(classes[((means - X[i]) ** 2).sum(1).argmin()] == y[i])
    return [nearest_neighbour, float(np.mean(hits))]


def meta_features(split: Split) -> np.ndarray:
    """A dozen meta-features from the labeled set and the unlabeled pool (never the test set) (Q30)."""
    X_all = np.concatenate([split.X_labeled, split.X_pool])
    standardized = StandardScaler().fit_transform(X_all)
    varying = standardized[:, standardized.std(0) > 0]
    correlation = np.corrcoef(varying.T) if varying.shape[1] > 1 else np.zeros((1, 1))
    eigenvalues = np.sort(np.linalg.eigvalsh(np.cov(varying.T).reshape(varying.shape[1], -1)))[::-1]
    n_classes = np.unique(split.y_labeled).size
    landmarks = leave_one_out_landmarks(StandardScaler().fit(X_all).transform(split.X_labeled), split.y_labeled)
    return np.array([np.log(len(X_all)), np.log(X_all.shape[1]), n_classes,
                     np.log(X_all.shape[1] / len(X_all)),
                     np.abs(correlation[np.triu_indices_from(correlation, 1)]).mean() if varying.shape[1] > 1 else 0,
                     np.abs(skew(varying, axis=0)).mean(), eigenvalues[0] / eigenvalues.sum(),
                     (np.cumsum(eigenvalues) / eigenvalues.sum() < 0.9).sum() / varying.shape[1],
                     *landmarks, landmarks[0] - landmarks[1]])


def algorithm_scores(split: Split) -> dict[str, float]:
    """Test accuracy of every candidate algorithm trained on the few labels (Q30)."""
    return {name: float(build().fit(split.X_labeled, split.y_labeled).score(split.X_test, split.y_test))
            for name, build in CANDIDATES.items()}


def recommend(labels_per_class: int = 5, seed: int = 0) -> list[dict]:
    """Leave one data set out: the globally best algorithm vs the best one of its meta-feature neighbour (Q30)."""
    collection = dataset_collection()
    names = list(collection)
    splits = {name: split_labels(X, y, labels_per_class, seed) for name, (_, X, y) in collection.items()}
    scores = {name: algorithm_scores(splits[name]) for name in names}
    features = np.array([meta_features(splits[name]) for name in names])
    rows = []
    for i, name in enumerate(names):
        known = [j for j in range(len(names)) if collection[names[j]][0] != collection[name][0]]
        mean_known = {a: np.mean([scores[names[j]][a] for j in known]) for a in CANDIDATES}
        global_best = max(mean_known, key=mean_known.get)
        scale = features[known].std(0) + 1e-9  # standardize each meta-feature over the known data sets
        distances = np.linalg.norm((features[known] - features[i]) / scale, axis=1)
        neighbour = names[known[int(np.argmin(distances))]]
        recommended = max(scores[neighbour], key=scores[neighbour].get)
        rows.append({"data set": name, "neighbour": neighbour, "global best": global_best,
                     "recommended": recommended, "global best accuracy": scores[name][global_best],
                     "recommended accuracy": scores[name][recommended],
                     "oracle accuracy": max(scores[name].values())})
    return rows


def run(labels_per_class: int = 5, seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> TechniqueResult:
    """Mean accuracy over data sets: always the globally best algorithm vs the meta-feature recommendation (Q30)."""
    tables = [recommend(labels_per_class, seed) for seed in tqdm(seeds, desc="seeds", disable=not progress)]
    baseline = [float(np.mean([r["global best accuracy"] for r in rows])) for rows in tables]
    result = [float(np.mean([r["recommended accuracy"] for r in rows])) for rows in tables]
    oracle = [float(np.mean([r["oracle accuracy"] for r in rows])) for rows in tables]
    return TechniqueResult("meta-learning", "globally best algorithm", "meta-feature recommendation", baseline,
                           result, list(seeds), labels_per_class, {"oracle (best per data set)": oracle,
                                                                   "table, first seed": tables[0]})
