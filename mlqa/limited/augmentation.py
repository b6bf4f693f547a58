"""Technique 2, bootstrapping the data: augmentation and synthetic samples for few-label digits (Q30).

Uses numpy, scipy.ndimage and scikit-learn models. Shifts, small rotations and pixel noise make new images
from each labeled one; "interpolation" makes synthetic samples between two images of the same class (a
SMOTE-like rule). Whether a transform helps depends on whether the model can use the invariance it encodes.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from scipy import ndimage
from tqdm.auto import tqdm

from mlqa.limited.data import TechniqueResult, digits_split
from mlqa.limited.models import MODELS, make_model

Augmenter = Callable[[np.ndarray, np.ndarray, np.random.Generator], tuple[np.ndarray, np.ndarray]]


def _images(X: np.ndarray) -> np.ndarray:
    return X.reshape(-1, 8, 8)


def shift_images(X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Add four copies of each image moved one pixel up, down, left and right (zeros fill in) (Q30)."""
    moved = [ndimage.shift(_images(X), (0, dr, dc), order=0, mode="constant")
             for dr, dc in [(1, 0), (-1, 0), (0, 1), (0, -1)]]
    return np.concatenate([X] + [m.reshape(len(X), -1) for m in moved]), np.tile(y, 5)


def rotate_images(X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Add two copies of each image rotated by -15 and +15 degrees (Q30)."""
    turned = [np.clip(ndimage.rotate(_images(X), angle, axes=(1, 2), reshape=False, order=1), 0, 1)
              for angle in (-15, 15)]
    return np.concatenate([X] + [t.reshape(len(X), -1) for t in turned]), np.tile(y, 3)


def add_noise(X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Add four copies of each image with Gaussian pixel noise (sd 0.1, clipped to [0, 1]) (Q30)."""
    noisy = [np.clip(X + rng.normal(0, 0.1, X.shape), 0, 1) for _ in range(4)]
    return np.concatenate([X] + noisy), np.tile(y, 5)


def interpolate_same_class(X: np.ndarray, y: np.ndarray,
                           rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Add four synthetic samples per image, each a random mix of two images of the same class (Q30)."""
    new_X, new_y = [X], [y]
    for label in np.unique(y):
        members = X[y == label]
        n_new = 4 * len(members)
        first, second = rng.integers(0, len(members), (2, n_new))
        weight = rng.uniform(0, 1, (n_new, 1))
        new_X.append(weight * members[first] + (1 - weight) * members[second])
        new_y.append(np.full(n_new, label))
    return np.concatenate(new_X), np.concatenate(new_y)


AUGMENTERS: dict[str, Augmenter] = {
    "none": lambda X, y, rng: (X, y),
    "shifts": shift_images,
    "rotations": rotate_images,
    "noise": add_noise,
    "same-class interpolation": interpolate_same_class,
}


def augmentation_grid(labels_per_class: int = 5, seeds: Sequence[int] = (0, 1, 2),
                      model_names: Sequence[str] = tuple(MODELS), progress: bool = False,
                      ) -> dict[tuple[str, str], np.ndarray]:
    """Test accuracy per seed for every (model, augmentation) pair (Q30)."""
    grid = {(m, a): np.zeros(len(seeds)) for m in model_names for a in AUGMENTERS}
    for i, seed in enumerate(tqdm(seeds, desc="augmentation", disable=not progress)):
        split = digits_split(labels_per_class, seed)
        for aug_name, augment in AUGMENTERS.items():
            X_aug, y_aug = augment(split.X_labeled, split.y_labeled, np.random.default_rng(seed))
            for model_name in model_names:
                model = make_model(model_name).fit(X_aug, y_aug)
                grid[model_name, aug_name][i] = model.score(split.X_test, split.y_test)
    return grid


def run(labels_per_class: int = 5, seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> TechniqueResult:
    """An RBF SVM on the k labels per class against the same SVM on shift-augmented labels (Q30)."""
    grid = augmentation_grid(labels_per_class, seeds, progress=progress)
    model = "SVM (RBF)"
    gains = {f"{m} + {a}": float(np.mean(grid[m, a] - grid[m, "none"]))
             for m in MODELS for a in AUGMENTERS if a != "none"}
    return TechniqueResult("augmentation", model, f"{model} + shifts", grid[model, "none"].tolist(),
                           grid[model, "shifts"].tolist(), list(seeds), labels_per_class,
                           {"gain_by_model_and_augmentation": gains})
