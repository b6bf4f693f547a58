"""Train-time data augmentation for 8x8 digits: shifts, rotations, pixel noise and left-right flips (Q5).

Every epoch draws a fresh random transform of every training image, on the images' device, so a model never
sees the same augmented copy twice. Shifts and rotations are one affine resampling (bilinear, zeros outside the
image); whole-pixel shifts move pixels exactly. Flips are the augmentation that can hurt: a mirrored 2, 3 or 7
is no longer a well-drawn 2, 3 or 7.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class Augmentation:
    """Random train-time transform: shift up to `shift` pixels, rotate up to `degrees`, noise sd, flip prob (Q5)."""

    shift: float = 0.0
    degrees: float = 0.0
    noise: float = 0.0
    flip: float = 0.0

    def __post_init__(self) -> None:
        if self.shift < 0 or self.shift > 4 or self.degrees < 0 or self.noise < 0 or not 0 <= self.flip <= 1:
            raise ValueError(f"need 0 <= shift <= 4, degrees >= 0, noise >= 0 and 0 <= flip <= 1; got shift="
                             f"{self.shift}, degrees={self.degrees}, noise={self.noise}, flip={self.flip}")


def _as_images(X: torch.Tensor) -> torch.Tensor:
    if X.dim() != 2 or X.shape[1] != 64:
        raise ValueError(f"expected flattened 8x8 images of shape (n, 64), got {tuple(X.shape)}")
    return X.view(-1, 1, 8, 8)


def shift_rotate(X: torch.Tensor, dx: torch.Tensor, dy: torch.Tensor, degrees: torch.Tensor) -> torch.Tensor:
    """Move each image `dx` pixels right and `dy` down and turn it `degrees` about its centre (Q5).

    Equals `scipy.ndimage.shift` for whole-pixel shifts and `scipy.ndimage.rotate(order=1, mode="grid-constant")`.
    """
    images = _as_images(X)
    if not dx.shape == dy.shape == degrees.shape == (len(images),):
        raise ValueError(f"need one dx, dy and angle per image ({len(images)}), got {tuple(dx.shape)}, "
                         f"{tuple(dy.shape)}, {tuple(degrees.shape)}")
    angle = torch.deg2rad(degrees.to(images))
    cos, sin = torch.cos(angle), torch.sin(angle)
    pixel = 2 / 8  # one pixel in affine_grid's [-1, 1] coordinates
    theta = torch.stack([torch.stack([cos, -sin, -dx.to(images) * pixel], 1),
                         torch.stack([sin, cos, -dy.to(images) * pixel], 1)], 1)
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)
    return F.grid_sample(images, grid, mode="bilinear", padding_mode="zeros", align_corners=False).view(-1, 64)


def flip_left_right(X: torch.Tensor) -> torch.Tensor:
    """Mirror every image left to right (Q5)."""
    return _as_images(X).flip(-1).reshape(-1, 64)


def augment(X: torch.Tensor, shift: torch.Tensor | float, degrees: torch.Tensor | float, noise: torch.Tensor | float,
            flip: torch.Tensor | float, generator: torch.Generator) -> torch.Tensor:
    """One random draw per image: flip with prob `flip`, shift up to `shift` pixels, rotate, add clipped noise (Q5).

    Each setting is a number or one value per image (so one call can serve a stack of differently augmented models).
    """
    n = len(_as_images(X))
    per_image = [torch.as_tensor(v, dtype=X.dtype, device=X.device).expand(n) for v in (shift, degrees, noise, flip)]
    shift_t, degrees_t, noise_t, flip_t = per_image

    def uniform(*shape: int) -> torch.Tensor:
        return torch.rand(*shape, generator=generator, device=X.device, dtype=X.dtype)

    flipped = torch.where((uniform(n) < flip_t)[:, None], flip_left_right(X), X)
    dx, dy = ((2 * uniform(n) - 1) * shift_t for _ in range(2))
    moved = shift_rotate(flipped, dx, dy, (2 * uniform(n) - 1) * degrees_t)
    noisy = moved + noise_t[:, None] * torch.randn(n, 64, generator=generator, device=X.device, dtype=X.dtype)
    return noisy.clamp(0, 1)


def stacked_augmenter(arms: Sequence[Augmentation], seed: int = 0,
                      device: torch.device | str = "cpu") -> Callable[[torch.Tensor], torch.Tensor]:
    """A function that augments stacked training images (models, n, 64), model i with `arms[i]` (Q5)."""
    if not arms:
        raise ValueError("need at least one augmentation setting, got none")
    settings = torch.tensor([[a.shift, a.degrees, a.noise, a.flip] for a in arms], device=device)
    generator = torch.Generator(device=device).manual_seed(seed)

    def augment_stack(X: torch.Tensor) -> torch.Tensor:
        if X.dim() != 3 or X.shape[0] != len(arms):
            raise ValueError(f"expected ({len(arms)}, n, 64) stacked images, got {tuple(X.shape)}")
        per_image = settings.to(X).repeat_interleave(X.shape[1], dim=0)
        return augment(X.reshape(-1, 64), *per_image.T, generator=generator).view(X.shape)

    return augment_stack
