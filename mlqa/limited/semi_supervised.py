"""Semi-supervised learning: label spreading and pseudo-labeling, ours and scikit-learn's, on one split (Q30).

Both are written here in numpy on top of scikit-learn's neighbour search and logistic regression, then compared with
scikit-learn's maintained `LabelSpreading` and `SelfTrainingClassifier` on the same labeled set and unlabeled pool.
Label spreading follows Zhou et al. (2004): labels flow along a k-nearest-neighbour graph of all training points.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors, kneighbors_graph
from sklearn.semi_supervised import LabelSpreading, SelfTrainingClassifier
from tqdm.auto import tqdm

from mlqa.limited.data import Split, TechniqueResult, digits_split


def spread_labels(X: np.ndarray, y: np.ndarray, n_neighbors: int = 7, alpha: float = 0.2, iterations: int = 30,
                  graph: str = "symmetric") -> np.ndarray:
    """Label distributions for every row of X; y holds a class index or -1 for unlabeled rows (Q30).

    graph="symmetric": an edge wherever either point is among the other's `n_neighbors` nearest (Zhou et al.).
    graph="directed": scikit-learn's choice, each point's `n_neighbors` nearest counting itself, edges one way,
    normalised by in-degree, self-loops dropped after normalising.
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie in (0, 1), got {alpha}")
    if graph not in ("symmetric", "directed"):
        raise ValueError(f"graph must be 'symmetric' or 'directed', got {graph!r}")
    classes = np.unique(y[y >= 0])
    if graph == "symmetric":
        edges = kneighbors_graph(X, n_neighbors, include_self=False).toarray()
        affinity = np.maximum(edges, edges.T)
    else:
        affinity = kneighbors_graph(X, n_neighbors, include_self=True).toarray()
    inv_sqrt_degree = 1.0 / np.sqrt(affinity.sum(0))
    normalized = affinity * inv_sqrt_degree[:, None] * inv_sqrt_degree[None, :]
    np.fill_diagonal(normalized, 0.0)
    seeds = (y[:, None] == classes[None, :]).astype(float)
    labels = seeds.copy()
    for _ in range(iterations):  # F <- alpha S F + (1 - alpha) Y converges to (1 - alpha)(I - alpha S)^-1 Y
        labels = alpha * normalized @ labels + (1 - alpha) * seeds
    return labels / np.maximum(labels.sum(1, keepdims=True), 1e-12)


def label_spreading_predict(split: Split, n_neighbors: int = 7, alpha: float = 0.2,
                            graph: str = "symmetric") -> np.ndarray:
    """Spread labels over labeled + pool, then label each test point by its neighbours' distributions (Q30)."""
    X_train = np.concatenate([split.X_labeled, split.X_pool])
    y_train = np.concatenate([split.y_labeled, -np.ones(len(split.X_pool), dtype=int)])
    distributions = spread_labels(X_train, y_train, n_neighbors, alpha, graph=graph)
    neighbors = NearestNeighbors(n_neighbors=n_neighbors).fit(X_train).kneighbors(split.X_test,
                                                                                  return_distance=False)
    classes = np.unique(split.y_labeled)
    return classes[distributions[neighbors].mean(1).argmax(1)]


def pseudo_label_fit(split: Split, threshold: float = 0.5, rounds: int = 3) -> LogisticRegression:
    """Self-training: refit on labeled + pool points whose predicted probability exceeds `threshold` (Q30)."""
    model = LogisticRegression(max_iter=1000).fit(split.X_labeled, split.y_labeled)
    for _ in range(rounds):
        probabilities = model.predict_proba(split.X_pool)
        confident = probabilities.max(1) >= threshold
        if not confident.any():
            break
        X = np.concatenate([split.X_labeled, split.X_pool[confident]])
        y = np.concatenate([split.y_labeled, model.classes_[probabilities[confident].argmax(1)]])
        model = LogisticRegression(max_iter=1000).fit(X, y)
    return model


def compare_methods(split: Split) -> dict[str, float]:
    """Test accuracy of supervised-only, our two methods and scikit-learn's two on one split (Q30)."""
    X_train = np.concatenate([split.X_labeled, split.X_pool])
    y_train = np.concatenate([split.y_labeled, -np.ones(len(split.X_pool), dtype=int)])
    supervised = LogisticRegression(max_iter=1000).fit(split.X_labeled, split.y_labeled)
    sk_spreading = LabelSpreading(kernel="knn", n_neighbors=7, alpha=0.2).fit(X_train, y_train)
    with np.errstate(invalid="ignore"):  # test points whose neighbours got no label mass divide 0 by 0 inside
        sk_spreading_accuracy = float(sk_spreading.score(split.X_test, split.y_test))
    sk_self_training = SelfTrainingClassifier(LogisticRegression(max_iter=1000), threshold=0.5,
                                              max_iter=3).fit(X_train, y_train)
    return {
        "supervised only": float(np.mean(supervised.predict(split.X_test) == split.y_test)),
        "our label spreading": float(np.mean(label_spreading_predict(split) == split.y_test)),
        "our label spreading, directed graph": float(np.mean(label_spreading_predict(split, graph="directed")
                                                             == split.y_test)),
        "sklearn LabelSpreading": sk_spreading_accuracy,
        "our pseudo-labeling": float(pseudo_label_fit(split).score(split.X_test, split.y_test)),
        "sklearn SelfTrainingClassifier": float(sk_self_training.score(split.X_test, split.y_test)),
    }


def run(labels_per_class: int = 5, seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> TechniqueResult:
    """Logistic regression on the labels alone vs our label spreading over the unlabeled pool (Q30)."""
    scores = [compare_methods(digits_split(labels_per_class, seed))
              for seed in tqdm(seeds, desc="seeds", disable=not progress)]
    table = {name: [s[name] for s in scores] for name in scores[0]}
    return TechniqueResult("semi-supervised", "supervised only", "our label spreading", table["supervised only"],
                           table["our label spreading"], list(seeds), labels_per_class, table)
