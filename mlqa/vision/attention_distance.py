"""Mean attention distance per layer and head: how far, in pixels, each head looks (Q13; Dosovitskiy et al.
2021, figure 7)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch

from mlqa.utils import use_style
from mlqa.vision.vit import VisionTransformer


def patch_distances(grid: int, patch_size: int) -> torch.Tensor:
    """Pixel distance between the centres of every pair of patches on a grid × grid layout (Q13)."""
    rows, cols = torch.meshgrid(torch.arange(grid), torch.arange(grid), indexing="ij")
    centres = torch.stack([rows.flatten(), cols.flatten()], 1).float() * patch_size
    return torch.cdist(centres, centres)


def mean_attention_distance(vit: VisionTransformer, images: torch.Tensor) -> np.ndarray:
    """(layers, heads) array: attention-weighted pixel distance between query and key patches, averaged over
    patch queries and images; attention to the class token is left out and the rest renormalised (Q13)."""
    grid = int(vit.patch_embed.num_patches**0.5)
    distances = patch_distances(grid, vit.patch_size).to(images.device)
    result = []
    for weights in vit.attention_maps(images):
        patch_weights = weights[:, :, 1:, 1:]
        patch_weights = patch_weights / patch_weights.sum(-1, keepdim=True)
        result.append((patch_weights * distances).sum(-1).mean((0, 2)).cpu().numpy())
    return np.stack(result)


def uniform_attention_distance(grid: int, patch_size: int) -> float:
    """The mean distance a head would show if it attended to every patch equally (Q13)."""
    return patch_distances(grid, patch_size).mean().item()


def attention_distance_figure(distances: dict[str, np.ndarray], uniform: float):
    """Mean attention distance of every head against layer, one colour per model, uniform attention dashed (Q13)."""
    use_style()
    fig, ax = plt.subplots(figsize=(5.4, 3.4))
    for offset, (name, values) in zip(np.linspace(-0.1, 0.1, len(distances)), distances.items()):
        layers, heads = values.shape
        ax.scatter(np.repeat(np.arange(1, layers + 1), heads) + offset, values.flatten(), label=name, alpha=0.8)
    ax.axhline(uniform, color="grey", linestyle="--", label="uniform attention")
    ax.set(xlabel="layer (block)", ylabel="mean attention distance (pixels)",
           xticks=range(1, max(v.shape[0] for v in distances.values()) + 1))
    ax.set_title("How far each head looks")
    ax.legend()
    fig.tight_layout()
    return fig
