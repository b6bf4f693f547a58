"""N-way K-shot episodes and prototypical networks (Snell et al., 2017), vectorised over episodes (Q3).

Written in torch (learn2learn does not build on Python 3.11). Each class of an episode is summarised by the mean
embedding (prototype) of its K support images; a query goes to the nearest prototype in squared Euclidean
distance. Meta-training repeats this on random episodes of the base classes and backpropagates the query loss.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from tqdm.auto import tqdm

from mlqa.fewshot.classes import ClassSet


def sample_episodes(classes: ClassSet, n_way: int, k_shot: int, n_query: int, episodes: int,
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Support (E, N, K, d), query (E, N, Q, d) and the class indices (E, N) of E random episodes (Q3)."""
    n_classes, per_class, _ = classes.images.shape
    if not 2 <= n_way <= n_classes:
        raise ValueError(f"n_way={n_way} must lie in 2..{n_classes} (the number of classes)")
    if k_shot < 1 or n_query < 1 or k_shot + n_query > per_class:
        raise ValueError(f"k_shot={k_shot} and n_query={n_query} must be >= 1 and sum to at most the "
                         f"{per_class} images of a class")
    chosen = rng.random((episodes, n_classes)).argsort(1)[:, :n_way]
    picks = rng.random((episodes, n_way, per_class)).argsort(2)[:, :, :k_shot + n_query]
    images = classes.images[chosen[:, :, None], picks]
    return images[:, :, :k_shot], images[:, :, k_shot:], chosen


def mlp_encoder(n_inputs: int, hidden: int = 128, embedding: int = 64, seed: int = 0) -> nn.Sequential:
    """The embedding network: pixels -> `hidden` ReLU units -> `embedding` numbers (Q3)."""
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(n_inputs, hidden), nn.ReLU(), nn.Linear(hidden, embedding))


def prototype_logits(encoder: nn.Module, support: torch.Tensor, query: torch.Tensor) -> torch.Tensor:
    """Negative squared distances (E, N*Q, N) from each query embedding to its episode's prototypes (Q3)."""
    episodes, n_way, k_shot, dim = support.shape
    prototypes = encoder(support.reshape(-1, dim)).reshape(episodes, n_way, k_shot, -1).mean(2)
    queries = encoder(query.reshape(-1, dim)).reshape(episodes, -1, prototypes.shape[-1])
    return -torch.cdist(queries, prototypes) ** 2


def train_prototypical(classes: ClassSet, encoder: nn.Module, episodes: int = 1000, n_way: int = 20,
                       k_shot: int = 5, n_query: int = 5, lr: float = 1e-3, seed: int = 0,
                       progress: bool = False) -> nn.Module:
    """Meta-train `encoder` with Adam, one random N-way K-shot episode of `classes` per step (Q3)."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    optimizer = torch.optim.Adam(encoder.parameters(), lr=lr)
    targets = torch.arange(n_way).repeat_interleave(n_query)
    for _ in tqdm(range(episodes), desc="episodes", disable=not progress):
        support, query, _ = sample_episodes(classes, n_way, k_shot, n_query, 1, rng)
        logits = prototype_logits(encoder, torch.from_numpy(support), torch.from_numpy(query))[0]
        loss = F.cross_entropy(logits, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return encoder


@torch.no_grad()
def episode_accuracy(encoder: nn.Module, classes: ClassSet, n_way: int = 5, k_shot: int = 5, n_query: int = 15,
                     episodes: int = 300, seed: int = 0) -> float:
    """Mean query accuracy of nearest-prototype classification over random test episodes (Q3)."""
    support, query, _ = sample_episodes(classes, n_way, k_shot, n_query, episodes, np.random.default_rng(seed))
    logits = prototype_logits(encoder, torch.from_numpy(support), torch.from_numpy(query))
    targets = torch.arange(n_way).repeat_interleave(n_query)
    return float((logits.argmax(2) == targets).float().mean())


def pretrain_classifier(classes: ClassSet, encoder: nn.Module, steps: int = 300, lr: float = 1e-3,
                        batch_size: int = 128, seed: int = 0) -> nn.Module:
    """The transfer rival: `steps` mini-batches training `encoder` plus a linear head on all base classes (Q3).

    Afterwards the head is dropped and the encoder's features serve nearest-centroid classification of novel
    classes (Chen et al., 2019; Tian et al., 2020).
    """
    torch.manual_seed(seed)
    n_classes, per_class, dim = classes.images.shape
    X = torch.from_numpy(classes.images.reshape(-1, dim))
    y = torch.arange(n_classes).repeat_interleave(per_class)
    with torch.no_grad():
        width = encoder(X[:1]).shape[1]
    model = nn.Sequential(encoder, nn.ReLU(), nn.Linear(width, n_classes))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        batch = torch.randint(0, len(X), (batch_size,))
        loss = F.cross_entropy(model(X[batch]), y[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return encoder
