"""Self-prediction: a masked autoencoder hides random 2x2 patches of 8x8 digits and learns to redraw them (Q2).

He et al.'s MAE feeds only the visible patches to a vision transformer; our MLP encoder sees every pixel with the
hidden ones set to zero, which is the same task for an 8x8 image. The loss counts the hidden pixels only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch
from torch import nn

from mlqa.limited import digits_split, pretrain_fill_in


def patch_mask(n: int, mask_ratio: float, patch: int = 2, generator: torch.Generator | None = None) -> torch.Tensor:
    """Masks (n, 64), 1 = visible: each hides round(mask_ratio * patches) random `patch` x `patch` squares (Q2)."""
    if n < 1 or not 0 <= mask_ratio < 1 or patch not in (1, 2, 4):
        raise ValueError(f"need n >= 1, 0 <= mask_ratio < 1 and patch in (1, 2, 4); got n={n}, "
                         f"mask_ratio={mask_ratio}, patch={patch}")
    side = 8 // patch
    hidden_count = round(mask_ratio * side * side)
    ranks = torch.rand(n, side * side, generator=generator).argsort(1).argsort(1)
    visible = (ranks >= hidden_count).float().view(n, side, 1, side, 1)
    return visible.expand(n, side, patch, side, patch).reshape(n, 64)


@dataclass
class MaskedAutoencoder:
    """An MLP encoder (kept for the probe) and the linear decoder that redraws the image (Q2)."""

    encoder: nn.Sequential
    decoder: nn.Linear
    mask_ratio: float

    @torch.no_grad()
    def reconstruct(self, X: np.ndarray, mask: torch.Tensor) -> np.ndarray:
        """Flat digits `X` with the pixels where `mask` is 0 hidden and then filled in by the model (Q2)."""
        images = torch.as_tensor(X, dtype=torch.float32)
        if mask.shape != images.shape:
            raise ValueError(f"mask shape {tuple(mask.shape)} differs from images shape {tuple(images.shape)}")
        self.encoder.eval()
        redrawn = self.decoder(self.encoder(images * mask)).clamp(0, 1)
        return (images * mask + redrawn * (1 - mask)).numpy()


def pretrain_masked_autoencoder(X_unlabeled: np.ndarray, mask_ratio: float = 0.5, epochs: int = 60,
                                batch_size: int = 128, lr: float = 3e-3, seed: int = 0,
                                device: torch.device | str | None = None,
                                progress: bool = False) -> MaskedAutoencoder:
    """Train `mlp_body` plus a linear decoder to redraw hidden patches of unlabeled digits; returned on CPU (Q2)."""
    if epochs < 1 or not 0 < mask_ratio < 1:
        raise ValueError(f"need epochs >= 1 and 0 < mask_ratio < 1, got epochs={epochs}, mask_ratio={mask_ratio}")
    def visible_mask(n: int, generator: torch.Generator) -> torch.Tensor:
        return patch_mask(n, mask_ratio, generator=generator)

    encoder, decoder = pretrain_fill_in(X_unlabeled, visible_mask, epochs=epochs, batch_size=batch_size, lr=lr,
                                        seed=seed, device=device, desc="masked autoencoder", progress=progress)
    return MaskedAutoencoder(encoder, decoder, mask_ratio)


@lru_cache(maxsize=2)
def trained_masked_autoencoder(seed: int = 0) -> MaskedAutoencoder:
    """The masked autoencoder (ratio 0.5) pretrained on seed `seed`'s unlabeled digits, trained once (Q2)."""
    split = digits_split(1, seed)
    return pretrain_masked_autoencoder(np.concatenate([split.X_labeled, split.X_pool]), seed=seed)
