"""What train-time augmentation does to the train-validation gap and test accuracy at small data (Q5).

Q6's data and model (5 training digits per class, a 2x128 ReLU MLP) trained full-batch with Adam for 200 epochs
at lr 0.003 (at Q6's 0.01 an augmented model's accuracy jumps by several points from step to step), one model per
(augmentation, seed) in one stacked run; every arm gets the same data, initialisation, epochs and learning rate,
and differs only in the random transform applied to its training images before each step. Accuracies and losses
are measured on the clean images. A separate check asks whether a transform keeps the label at all: an RBF SVM
trained on half of the digits classifies transformed images of the other half.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

from mlqa.regularization.data import digits_overfit_split
from mlqa.regularization.data_augmentation import Augmentation, augment, stacked_augmenter
from mlqa.regularization.overfitting import SETUP, MethodResult
from mlqa.regularization.training import StackedMLP, fit_stacked, stack_splits, stacked_accuracy
from mlqa.utils import get_device, torch_threads

AUGMENTATIONS: dict[str, Augmentation] = {
    "none": Augmentation(),
    "shifts (±0.5 px)": Augmentation(shift=0.5),
    "rotations (±10°)": Augmentation(degrees=10),
    "noise (sd 0.05)": Augmentation(noise=0.05),
    "shifts + rotations + noise": Augmentation(shift=0.5, degrees=10, noise=0.05),
    "left-right flips (p 0.5)": Augmentation(flip=0.5),
}
COMBINED = AUGMENTATIONS["shifts + rotations + noise"]
EPOCHS, LR = 200, 3e-3


def scaled(augmentation: Augmentation, strength: float) -> Augmentation:
    """The same augmentation with its shift, rotation and noise multiplied by `strength` (Q5)."""
    if strength < 0:
        raise ValueError(f"strength must be non-negative, got {strength}")
    return Augmentation(augmentation.shift * strength, augmentation.degrees * strength, augmentation.noise * strength,
                        augmentation.flip)


def augmentation_comparison(arms: Mapping[str, Augmentation] = AUGMENTATIONS, seeds: Sequence[int] = (0, 1, 2, 3, 4),
                            train_per_class: int = SETUP["train_per_class"], epochs: int = EPOCHS, lr: float = LR,
                            device: torch.device | str | None = None, progress: bool = False
                            ) -> dict[str, MethodResult]:
    """Train, validation and test accuracy and losses of the setup's MLP under each augmentation, per seed (Q5)."""
    if not arms or not seeds:
        raise ValueError(f"need at least one arm and one seed, got {len(arms)} arms and {len(seeds)} seeds")
    device = torch.device(device) if device is not None else get_device()
    names = list(arms)
    rows = [(name, i) for i in range(len(seeds)) for name in names]
    splits = [digits_overfit_split(train_per_class, SETUP["val_size"], seed) for seed in seeds]
    with torch_threads():
        data = stack_splits(splits, [i for _, i in rows], device)
        model = StackedMLP([seeds[i] for _, i in rows], hidden=SETUP["hidden"]).to(device)
        history = fit_stacked(model, data, epochs=epochs, lr=lr, progress=progress,
                              augment=stacked_augmenter([arms[name] for name, _ in rows], seeds[0], device))
        test_acc = stacked_accuracy(model, data["X_test"], data["y_test"])
    n_parameters = sum(p[0].numel() for p in model.parameters())
    results = {}
    for name in names:
        at = [k for k, (row_name, _) in enumerate(rows) if row_name == name]
        results[name] = MethodResult(name, history.train_acc[-1, at], history.val_acc[-1, at], test_acc[at],
                                     history.train_loss[-1, at], history.val_loss[-1, at], n_parameters)
    return results


def oracle_readings(arms: Mapping[str, Augmentation] = AUGMENTATIONS,
                    seed: int = 0) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """True labels of held-out digits and, per augmentation, what an SVM fit on clean digits reads them as (Q5)."""
    if not arms:
        raise ValueError("need at least one augmentation, got none")
    X, y = load_digits(return_X_y=True)
    X_fit, X_held, y_fit, y_held = train_test_split((X / 16.0).astype(np.float32), y, test_size=0.5, stratify=y,
                                                    random_state=seed)
    oracle = SVC(gamma="scale").fit(X_fit, y_fit)
    images = torch.as_tensor(X_held)
    readings = {}
    for name, a in arms.items():
        generator = torch.Generator().manual_seed(seed)
        readings[name] = oracle.predict(augment(images, a.shift, a.degrees, a.noise, a.flip, generator).numpy())
    return y_held, readings


def label_preservation(arms: Mapping[str, Augmentation] = AUGMENTATIONS, seed: int = 0) -> dict[str, np.ndarray]:
    """Per class, the fraction of transformed held-out digits an SVM fit on clean digits still labels right (Q5)."""
    y_held, readings = oracle_readings(arms, seed)
    return {name: np.array([np.mean(read[y_held == c] == c) for c in range(10)]) for name, read in readings.items()}
