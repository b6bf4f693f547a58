"""Stateless retraining on a sliding window against stateful (warm-start) updates, with a rehearsal buffer (Q20).

Compute per update is counted, not timed: the number of examples passed through the model (examples x epochs).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from mlqa.production.stream import Window, wave_stream
from mlqa.utils import torch_threads


def make_mlp(seed: int = 0, hidden: int = 64) -> nn.Module:
    """The deployed classifier: a 2-64-64-2 MLP (Q20)."""
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 2))


@dataclass
class History:
    """What one update strategy did over the stream (Q20).

    next_accuracy[t]: accuracy on window t + 1 of the model updated through window t. examples[t]: examples
    processed by update t. seconds[t]: its wall time (shown, never asserted). accuracy_matrix[t, j]: accuracy on
    window j's held-out points after update t.
    """

    name: str
    next_accuracy: list[float] = field(default_factory=list)
    examples: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    accuracy_matrix: np.ndarray | None = None

    @property
    def forgetting(self) -> float:
        """Mean over old windows of (best accuracy ever on it) - (accuracy after the last update) (Q20)."""
        A = self.accuracy_matrix
        return float(np.mean([A[j:, j].max() - A[-1, j] for j in range(len(A) - 1)]))

    @property
    def final_accuracy_on_old(self) -> float:
        """Mean accuracy on every earlier window's held-out points after the last update (Q20)."""
        return float(self.accuracy_matrix[-1, :-1].mean())


def _accuracy(model: nn.Module, X: np.ndarray, y: np.ndarray, device: torch.device) -> float:
    with torch.no_grad():
        predicted = model(torch.as_tensor(X, device=device)).argmax(1).cpu().numpy()
    return float(np.mean(predicted == y))


def _train(model: nn.Module, optimizer: torch.optim.Optimizer, X: np.ndarray, y: np.ndarray, epochs: int,
           batch_size: int, generator: torch.Generator, device: torch.device) -> int:
    X_t, y_t = torch.as_tensor(X, device=device), torch.as_tensor(y, device=device)
    for _ in range(epochs):
        order = torch.randperm(len(X_t), generator=generator).to(device)
        for start in range(0, len(X_t), batch_size):
            batch = order[start:start + batch_size]
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(X_t[batch]), y_t[batch]).backward()
            optimizer.step()
    return epochs * len(X_t)


def run_strategy(stream: list[Window], strategy: str, window_size: int = 4, rehearsal_size: int = 200,
                 epochs: int = 15, batch_size: int = 32, lr: float = 3e-3, seed: int = 0,
                 device: torch.device | str = "cpu", progress: bool = False) -> History:
    """Update a model window by window with 'stateless' (retrain from scratch on the last `window_size` windows),
    'stateful' (continue on the new window only) or 'rehearsal' (stateful plus a reservoir of old examples) (Q20)."""
    if strategy not in ("stateless", "stateful", "rehearsal"):
        raise ValueError(f"strategy must be 'stateless', 'stateful' or 'rehearsal', got {strategy!r}")
    if window_size < 1 or rehearsal_size < 0 or epochs < 1:
        raise ValueError(f"need window_size >= 1, rehearsal_size >= 0, epochs >= 1; got {window_size}, "
                         f"{rehearsal_size}, {epochs}")
    device = torch.device(device)
    generator = torch.Generator().manual_seed(seed)
    rng = np.random.default_rng(seed)
    history = History(strategy)
    model = make_mlp(seed).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    buffer_X, buffer_y, seen = np.empty((0, 2), np.float32), np.empty(0, np.int64), 0
    matrix = np.zeros((len(stream), len(stream)))
    for t, window in enumerate(tqdm(stream, desc=strategy, disable=not progress)):
        start = time.perf_counter()
        if strategy == "stateless":
            model = make_mlp(seed + t).to(device)
            optimizer = torch.optim.Adam(model.parameters(), lr=lr)
            recent = stream[max(0, t - window_size + 1):t + 1]
            X, y = np.concatenate([w.X for w in recent]), np.concatenate([w.y for w in recent])
        elif strategy == "rehearsal" and len(buffer_y):
            X, y = np.concatenate([window.X, buffer_X]), np.concatenate([window.y, buffer_y])
        else:
            X, y = window.X, window.y
        history.examples.append(_train(model, optimizer, X, y, epochs, batch_size, generator, device))
        history.seconds.append(time.perf_counter() - start)
        if strategy == "rehearsal":  # reservoir sampling: every example seen so far is kept with equal chance
            for x_i, y_i in zip(window.X, window.y):
                seen += 1
                if len(buffer_y) < rehearsal_size:
                    buffer_X, buffer_y = np.vstack([buffer_X, x_i]), np.append(buffer_y, y_i)
                elif (slot := rng.integers(seen)) < rehearsal_size:
                    buffer_X[slot], buffer_y[slot] = x_i, y_i
        if t + 1 < len(stream):
            history.next_accuracy.append(_accuracy(model, stream[t + 1].X, stream[t + 1].y, device))
        matrix[t] = [_accuracy(model, w.X_test, w.y_test, device) for w in stream]
    history.accuracy_matrix = matrix
    return history


def compare_strategies(stream_seeds: tuple[int, ...] = (0, 1, 2), strategies: tuple[str, ...] = (
        "stateless", "stateful", "rehearsal"), device: torch.device | str = "cpu", progress: bool = True,
        **kwargs) -> dict[str, list[History]]:
    """Every strategy on the wave stream of each seed, one torch thread (tiny model) (Q20)."""
    grid = [(strategy, seed) for strategy in strategies for seed in stream_seeds]
    runs: dict[str, list[History]] = {strategy: [] for strategy in strategies}
    with torch_threads(1):
        for strategy, seed in tqdm(grid, desc="strategies", disable=not progress):
            runs[strategy].append(run_strategy(wave_stream(seed=seed), strategy, seed=seed, device=device, **kwargs))
    return runs
