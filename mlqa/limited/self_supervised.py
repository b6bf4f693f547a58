"""Technique 4, self-supervised pretraining: masked-pixel inpainting on the unlabeled pool, then a linear probe (Q30).

Uses torch for the pretext task (the MLP encoder from `nets` plus a linear decoder) and scikit-learn's
logistic regression as the probe. The encoder never sees a label; the probe sees only the k labels per class.
Controls: the probe on raw pixels (the baseline), on a random untrained encoder, and on PCA of the pool.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import torch
from sklearn.decomposition import PCA
from torch import nn
from tqdm.auto import tqdm

from mlqa.limited.data import Split, TechniqueResult, digits_split
from mlqa.limited.models import logistic_regression
from mlqa.limited.nets import encode, mlp_body
from mlqa.utils import get_device, torch_threads


def block_mask(n: int, block: int = 4, generator: torch.Generator | None = None) -> torch.Tensor:
    """Masks of shape (n, 64): 1 keeps a pixel, 0 hides it; each hides one random `block` x `block` square (Q30)."""
    rows = torch.randint(0, 9 - block, (n, 1, 1), generator=generator)
    cols = torch.randint(0, 9 - block, (n, 1, 1), generator=generator)
    grid = torch.arange(8)
    inside_rows = (grid.view(1, 8, 1) >= rows) & (grid.view(1, 8, 1) < rows + block)
    inside_cols = (grid.view(1, 1, 8) >= cols) & (grid.view(1, 1, 8) < cols + block)
    return (~(inside_rows & inside_cols)).float().view(n, 64)


def scattered_mask(n: int, hide: float = 0.25, generator: torch.Generator | None = None) -> torch.Tensor:
    """Masks of shape (n, 64) hiding each pixel independently with probability `hide` (Q30)."""
    return (torch.rand(n, 64, generator=generator) >= hide).float()


def pretrain_fill_in(X_unlabeled: np.ndarray, visible_mask: Callable[[int, torch.Generator], torch.Tensor],
                     epochs: int = 60, batch_size: int = 128, lr: float = 1e-3, seed: int = 0,
                     device: torch.device | str | None = None, desc: str = "fill-in pretraining",
                     progress: bool = False) -> tuple[nn.Sequential, nn.Linear]:
    """Train `mlp_body` plus a linear decoder to redraw the pixels `visible_mask(n, generator)` hides (Q2, Q30).

    The loss is the squared error on hidden pixels only; encoder and decoder come back on the CPU in eval mode.
    """
    device = torch.device(device) if device is not None else get_device()
    encoder = mlp_body(seed=seed).to(device)
    decoder = nn.Linear(encoder[0].out_features, 64).to(device)
    optimizer = torch.optim.Adam([*encoder.parameters(), *decoder.parameters()], lr=lr)
    generator = torch.Generator().manual_seed(seed)
    images = torch.as_tensor(X_unlabeled, dtype=torch.float32).to(device)
    encoder.train()
    with torch_threads():
        for _ in tqdm(range(epochs), desc=desc, disable=not progress):
            order = torch.randperm(len(images), generator=generator).to(device)
            for start in range(0, len(images), batch_size):
                batch = images[order[start:start + batch_size]]
                visible = visible_mask(len(batch), generator).to(device)
                hidden = 1 - visible
                error = (decoder(encoder(batch * visible)) - batch) ** 2
                loss = (error * hidden).sum() / hidden.sum()
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
    return encoder.cpu().eval(), decoder.cpu().eval()


def pretrain_inpainting(X_unlabeled: np.ndarray, masking: str = "block", epochs: int = 60, batch_size: int = 128,
                        seed: int = 0) -> nn.Sequential:
    """Train an MLP encoder to fill in hidden pixels of unlabeled digits; returns the encoder (Q30)."""
    if masking not in ("block", "scattered"):
        raise ValueError(f"masking must be 'block' or 'scattered', got {masking!r}")
    mask = block_mask if masking == "block" else scattered_mask
    encoder, _ = pretrain_fill_in(X_unlabeled, lambda n, generator: mask(n, generator=generator), epochs=epochs,
                                  batch_size=batch_size, seed=seed, device="cpu")
    return encoder


def probe_accuracy(features_labeled: np.ndarray, y_labeled: np.ndarray, features_test: np.ndarray,
                   y_test: np.ndarray) -> float:
    """Test accuracy of a logistic-regression probe trained on the labeled features (Q30)."""
    probe = logistic_regression().fit(features_labeled, y_labeled)
    return float(probe.score(features_test, y_test))


def compare_representations(split: Split, seed: int = 0) -> dict[str, float]:
    """Probe accuracy on raw pixels, PCA, a random encoder and the two inpainting encoders (Q30)."""
    def probe_on(transform) -> float:
        return probe_accuracy(transform(split.X_labeled), split.y_labeled, transform(split.X_test), split.y_test)

    pca = PCA(n_components=30, random_state=seed).fit(split.X_pool)
    with torch_threads():
        random_encoder = mlp_body(seed=seed).eval()
        block = pretrain_inpainting(split.X_pool, "block", seed=seed)
        scattered = pretrain_inpainting(split.X_pool, "scattered", seed=seed)
        return {"raw pixels": probe_on(lambda X: X),
                "PCA of the pool": probe_on(pca.transform),
                "random encoder": probe_on(lambda X: encode(random_encoder, X)),
                "inpainting, scattered pixels": probe_on(lambda X: encode(scattered, X)),
                "inpainting, 4x4 blocks": probe_on(lambda X: encode(block, X))}


def run(labels_per_class: int = 2, seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> TechniqueResult:
    """Linear probe on raw pixels against a probe on features from masked-pixel inpainting (Q30)."""
    runs = [compare_representations(digits_split(labels_per_class, seed), seed)
            for seed in tqdm(seeds, desc="self-supervised", disable=not progress)]
    means = {name: float(np.mean([r[name] for r in runs])) for name in runs[0]}
    return TechniqueResult("self-supervised", "linear probe on raw pixels",
                           "linear probe on inpainting features",
                           [r["raw pixels"] for r in runs], [r["inpainting, scattered pixels"] for r in runs],
                           list(seeds), labels_per_class, {"mean_probe_accuracy": means})
