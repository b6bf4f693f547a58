"""Multi-modal learning: two views of a digit joined by a contrastive matching loss, and its shortcut (Q30).

Written in torch. As in CLIP (Radford et al., 2021), two encoders are trained on the unlabeled pool so that each
view picks out its partner among a batch (a symmetric InfoNCE loss); a linear probe on the joined embeddings then
uses the few labels. The main pair of "modalities" shares meaning but not pixels: the 8x8 image and its row and
column ink profiles (16 numbers, as a cheap line sensor would give). The control is the old pair that shares an
edge, the left and right halves of the image: matching succeeds from the two touching columns alone, a shortcut
that says little about the digit (blanking those columns shows it; views with a gap remove it). Rivals: logistic
regression on the labeled pixels, and the same probe on untrained encoders.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.linear_model import LogisticRegression
from torch import nn
from tqdm.auto import tqdm

from mlqa.limited.data import Split, TechniqueResult, digits_split
from mlqa.utils import torch_threads


def augment(X: np.ndarray, rng: np.random.Generator, hide: float = 0.25) -> np.ndarray:
    """Shift each flattened 8x8 image by up to one pixel each way and hide a random `hide` of its pixels (Q30)."""
    n = len(X)
    padded = np.pad(X.reshape(n, 8, 8), ((0, 0), (1, 1), (1, 1)))
    dy, dx = rng.integers(0, 3, size=(2, n))
    rows = (dy[:, None] + np.arange(8))[:, :, None]
    cols = (dx[:, None] + np.arange(8))[:, None, :]
    shifted = padded[np.arange(n)[:, None, None], rows, cols].reshape(n, 64)
    return (shifted * (rng.random((n, 64)) >= hide)).astype(np.float32)


def augmented_pair(X: np.ndarray, rng: np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Two independently augmented copies of each image; without `rng` (at probe time) the image twice (Q30)."""
    if rng is None:
        return np.ascontiguousarray(X, dtype=np.float32), np.ascontiguousarray(X, dtype=np.float32)
    return augment(X, rng), augment(X, rng)


