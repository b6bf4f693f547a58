"""Contrastive self-supervised learning: the NT-Xent loss and SimCLR pretraining of a digit encoder (Q2)."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from tqdm.auto import tqdm

from mlqa.limited import mlp_body
from mlqa.selfsupervised.augment import random_views
from mlqa.utils import get_device, torch_threads


def nt_xent_loss(z1: torch.Tensor, z2: torch.Tensor, temperature: float = 0.5) -> torch.Tensor:
    """SimCLR's NT-Xent: each of the 2N views must pick its partner among the other 2N - 1 by cosine similarity (Q2)."""
    if z1.shape != z2.shape or z1.ndim != 2:
        raise ValueError(f"z1 and z2 must be two (N, d) batches of the same shape, got {tuple(z1.shape)} "
                         f"and {tuple(z2.shape)}")
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    n = len(z1)
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    logits = z @ z.T / temperature
    logits = logits.masked_fill(torch.eye(2 * n, dtype=torch.bool, device=z.device), float("-inf"))
    partner = torch.cat([torch.arange(n, 2 * n), torch.arange(n)]).to(z.device)
    return F.cross_entropy(logits, partner)


def projection_head(width: int = 256, out: int = 64) -> nn.Sequential:
    """The MLP head SimCLR puts between the encoder and the loss; dropped after pretraining (Q2)."""
    return nn.Sequential(nn.Linear(width, 128), nn.ReLU(), nn.Linear(128, out))


def pretrain_simclr(X_unlabeled: np.ndarray, epochs: int = 60, batch_size: int = 128, temperature: float = 0.2,
                    lr: float = 3e-3, seed: int = 0, device: torch.device | str | None = None,
                    progress: bool = False) -> nn.Sequential:
    """Train `mlp_body` so two random views of a digit land close together (SimCLR); returns the CPU encoder (Q2)."""
    if epochs < 1 or not 2 <= batch_size <= len(X_unlabeled):
        raise ValueError(f"need epochs >= 1 and 2 <= batch_size <= {len(X_unlabeled)} images, got epochs={epochs}, "
                         f"batch_size={batch_size}")
    device = torch.device(device) if device is not None else get_device()
    encoder = mlp_body(seed=seed).to(device)
    head = projection_head(encoder[0].out_features).to(device)
    optimizer = torch.optim.Adam([*encoder.parameters(), *head.parameters()], lr=lr)
    generator = torch.Generator().manual_seed(seed)
    images = torch.as_tensor(X_unlabeled, dtype=torch.float32).to(device)
    encoder.train()
    with torch_threads():
        for _ in tqdm(range(epochs), desc="SimCLR", disable=not progress):
            order = torch.randperm(len(images), generator=generator).to(device)
            for start in range(0, len(images) - batch_size + 1, batch_size):  # full batches only
                batch = images[order[start:start + batch_size]]
                loss = nt_xent_loss(head(encoder(random_views(batch, generator))),
                                    head(encoder(random_views(batch, generator))), temperature)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
    return encoder.cpu().eval()
