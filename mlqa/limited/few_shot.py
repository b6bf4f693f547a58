"""Few-shot learning: prototypical networks on digit classes never seen in training (Q30).

Written in torch (learn2learn, the usual library, does not build on Python 3.11). Following Snell et al. (2017),
an encoder is trained on N-way K-shot episodes drawn from the base digits 0-4; each class is summarised by the
mean embedding (prototype) of its K support images and a query goes to the nearest prototype. It is tested on
episodes of the novel digits 5-9 against the same nearest-prototype rule on raw pixels. With only 5 base classes
the encoder overfits them; mirroring and rotating every base digit makes 40 training classes, which helps a lot,
yet on 8x8 digits raw pixels stay ahead.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn
from tqdm.auto import tqdm

from mlqa.limited.data import TechniqueResult
from mlqa.limited.nets import one_thread

BASE_CLASSES = (0, 1, 2, 3, 4)
NOVEL_CLASSES = (5, 6, 7, 8, 9)


def digit_images_by_class(classes: Sequence[int]) -> list[np.ndarray]:
    """The bundled digits of each class as (n, 8, 8) arrays scaled to [0, 1] (Q30)."""
    X, y = load_digits(return_X_y=True)
    images = (X / 16.0).astype(np.float32).reshape(-1, 8, 8)
    return [images[y == c] for c in classes]


def rotated_classes(images_by_class: list[np.ndarray]) -> list[np.ndarray]:
    """Turn each class into 8 classes: its 4 rotations, with and without a mirror flip (Q30)."""
    classes = []
    for images in images_by_class:
        for flipped in (images, images[:, :, ::-1]):
            classes += [np.ascontiguousarray(np.rot90(flipped, k, axes=(1, 2))) for k in range(4)]
    return classes


def sample_episode(classes: list[np.ndarray], n_way: int, k_shot: int, n_query: int,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Support (n_way, k_shot, 64) and query (n_way, n_query, 64) images of `n_way` random classes (Q30)."""
    if n_way > len(classes):
        raise ValueError(f"n_way={n_way} needs at least {n_way} classes, got {len(classes)}")
    support, query = [], []
    for c in rng.choice(len(classes), n_way, replace=False):
        if k_shot + n_query > len(classes[c]):
            raise ValueError(f"k_shot + n_query = {k_shot + n_query} exceeds the {len(classes[c])} images of a class")
        idx = rng.choice(len(classes[c]), k_shot + n_query, replace=False)
        images = classes[c].reshape(len(classes[c]), 64)
        support.append(images[idx[:k_shot]])
        query.append(images[idx[k_shot:]])
    return np.stack(support), np.stack(query)


def random_shift(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Shift each flattened 8x8 image by up to one pixel in each direction, filling with zeros (Q30)."""
    n = len(images)
    padded = np.pad(images.reshape(n, 8, 8), ((0, 0), (1, 1), (1, 1)))
    dy, dx = rng.integers(0, 3, size=(2, n))
    rows = (dy[:, None] + np.arange(8))[:, :, None]
    cols = (dx[:, None] + np.arange(8))[:, None, :]
    return padded[np.arange(n)[:, None, None], rows, cols].reshape(n, 64)


def mlp_encoder(hidden: int = 128, embedding: int = 64) -> nn.Module:
    """The embedding network: flattened 8x8 pixels -> hidden ReLU layer -> embedding (Q30)."""
    return nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, embedding))


def prototype_logits(encoder: nn.Module, support: np.ndarray, query: np.ndarray) -> torch.Tensor:
    """Negative squared distances from each query embedding to each class prototype (Q30)."""
    n_way, k_shot, dim = support.shape
    prototypes = encoder(torch.from_numpy(support.reshape(-1, dim))).reshape(n_way, k_shot, -1).mean(1)
    queries = encoder(torch.from_numpy(query.reshape(-1, dim)))
    return -torch.cdist(queries, prototypes) ** 2


def train_prototypical(classes: list[np.ndarray], encoder: nn.Module, episodes: int = 1000, n_way: int = 20,
                       k_shot: int = 5, n_query: int = 5, lr: float = 1e-3, seed: int = 0,
                       progress: bool = False) -> nn.Module:
    """Train `encoder` on random N-way K-shot episodes with one-pixel shift augmentation (Q30)."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    optimizer = torch.optim.Adam(encoder.parameters(), lr=lr)
    targets = torch.arange(n_way).repeat_interleave(n_query)
    for _ in tqdm(range(episodes), desc="episodes", disable=not progress):
        support, query = sample_episode(classes, n_way, k_shot, n_query, rng)
        support = random_shift(support.reshape(-1, 64), rng).reshape(support.shape)
        query = random_shift(query.reshape(-1, 64), rng).reshape(query.shape)
        loss = F.cross_entropy(prototype_logits(encoder, support, query), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return encoder


@torch.no_grad()
def episode_accuracy(encoder: nn.Module, classes: list[np.ndarray], n_way: int = 5, k_shot: int = 5,
                     n_query: int = 15, episodes: int = 200, seed: int = 0) -> float:
    """Mean query accuracy of nearest-prototype classification over random test episodes (Q30)."""
    rng = np.random.default_rng(seed)
    targets = torch.arange(n_way).repeat_interleave(n_query)
    correct = [(prototype_logits(encoder, *sample_episode(classes, n_way, k_shot, n_query, rng)).argmax(1)
                == targets).float().mean().item() for _ in range(episodes)]
    return float(np.mean(correct))


def run(labels_per_class: int = 5, seeds: Sequence[int] = (0, 1, 2), progress: bool = False,
        episodes: int = 800) -> TechniqueResult:
    """5-way `labels_per_class`-shot accuracy on novel digits: raw-pixel prototypes vs prototypical networks (Q30)."""
    base, novel = digit_images_by_class(BASE_CLASSES), digit_images_by_class(NOVEL_CLASSES)
    raw, plain, rotated = [], [], []
    for seed in tqdm(seeds, desc="seeds", disable=not progress):
        raw.append(episode_accuracy(nn.Identity(), novel, k_shot=labels_per_class, seed=seed))
        with one_thread():
            torch.manual_seed(seed)
            encoder = train_prototypical(base, mlp_encoder(), episodes, n_way=5, seed=seed)
            plain.append(episode_accuracy(encoder, novel, k_shot=labels_per_class, seed=seed))
            torch.manual_seed(seed)
            encoder = train_prototypical(rotated_classes(base), mlp_encoder(), episodes, n_way=20, seed=seed)
            rotated.append(episode_accuracy(encoder, novel, k_shot=labels_per_class, seed=seed))
    return TechniqueResult("few-shot", "nearest prototype, raw pixels", "protonet, 40 rotated classes", raw,
                           rotated, list(seeds), labels_per_class, {"protonet, 5 base classes": plain})
