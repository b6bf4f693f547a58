"""Reader exercise 2-B: a pretext task for sequences, frame-order prediction on generated "videos" (Q2).

A video is a few frames of a 1-D strip in which a blurred dot moves at a constant speed; its class is the motion
(fast left, slow left, slow right, fast right). Pretext task (after Misra et al.'s Shuffle and Learn): shuffle the
frames and predict which order they were put in. A permutation and its reverse give the same puzzle (a dot moving
right, played backwards, moves left), so they form one class: 12 classes for 4 frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations
from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from mlqa.fewshot import mlp_encoder
from mlqa.limited import encode, probe_accuracy, split_labels
from mlqa.utils import get_device, torch_threads

VELOCITIES = (-3.0, -1.0, 1.0, 3.0)  # pixels per frame: fast left, slow left, slow right, fast right
ORDER_ARMS = ("raw frames", "random frame encoder", "order-prediction pretraining")


def moving_dot_videos(n: int, frames: int = 4, width: int = 16, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`n` videos of shape (frames, width) with a dot moving at one of `VELOCITIES`, and their class (Q2)."""
    span = (frames - 1) * max(abs(v) for v in VELOCITIES)
    if n < 1 or frames < 3 or width < span + 4:
        raise ValueError(f"need n >= 1, frames >= 3 and width >= {span + 4:g} for the dot to stay inside; got "
                         f"n={n}, frames={frames}, width={width}")
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, len(VELOCITIES), n)
    velocity = np.array(VELOCITIES)[labels]
    start = np.where(velocity > 0, 1, width - 2) + rng.uniform(0, width - 3 - span, n) * np.sign(velocity)
    positions = start[:, None] + velocity[:, None] * np.arange(frames)
    blur, brightness = rng.uniform(0.7, 1.3, (n, 1, 1)), rng.uniform(0.5, 1.0, (n, 1, 1))
    pixels = np.arange(width)
    videos = brightness * np.exp(-(pixels - positions[:, :, None]) ** 2 / (2 * blur ** 2))
    videos = videos + 0.05 * rng.standard_normal(videos.shape)
    return videos.astype(np.float32), labels


def order_classes(frames: int) -> list[tuple[int, ...]]:
    """One representative per pair {permutation, its reverse}: frames! / 2 classes (Q2)."""
    if frames < 2:
        raise ValueError(f"need at least 2 frames to shuffle, got {frames}")
    return [p for p in permutations(range(frames)) if p < p[::-1]]


@dataclass
class OrderPredictor:
    """A per-frame encoder and the head that reads the shuffle class from the concatenated frame features (Q2)."""

    frame_encoder: nn.Sequential
    head: nn.Sequential

    @torch.no_grad()
    def pretext_accuracy(self, videos: np.ndarray, seed: int = 0) -> float:
        """Fraction of randomly shuffled `videos` whose shuffle class the model names (chance: 2 / frames!) (Q2)."""
        shuffled, target = shuffle_frames(torch.as_tensor(videos), torch.Generator().manual_seed(seed))
        logits = self.head(self.frame_encoder(shuffled).flatten(1))
        return float((logits.argmax(1) == target).float().mean())


def shuffle_frames(clips: torch.Tensor, generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Clips (n, frames, width) with their frames in random orders, and each order's class in `order_classes` (Q2)."""
    classes = order_classes(clips.shape[1])
    orders = torch.tensor(classes + [c[::-1] for c in classes], device=clips.device)  # both directions of each
    chosen = torch.randint(0, len(orders), (len(clips),), generator=generator).to(clips.device)
    shuffled = clips.gather(1, orders[chosen].unsqueeze(-1).expand(-1, -1, clips.shape[2]))
    return shuffled, chosen % len(classes)


def pretrain_order_prediction(videos: np.ndarray, epochs: int = 40, batch_size: int = 128,
                              seed: int = 0, device: torch.device | str | None = None) -> OrderPredictor:
    """Train a per-frame encoder whose features, concatenated, tell how the frames were shuffled; on CPU after (Q2)."""
    if videos.ndim != 3 or epochs < 1:
        raise ValueError(f"need videos of shape (n, frames, width) and epochs >= 1, got {videos.shape}, {epochs}")
    n, frames, width = videos.shape
    device = torch.device(device) if device is not None else get_device()
    frame_encoder = mlp_encoder(width, hidden=64, embedding=32, seed=seed).to(device)
    head = nn.Sequential(nn.Linear(32 * frames, 128), nn.ReLU(), nn.Linear(128, len(order_classes(frames)))).to(device)
    optimizer = torch.optim.Adam([*frame_encoder.parameters(), *head.parameters()], lr=2e-3)
    generator = torch.Generator().manual_seed(seed)
    clips = torch.as_tensor(videos).to(device)
    with torch_threads():
        for _ in range(epochs):
            order = torch.randperm(n, generator=generator).to(device)
            for start in range(0, n, batch_size):
                batch = clips[order[start:start + batch_size]]
                shuffled, target = shuffle_frames(batch, generator)
                loss = F.cross_entropy(head(frame_encoder(shuffled).flatten(1)), target)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
    return OrderPredictor(frame_encoder.cpu().eval(), head.cpu().eval())


def video_features(frame_encoder: nn.Module, videos: np.ndarray) -> np.ndarray:
    """Per-frame features of each video in its true order, concatenated (Q2)."""
    n, frames, width = videos.shape
    return encode(frame_encoder, videos.reshape(n * frames, width)).reshape(n, -1)


def order_comparison(budgets: Sequence[int] = (2, 5, 20), seeds: Sequence[int] = (0, 1, 2, 3, 4),
                     n_videos: int = 1200, epochs: int = 40,
                     device: torch.device | str | None = None) -> dict[str, np.ndarray]:
    """Probe accuracy on the motion class per arm in `ORDER_ARMS`, arrays of shape (seeds, budgets) (Q2)."""
    if not budgets or min(budgets) < 1 or not seeds:
        raise ValueError(f"need at least one budget >= 1 and one seed, got budgets={list(budgets)}, "
                         f"seeds={list(seeds)}")
    scores = {arm: np.zeros((len(seeds), len(budgets))) for arm in ORDER_ARMS}
    for i, seed in enumerate(seeds):
        videos, labels = moving_dot_videos(n_videos, seed=seed)
        first = split_labels(videos, labels, budgets[0], seed)
        pretrained = pretrain_order_prediction(np.concatenate([first.X_labeled, first.X_pool]), epochs=epochs,
                                               seed=seed, device=device)
        encoders = {"random frame encoder": mlp_encoder(videos.shape[2], hidden=64, embedding=32, seed=seed).eval(),
                    "order-prediction pretraining": pretrained.frame_encoder}
        for j, budget in enumerate(budgets):
            split = split_labels(videos, labels, budget, seed)
            flat = (split.X_labeled.reshape(len(split.X_labeled), -1), split.X_test.reshape(len(split.X_test), -1))
            scores[ORDER_ARMS[0]][i, j] = probe_accuracy(flat[0], split.y_labeled, flat[1], split.y_test)
            for arm, encoder in encoders.items():
                scores[arm][i, j] = probe_accuracy(video_features(encoder, split.X_labeled), split.y_labeled,
                                                   video_features(encoder, split.X_test), split.y_test)
    return scores
