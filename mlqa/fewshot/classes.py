"""Base and novel classes for few-shot learning, made offline from scikit-learn's bundled 8x8 digits (Q3).

Two constructions. `pair_classes`: 100 two-digit classes "00" .. "99", each image a digit placed beside another
(8x16 pixels); 70 base classes for meta-training and 30 novel ones for testing, and the single-digit images behind
the two sets come from disjoint halves of the data, so no test image was ever seen. `rotated_classes`: the old
control, 5 base digits (0-4) turned into 40 classes by rotations and mirror flips, tested on the digits 5-9.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from sklearn.datasets import load_digits

BASE_DIGITS = (0, 1, 2, 3, 4)
NOVEL_DIGITS = (5, 6, 7, 8, 9)


@dataclass
class ClassSet:
    """Images of several classes, shape (classes, images per class, pixels), and a name per class (Q3)."""

    images: np.ndarray
    names: list[str]

    def __len__(self) -> int:
        return len(self.names)


def digit_images_by_class(classes: Sequence[int] = tuple(range(10))) -> list[np.ndarray]:
    """The bundled digits of each class as (n, 8, 8) float32 arrays scaled to [0, 1] (Q3)."""
    if not set(classes) <= set(range(10)):
        raise ValueError(f"digit classes lie in 0..9, got {sorted(set(classes) - set(range(10)))}")
    X, y = load_digits(return_X_y=True)
    images = (X / 16.0).astype(np.float32).reshape(-1, 8, 8)
    return [images[y == c] for c in classes]


def equal_size(images_by_class: list[np.ndarray], names: Sequence[str]) -> ClassSet:
    """Stack classes into one array, keeping the first n images of each (n = the smallest class) (Q3)."""
    n = min(len(images) for images in images_by_class)
    return ClassSet(np.stack([images[:n].reshape(n, -1) for images in images_by_class]), list(names))


def split_pairs(n_base: int = 70, seed: int = 0) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The 100 ordered digit pairs shuffled by `seed` into `n_base` base pairs and the rest as novel pairs (Q3)."""
    if not 5 <= n_base <= 95:
        raise ValueError(f"n_base must lie in 5..95 so both sides keep 5 classes, got {n_base}")
    pairs = [(a, b) for a in range(10) for b in range(10)]
    order = np.random.default_rng(seed).permutation(100)
    return [pairs[i] for i in order[:n_base]], [pairs[i] for i in order[n_base:]]


def pair_classes(pairs: Sequence[tuple[int, int]], half: int, per_class: int = 40, seed: int = 0) -> ClassSet:
    """Two-digit classes: `per_class` images (8x16) of digit a beside digit b, from one half of the digits (Q3).

    half=0 uses the even-indexed images of every digit, half=1 the odd-indexed ones, so base and novel classes
    built from different halves share no single-digit image.
    """
    if half not in (0, 1):
        raise ValueError(f"half must be 0 or 1, got {half}")
    digits = [images[half::2] for images in digit_images_by_class()]
    rng = np.random.default_rng(seed)
    classes = []
    for a, b in pairs:
        left = digits[a][rng.integers(0, len(digits[a]), per_class)]
        right = digits[b][rng.integers(0, len(digits[b]), per_class)]
        classes.append(np.concatenate([left, right], axis=2).reshape(per_class, 128))
    return ClassSet(np.stack(classes), [f"{a}{b}" for a, b in pairs])


def base_and_novel_pairs(n_base: int = 70, per_class: int = 40, seed: int = 0) -> tuple[ClassSet, ClassSet]:
    """Meta-training classes (base pairs, first image half) and test classes (novel pairs, second half) (Q3)."""
    base_pairs, novel_pairs = split_pairs(n_base, seed)
    return pair_classes(base_pairs, 0, per_class, seed), pair_classes(novel_pairs, 1, per_class, seed + 1)


def rotated_classes(images_by_class: list[np.ndarray]) -> list[np.ndarray]:
    """Turn each class into 8 classes: its 4 rotations, with and without a mirror flip (Q3)."""
    classes = []
    for images in images_by_class:
        for flipped in (images, images[:, :, ::-1]):
            classes += [np.ascontiguousarray(np.rot90(flipped, k, axes=(1, 2))) for k in range(4)]
    return classes


def rotated_digit_classes() -> tuple[ClassSet, ClassSet]:
    """The old control: 40 rotated and mirrored classes of the digits 0-4, tested on the digits 5-9 (Q3)."""
    base = rotated_classes(digit_images_by_class(BASE_DIGITS))
    names = [f"{d}/{t}" for d in BASE_DIGITS for t in range(8)]
    return equal_size(base, names), equal_size(digit_images_by_class(NOVEL_DIGITS), [str(d) for d in NOVEL_DIGITS])
