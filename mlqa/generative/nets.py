"""Small networks and the shared training loop of the Q9 generative models."""

from __future__ import annotations

import time
from typing import Callable

import torch
from torch import nn
from tqdm.auto import tqdm


def mlp(n_in: int, n_out: int, hidden: int = 64, depth: int = 3) -> nn.Sequential:
    """A SiLU MLP with `depth` linear layers (smooth, so energies have useful gradients) (Q9)."""
    if depth < 1:
        raise ValueError(f"depth must be at least 1, got {depth}")
    sizes = [n_in] + [hidden] * (depth - 1) + [n_out]
    layers: list[nn.Module] = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(a, b), nn.SiLU()]
    return nn.Sequential(*layers[:-1])


def train_steps(step: Callable[[torch.Tensor], float], data: torch.Tensor, steps: int, batch_size: int,
                seed: int, progress: bool = False, desc: str = "training") -> tuple[list[float], float]:
    """Call `step(batch)` on `steps` random mini-batches; return the losses and the seconds taken (Q9)."""
    if steps < 1 or batch_size < 1:
        raise ValueError(f"steps and batch_size must be positive, got {steps} and {batch_size}")
    g = torch.Generator().manual_seed(seed)
    losses, start = [], time.perf_counter()
    for _ in tqdm(range(steps), desc=desc, disable=not progress, leave=False):
        losses.append(step(data[torch.randint(0, len(data), (batch_size,), generator=g)]))
    return losses, time.perf_counter() - start


def fit_loss(model: nn.Module, loss_fn: Callable[[torch.Tensor], torch.Tensor], data: torch.Tensor, steps: int,
             batch_size: int, seed: int, progress: bool = False, lr: float = 2e-3) -> tuple[list[float], float]:
    """Minimise `loss_fn(batch)` over the model's parameters with Adam; return losses and seconds (Q9)."""
    torch.manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)

    def step(x: torch.Tensor) -> float:
        loss = loss_fn(x)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    return train_steps(step, data, steps, batch_size, seed, progress, getattr(model, "name", "training"))