def halves(X: np.ndarray, rng: np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The left and right four pixel columns of each flattened 8x8 image (Q30)."""
    images = X.reshape(-1, 8, 8)
    return (np.ascontiguousarray(images[:, :, :4].reshape(len(X), -1)),
            np.ascontiguousarray(images[:, :, 4:].reshape(len(X), -1)))


VIEWS: dict[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = {"augmented pairs": augmented_pair,
                                                                  "halves": halves}


def view_encoder(n_inputs: int, embedding: int = 32) -> nn.Sequential:
    """One view's encoder: inputs -> 64 ReLU units -> embedding (Q30)."""
    return nn.Sequential(nn.Linear(n_inputs, 64), nn.ReLU(), nn.Linear(64, embedding))


def matching_logits(encoders: nn.ModuleList, left: torch.Tensor, right: torch.Tensor,
                    temperature: float = 0.1) -> torch.Tensor:
    """Cosine similarity of every left embedding with every right embedding, over the temperature (Q30)."""
    a, b = (F.normalize(encoder(view), dim=1) for encoder, view in zip(encoders, (left, right)))
    return a @ b.T / temperature


def untrained_encoders(left: np.ndarray, right: np.ndarray, seed: int = 0) -> nn.ModuleList:
    """The two encoders at their random initialisation: the control for contrastive training (Q30)."""
    torch.manual_seed(seed)
    return nn.ModuleList([view_encoder(left.shape[1]), view_encoder(right.shape[1])]).eval()


def train_contrastive(X: np.ndarray, views: Callable[..., tuple[np.ndarray, np.ndarray]], steps: int = 300,
                      batch_size: int = 256, seed: int = 0) -> nn.ModuleList:
    """Train both encoders with the symmetric InfoNCE loss on views of unlabeled images drawn anew each step (Q30)."""
    rng = np.random.default_rng(seed)
    encoders = untrained_encoders(*views(X[:1]), seed=seed).train()
    optimizer = torch.optim.Adam(encoders.parameters(), lr=1e-3)
    for _ in range(steps):
        left, right = views(X[rng.choice(len(X), size=min(batch_size, len(X)), replace=False)], rng)
        logits = matching_logits(encoders, torch.as_tensor(left), torch.as_tensor(right))
        targets = torch.arange(len(left))
        loss = (F.cross_entropy(logits, targets) + F.cross_entropy(logits.T, targets)) / 2
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return encoders.eval()


@torch.no_grad()
def matching_accuracy(encoders: nn.ModuleList, left: np.ndarray, right: np.ndarray, batch_size: int = 100,
                      blank: tuple[int, int] | None = None) -> float:
    """How often a left view picks its own right view among `batch_size`; `blank` zeroes two columns first (Q30)."""
    left, right = left.copy(), right.copy()
    if blank is not None:  # (last column of the left view, first column of the right view)
        left.reshape(len(left), 8, -1)[:, :, blank[0]] = 0
        right.reshape(len(right), 8, -1)[:, :, blank[1]] = 0
    hits = []
    for start in range(0, len(left) - batch_size + 1, batch_size):
        logits = matching_logits(encoders, torch.as_tensor(left[start:start + batch_size]),
                                 torch.as_tensor(right[start:start + batch_size]))
        hits.append((logits.argmax(1) == torch.arange(batch_size)).float().mean().item())
    return float(np.mean(hits))


def first_per_class(split: Split, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The first `k` labeled images of every class in `split` (Q30)."""
    keep = np.concatenate([np.flatnonzero(split.y_labeled == c)[:k] for c in np.unique(split.y_labeled)])
    if min(np.sum(split.y_labeled == c) for c in np.unique(split.y_labeled)) < k:
        raise ValueError(f"asked for {k} labels per class, the split holds only "
                         f"{np.bincount(split.y_labeled).min()} of some class")
    return split.X_labeled[keep], split.y_labeled[keep]


@torch.no_grad()
def probe_accuracy(encoders: nn.ModuleList, split: Split, views: Callable, k: int) -> float:
    """Logistic regression on both encoders' joined hidden features (before the last layer) for k labels/class (Q30)."""
    def embed(X: np.ndarray) -> np.ndarray:
        return torch.cat([encoder[:2](torch.as_tensor(view)) for encoder, view in zip(encoders, views(X))],
                         dim=1).numpy()
    X, y = first_per_class(split, k)
    probe = LogisticRegression(max_iter=2000).fit(embed(X), y)
    return float(probe.score(embed(split.X_test), split.y_test))


def compare_views(split: Split, seed: int = 0, shots: Sequence[int] = (1, 2, 5)) -> dict[str, float]:
    """Direct training against contrastive pretraining + probe at each k, with shortcut diagnostics (Q30)."""
    scores = {}
    for k in shots:
        X, y = first_per_class(split, k)
        direct = LogisticRegression(max_iter=1000).fit(X, y)
        scores[f"direct (logistic regression on pixels), k={k}"] = float(direct.score(split.X_test, split.y_test))
    with torch_threads():
        for name, views in VIEWS.items():
            trained = train_contrastive(split.X_pool, views, seed=seed)
            test_views = views(split.X_test, np.random.default_rng(seed)) if name == "augmented pairs" else \
                views(split.X_test)
            scores[f"matching accuracy, {name}"] = matching_accuracy(trained, *test_views)
            for k in shots:
                scores[f"contrastive {name} + probe, k={k}"] = probe_accuracy(trained, split, views, k)
            if name == "augmented pairs":
                for k in shots:
                    scores[f"untrained encoders + probe, k={k}"] = probe_accuracy(
                        untrained_encoders(*views(split.X_pool[:1]), seed=seed), split, views, k)
            if name == "halves":
                scores["matching accuracy, halves, edge columns blanked"] = matching_accuracy(
                    trained, *test_views, blank=(3, 0))
    return scores


def run(labels_per_class: int = 5, seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> TechniqueResult:
    """Logistic regression vs contrastive pretraining on augmented pairs plus a probe, k = 1, 2, 5 (Q30)."""
    shots = sorted({1, 2, labels_per_class})
    scores = [compare_views(digits_split(labels_per_class, seed), seed, shots)
              for seed in tqdm(seeds, desc="seeds", disable=not progress)]
    details = {name: [s[name] for s in scores] for name in scores[0]}
    k = labels_per_class
    return TechniqueResult("multi-modal", "direct (logistic regression on pixels)",
                           "contrastive augmented pairs, probe",
                           details[f"direct (logistic regression on pixels), k={k}"],
                           details[f"contrastive augmented pairs + probe, k={k}"], list(seeds), k, details)
