"""Few-shot methods side by side on unseen classes, over seeds: raw pixels, random and trained encoders (Q3).

Every method classifies a query by its nearest class prototype (the mean of the K support images' features); they
differ only in the features: raw pixels, an untrained random encoder (the control every learned encoder must
beat), a prototypical network meta-trained on episodes of the base classes, and the same encoder pretrained as a
plain classifier of all base classes (Chen et al., 2019; Tian et al., 2020).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from torch import nn
from tqdm.auto import tqdm

from mlqa.fewshot.classes import ClassSet, base_and_novel_pairs, rotated_digit_classes
from mlqa.fewshot.protonet import (
    episode_accuracy,
    mlp_encoder,
    pretrain_classifier,
    sample_episodes,
    train_prototypical,
)

METHODS = ("raw pixels", "random encoder", "prototypical network", "pretrained classifier + centroids")
CONSTRUCTIONS = ("pairs", "rotated")


def class_sets(construction: str, seed: int = 0) -> tuple[ClassSet, ClassSet]:
    """Base and novel classes: 70/30 two-digit pairs, or the old control of rotated digits 0-4 vs 5-9 (Q3)."""
    if construction == "pairs":
        return base_and_novel_pairs(seed=seed)
    if construction == "rotated":
        return rotated_digit_classes()
    raise ValueError(f"unknown construction {construction!r}; known: {', '.join(CONSTRUCTIONS)}")


def trained_encoders(base: ClassSet, seed: int = 0, episodes: int = 300,
                     methods: Sequence[str] = METHODS) -> dict[str, nn.Module]:
    """The feature map of each of `methods`, the learned ones trained on `base` only (Q3)."""
    unknown = sorted(set(methods) - set(METHODS))
    if unknown:
        raise ValueError(f"unknown methods {unknown}; known: {', '.join(METHODS)}")
    dim = base.images.shape[2]
    build = {"raw pixels": lambda: nn.Identity(),
             "random encoder": lambda: mlp_encoder(dim, seed=seed),
             "prototypical network": lambda: train_prototypical(base, mlp_encoder(dim, seed=seed), episodes,
                                                                seed=seed),
             "pretrained classifier + centroids": lambda: pretrain_classifier(base, mlp_encoder(dim, seed=seed),
                                                                              seed=seed)}
    return {method: build[method]() for method in methods}


def compare_methods(construction: str = "pairs", shots: Sequence[int] = (1, 5), n_way: int = 5,
                    seeds: Sequence[int] = (0, 1, 2), episodes: int = 300, methods: Sequence[str] = METHODS,
                    progress: bool = False) -> dict[str, dict[int, list[float]]]:
    """N-way accuracy on novel classes, per method and K, one entry per seed (Q3)."""
    table: dict[str, dict[int, list[float]]] = {m: {k: [] for k in shots} for m in methods}
    for seed in tqdm(seeds, desc=f"few-shot, {construction}", disable=not progress):
        base, novel = class_sets(construction, seed)
        for k in shots:  # bad sizes fail here, before any training
            sample_episodes(novel, n_way, k, 15, 1, np.random.default_rng(seed))
        for method, encoder in trained_encoders(base, seed, episodes, methods).items():
            for k in shots:
                table[method][k].append(episode_accuracy(encoder, novel, n_way, k, seed=seed))
    return table


def meta_training_curve(checkpoints: Sequence[int] = (0, 30, 100, 300), k_shot: int = 5,
                        seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> np.ndarray:
    """5-way K-shot accuracy on novel pairs after each number of meta-training episodes, shape (seeds, points) (Q3).

    Checkpoint 0 is the untrained random encoder.
    """
    if any(c < 0 for c in checkpoints) or list(checkpoints) != sorted(checkpoints):
        raise ValueError(f"checkpoints must be increasing and >= 0, got {list(checkpoints)}")
    curves = []
    for seed in tqdm(seeds, desc="meta-training curve", disable=not progress):
        base, novel = base_and_novel_pairs(seed=seed)
        encoder, seen, curve = mlp_encoder(base.images.shape[2], seed=seed), 0, []
        for total in checkpoints:
            if total > seen:
                train_prototypical(base, encoder, total - seen, seed=seed + seen)
                seen = total
            curve.append(episode_accuracy(encoder, novel, k_shot=k_shot, seed=seed))
        curves.append(curve)
    return np.array(curves)


def accuracy_grid(ways: Sequence[int] = (2, 5, 10, 20), shots: Sequence[int] = (1, 2, 5, 10),
                  seed: int = 0, episodes: int = 300) -> dict[str, np.ndarray]:
    """Accuracy on novel pairs against N (rows) and K (columns) for raw pixels and a prototypical network (Q3)."""
    base, novel = base_and_novel_pairs(seed=seed)
    encoders = {"raw pixels": nn.Identity(),
                "prototypical network": train_prototypical(base, mlp_encoder(base.images.shape[2], seed=seed),
                                                           episodes, seed=seed)}
    return {name: np.array([[episode_accuracy(encoder, novel, n, k, episodes=100, seed=seed) for k in shots]
                            for n in ways]) for name, encoder in encoders.items()}
