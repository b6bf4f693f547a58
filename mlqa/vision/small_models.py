"""The two small classifiers compared on digits: a CNN and a ViT of similar size (Q13)."""

from __future__ import annotations

from torch import nn

from mlqa.vision.vit import VisionTransformer


def small_cnn(num_classes: int = 10, width: int = 16) -> nn.Sequential:
    """Two 3×3 convolutions (each followed by 2×2 max pooling) and a linear head, for 1×8×8 images (Q13)."""
    return nn.Sequential(
        nn.Conv2d(1, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(2 * width * 2 * 2, num_classes),
    )


def small_vit(num_classes: int = 10, patch_size: int = 2, dim: int = 32, depth: int = 2,
              heads: int = 4) -> VisionTransformer:
    """A ViT for 1×8×8 images: 2×2 patches (16 tokens + class token), 2 blocks of width 32 (Q13)."""
    return VisionTransformer(image_size=8, patch_size=patch_size, in_channels=1, num_classes=num_classes, dim=dim,
                             depth=depth, heads=heads, mlp_ratio=2.0)
