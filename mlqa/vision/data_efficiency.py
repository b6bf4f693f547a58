"""Test accuracy of a small CNN and a small ViT against training-set size on digits, over seeds, with two
treatments for the ViT's data hunger at the smallest size: shift augmentation and supervised pretraining (Q13).

Every arm gets the same recipe (AdamW, cosine schedule, the same steps and batch size, the same learning rate);
only the data, the seed, the augmentation and the starting weights differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from mlqa.utils import use_style
from mlqa.vision.digits import DigitImages, digit_images, subset_indices, training_subset
from mlqa.vision.ensemble import Member, train_members
from mlqa.vision.small_models import small_cnn, small_vit
from mlqa.vision.training import accuracy

MODELS = {"CNN": small_cnn, "ViT": small_vit}


@dataclass
class DataEfficiency:
    """Accuracies (model -> array) by size and seed, the treatments at the smallest size, and trained ViTs (Q13)."""

    sizes: list[int]
    seeds: list[int]
    by_size: dict[str, np.ndarray] = field(default_factory=dict)  # (sizes, seeds)
    augmented: dict[str, np.ndarray] = field(default_factory=dict)  # (seeds,) at sizes[0]
    pretrained: dict[str, np.ndarray] = field(default_factory=dict)  # (seeds,) at sizes[0]
    largest_vit: nn.Module | None = None  # the ViT trained on sizes[-1] images, first seed

    def gap(self, arm: str = "by_size") -> np.ndarray:
        """CNN minus ViT accuracy per seed: by size (sizes, seeds), or at the smallest size for a treatment (Q13)."""
        table = getattr(self, arm)
        return table["CNN"] - table["ViT"]


def _head_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_parameters()][-2:]


def run_data_efficiency(sizes: tuple[int, ...] = (50, 200, 1257), seeds: tuple[int, ...] = (0, 1, 2), *,
                        steps: int = 300, batch_size: int = 32, lr: float = 3e-3, data: DigitImages | None = None,
                        device: torch.device | str = "cpu", progress: bool = True) -> DataEfficiency:
    """Train both models at every size and seed, plus augmented and pretrained arms at the smallest size (Q13).

    Pretraining uses, for each seed, every labeled pool image *outside* that seed's small training subset: a
    disjoint, larger labeled set of the same ten classes, fine-tuned on the small subset with a fresh head.
    """
    data = data or digit_images()
    result = DataEfficiency(list(sizes), list(seeds))
    smallest = sizes[0]
    for name, factory in MODELS.items():
        outside = []
        for seed in seeds:
            keep = np.ones(len(data.y_pool), dtype=bool)
            keep[subset_indices(data, smallest, seed)] = False
            outside.append(Member(data.x_pool[torch.from_numpy(keep)], data.y_pool[torch.from_numpy(keep)], seed + 100))
        pretrained = train_members(factory, outside, steps=steps, batch_size=batch_size, lr=lr, device=device,
                                   progress=progress)
        members = [Member(*training_subset(data, size, seed), seed) for size in sizes for seed in seeds]
        members += [Member(*training_subset(data, smallest, seed), seed, augment=True) for seed in seeds]
        for seed, model in zip(seeds, pretrained):
            torch.manual_seed(seed)
            fresh_head = factory().state_dict()  # the fine-tuning head starts fresh; the body is pretrained
            start = {k: (fresh_head[k] if k in _head_names(model) else v.detach().cpu())
                     for k, v in model.state_dict().items()}
            members.append(Member(*training_subset(data, smallest, seed), seed, start=start))
        trained = train_members(factory, members, steps=steps, batch_size=batch_size, lr=lr, device=device,
                                progress=progress)
        scores = np.array([accuracy(model, data.x_test, data.y_test) for model in trained])
        grid = len(sizes) * len(seeds)
        result.by_size[name] = scores[:grid].reshape(len(sizes), len(seeds))
        result.augmented[name] = scores[grid: grid + len(seeds)]
        result.pretrained[name] = scores[grid + len(seeds):]
        if name == "ViT":
            result.largest_vit = trained[grid - len(seeds)]
    return result


def data_efficiency_figure(result: DataEfficiency):
    """Test accuracy against training-set size, mean ± std and every seed, with the treatments at the smallest (Q13)."""
    use_style()
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for name, colour in (("CNN", "tab:blue"), ("ViT", "tab:orange")):
        table = result.by_size[name]
        mean, std = table.mean(1), table.std(1)
        ax.plot(result.sizes, mean, marker="o", color=colour,
                label=f"{name} (mean ± std over {len(result.seeds)} seeds)")
        ax.fill_between(result.sizes, mean - std, mean + std, color=colour, alpha=0.2)
        for column in table.T:
            ax.scatter(result.sizes, column, color=colour, s=8, alpha=0.5)
        for arm, marker in (("augmented", "^"), ("pretrained", "s")):
            values = getattr(result, arm)[name]
            ax.errorbar(result.sizes[0] * (0.85 if arm == "augmented" else 1.15), values.mean(), values.std(),
                        marker=marker, color=colour, capsize=3, linestyle="none", label=f"{name}, {arm}")
    ax.set(xscale="log", xlabel="training images", ylabel="test accuracy (540 images)")
    ax.set_title("Data efficiency on 8×8 digits")
    ax.legend(fontsize=7, ncol=2, loc="lower right")
    fig.tight_layout()
    return fig
