"""Train many small models at once: one vectorised (torch.func.vmap) training run, each member its own data,
seed, initialisation and augmentation (Q13).

Adam and AdamW update every element independently, and the summed loss gives each member exactly its own
gradient, so training the stacked members together equals training them one by one, only faster for tiny models.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn.functional as F
from torch import nn
from torch.func import functional_call, stack_module_state, vmap
from tqdm.auto import tqdm

from mlqa.utils import torch_threads
from mlqa.vision.training import random_shift


@dataclass(frozen=True)
class Member:
    """One model to train: its training images and labels, seed, augmentation and optional start weights (Q13)."""

    images: torch.Tensor
    labels: torch.Tensor
    seed: int
    augment: bool = False
    start: dict[str, torch.Tensor] | None = None


def train_members(factory: Callable[[], nn.Module], members: list[Member], *, steps: int = 300,
                  batch_size: int = 32, lr: float = 3e-3, weight_decay: float = 1e-4, seed: int = 0,
                  device: torch.device | str = "cpu", progress: bool = True) -> list[nn.Module]:
    """AdamW with a cosine schedule, the same steps and batch size for every member; returns trained models (Q13).

    Each member draws its batches (and shifts) from its own generator, seeded by `seed` and the member's seed,
    so a member trains the same whether it runs alone or beside others.
    """
    if not members or steps < 1 or batch_size < 1:
        raise ValueError(f"need members ({len(members)}), steps >= 1 ({steps}) and batch_size >= 1 ({batch_size})")
    with torch_threads(1):  # tiny models: one thread is faster than several that wait on each other
        return _train(factory, members, steps, batch_size, lr, weight_decay, seed, device, progress)


def _train(factory: Callable[[], nn.Module], members: list[Member], steps: int, batch_size: int, lr: float,
           weight_decay: float, seed: int, device: torch.device | str, progress: bool) -> list[nn.Module]:
    models = []
    for member in members:
        torch.manual_seed(member.seed)
        model = factory()
        if member.start is not None:
            model.load_state_dict(member.start)
        models.append(model.to(device))
    params, buffers = stack_module_state(models)
    skeleton = copy.deepcopy(models[0]).to("meta")

    def forward(p: dict, b: dict, x: torch.Tensor) -> torch.Tensor:
        return functional_call(skeleton, (p, b), (x,))

    largest = max(len(m.labels) for m in members)
    images = torch.zeros(len(members), largest, *members[0].images.shape[1:])
    labels = torch.zeros(len(members), largest, dtype=torch.long)
    for i, member in enumerate(members):
        images[i, : len(member.labels)], labels[i, : len(member.labels)] = member.images, member.labels
    generators = [torch.Generator().manual_seed(seed * 1_000_003 + m.seed) for m in members]
    optimizer = torch.optim.AdamW(params.values(), lr=lr, weight_decay=weight_decay)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, steps)
    rows = torch.arange(len(members))[:, None]
    for _ in tqdm(range(steps), desc="training", disable=not progress, leave=False):
        chosen = torch.stack([(torch.rand(batch_size, generator=g) * len(m.labels)).long()
                              for g, m in zip(generators, members)])
        batch = images[rows, chosen]
        batch = torch.stack([random_shift(b, g) if m.augment else b for b, g, m in zip(batch, generators, members)])
        logits = vmap(forward)(params, buffers, batch.to(device))
        loss = F.cross_entropy(logits.flatten(0, 1), labels[rows, chosen].flatten().to(device), reduction="sum")
        optimizer.zero_grad()
        (loss / batch_size).backward()
        optimizer.step()
        schedule.step()
    for i, model in enumerate(models):
        model.load_state_dict({name: value[i].detach().clone() for name, value in (params | buffers).items()})
        model.eval()
    return models

