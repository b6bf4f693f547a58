"""Inductive biases: a small CNN against an MLP of about the same size, with a permuted-pixel control (Q30).

Written in torch. A convolution assumes that nearby pixels belong together and that a pattern means the same thing
wherever it appears; with few labels that prior replaces data. The control shuffles the 64 pixels with one fixed
permutation: an MLP does not care (its first layer simply permutes along), while the CNN loses its advantage, which
shows that the locality prior, not the parameter count, is what helps.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from mlqa.limited.data import Split, TechniqueResult, digits_split
from mlqa.limited.nets import accuracy, train_classifier
from mlqa.utils import torch_threads


def small_cnn(n_classes: int = 10, seed: int = 0) -> nn.Sequential:
    """Two 3x3 convolutions with max pooling on 8x8 images, then a linear head (~1.9 k parameters) (Q30)."""
    torch.manual_seed(seed)
    return nn.Sequential(nn.Unflatten(1, (1, 8, 8)),
                         nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(16 * 2 * 2, n_classes))


def small_mlp(n_classes: int = 10, hidden: int = 28, seed: int = 0) -> nn.Sequential:
    """64 pixels -> `hidden` ReLU units -> classes (~2.1 k parameters with hidden=28) (Q30)."""
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, n_classes))


def parameter_count(model: nn.Module) -> int:
    """Number of trainable parameters (Q30)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def permute_pixels(split: Split, seed: int = 0) -> Split:
    """The same split with the 64 pixels of every image shuffled by one fixed permutation (Q30)."""
    order = np.random.default_rng(seed).permutation(64)
    return Split(split.X_labeled[:, order], split.y_labeled, split.X_pool[:, order], split.y_pool,
                 split.X_test[:, order], split.y_test)


def compare_architectures(split: Split, seed: int = 0, epochs: int = 300) -> dict[str, float]:
    """Test accuracy of the CNN and the MLP on the original and on the pixel-permuted split (Q30)."""
    scores = {}
    with torch_threads():
        for view, data in (("pixels", split), ("permuted pixels", permute_pixels(split, seed))):
            for name, build in (("CNN", small_cnn), ("MLP", small_mlp)):
                model = train_classifier(build(seed=seed), data.X_labeled, data.y_labeled, epochs=epochs,
                                         seed=seed)
                scores[f"{name}, {view}"] = accuracy(model, data.X_test, data.y_test)
    return scores


def run(labels_per_class: int = 5, seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> TechniqueResult:
    """Digits with few labels: an MLP vs a CNN of about the same size, plus both on permuted pixels (Q30)."""
    scores = [compare_architectures(digits_split(labels_per_class, seed), seed)
              for seed in tqdm(seeds, desc="seeds", disable=not progress)]
    details = {name: [s[name] for s in scores] for name in scores[0]}
    return TechniqueResult("inductive-bias", "MLP", "CNN", details["MLP, pixels"], details["CNN, pixels"],
                           list(seeds), labels_per_class, details)
