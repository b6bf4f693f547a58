"""Multi-modal learning: two views of a digit joined by a contrastive matching loss, and its shortcut (Q30).

Written in torch. The two "modalities" are the left and right halves of each 8x8 digit. As in CLIP (Radford et al.,
2021), two encoders are trained on the unlabeled pool so that each left half picks out its own right half among a
batch (a symmetric InfoNCE loss); a linear probe on the joined embeddings then uses the few labels. The rival
optimizes the target directly: logistic regression on the labeled pixels. Adjacent columns of a digit are nearly
equal, so matching can succeed from the edge pixels alone, a shortcut that says little about the digit. We measure
it: matching accuracy with the two edge columns blanked, and views with a two-column gap between them.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.linear_model import LogisticRegression
from torch import nn
from tqdm.auto import tqdm

from mlqa.limited.data import Split, TechniqueResult, digits_split
from mlqa.limited.nets import one_thread

VIEW_COLUMNS = {"halves": ((0, 1, 2, 3), (4, 5, 6, 7)), "gapped": ((0, 1, 2), (5, 6, 7))}


def two_views(X: np.ndarray, columns: tuple[tuple[int, ...], tuple[int, ...]]) -> tuple[np.ndarray, np.ndarray]:
    """Split flattened 8x8 images into two views made of the given pixel columns (Q30)."""
    images = X.reshape(-1, 8, 8)
    return tuple(np.ascontiguousarray(images[:, :, list(cols)].reshape(len(X), -1)) for cols in columns)


def view_encoder(n_inputs: int, embedding: int = 32) -> nn.Sequential:
    """One view's encoder: pixels -> 64 ReLU units -> embedding (Q30)."""
    return nn.Sequential(nn.Linear(n_inputs, 64), nn.ReLU(), nn.Linear(64, embedding))


def matching_logits(encoders: nn.ModuleList, left: torch.Tensor, right: torch.Tensor,
                    temperature: float = 0.1) -> torch.Tensor:
    """Cosine similarity of every left embedding with every right embedding, over the temperature (Q30)."""
    a, b = (F.normalize(encoder(view), dim=1) for encoder, view in zip(encoders, (left, right)))
    return a @ b.T / temperature


def train_contrastive(left: np.ndarray, right: np.ndarray, steps: int = 300, batch_size: int = 256,
                      seed: int = 0) -> nn.ModuleList:
    """Train both encoders with the symmetric InfoNCE loss on unlabeled pairs (Q30)."""
    torch.manual_seed(seed)
    encoders = nn.ModuleList([view_encoder(left.shape[1]), view_encoder(right.shape[1])])
    optimizer = torch.optim.Adam(encoders.parameters(), lr=1e-3)
    left_t, right_t = torch.as_tensor(left), torch.as_tensor(right)
    for _ in range(steps):
        batch = torch.randperm(len(left_t))[:batch_size]
        logits = matching_logits(encoders, left_t[batch], right_t[batch])
        targets = torch.arange(len(batch))
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


@torch.no_grad()
def probe_accuracy(encoders: nn.ModuleList, split: Split, columns: tuple[tuple[int, ...], tuple[int, ...]]) -> float:
    """Logistic regression on the joined frozen embeddings of the few labeled images (Q30)."""
    def embed(X: np.ndarray) -> np.ndarray:
        return torch.cat([encoder(torch.as_tensor(view)) for encoder, view in
                          zip(encoders, two_views(X, columns))], dim=1).numpy()
    probe = LogisticRegression(max_iter=2000).fit(embed(split.X_labeled), split.y_labeled)
    return float(probe.score(embed(split.X_test), split.y_test))


def compare_views(split: Split, seed: int = 0) -> dict[str, float]:
    """Direct supervised accuracy against contrastive pretraining + probe, with shortcut diagnostics (Q30)."""
    direct = LogisticRegression(max_iter=1000).fit(split.X_labeled, split.y_labeled)
    scores = {"direct (logistic regression on pixels)": float(direct.score(split.X_test, split.y_test))}
    with one_thread():
        for name, columns in VIEW_COLUMNS.items():
            encoders = train_contrastive(*two_views(split.X_pool, columns), seed=seed)
            scores[f"contrastive {name} + probe"] = probe_accuracy(encoders, split, columns)
            test_views = two_views(split.X_test, columns)
            scores[f"matching accuracy, {name}"] = matching_accuracy(encoders, *test_views)
            if name == "halves":
                scores["matching accuracy, halves, edge columns blanked"] = matching_accuracy(
                    encoders, *test_views, blank=(3, 0))
    return scores


def run(labels_per_class: int = 5, seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> TechniqueResult:
    """Digits: logistic regression on the labels vs contrastive pretraining of two half-views plus a probe (Q30)."""
    scores = [compare_views(digits_split(labels_per_class, seed), seed)
              for seed in tqdm(seeds, desc="seeds", disable=not progress)]
    details = {name: [s[name] for s in scores] for name in scores[0]}
    return TechniqueResult("multi-modal", "direct (logistic regression on pixels)", "contrastive halves + probe",
                           details["direct (logistic regression on pixels)"],
                           details["contrastive halves + probe"], list(seeds), labels_per_class, details)
