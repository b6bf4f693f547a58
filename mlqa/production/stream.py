"""A data stream that drifts: each time window samples a different stretch of a wavy class boundary (Q20).

Window t draws points around a centre that travels from x1 = -6 to x1 = 6; the label is 1 above the wave
x2 = 1.5 sin(0.8 x1).
One fixed rule labels every window, so a flexible model can fit all of them at once, yet each window alone only
shows a short piece of the boundary: the setting in which training on new data only forgets the old.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Window:
    """One time window of the stream: training points and held-out points from the same distribution (Q20)."""

    X: np.ndarray
    y: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def window_centre(t: int, n_windows: int, span: float = 6.0) -> np.ndarray:
    """Where window t is centred: on the x1 axis, moving evenly from -span to +span (Q20)."""
    return np.array([-span + 2.0 * span * t / max(n_windows - 1, 1), 0.0])


def wave_labels(X: np.ndarray) -> np.ndarray:
    """The fixed rule behind every window: 1 above the wave x2 = 1.5 sin(0.8 x1) (Q20)."""
    return (X[:, 1] > 1.5 * np.sin(0.8 * X[:, 0])).astype(np.int64)


def wave_stream(n_windows: int = 12, n_per_window: int = 200, seed: int = 0, spread: float = 1.0,
                label_noise: float = 0.03) -> list[Window]:
    """The drifting stream: `n_windows` windows of `n_per_window` training and as many test points (Q20)."""
    if n_windows < 2 or n_per_window < 1:
        raise ValueError(f"need n_windows >= 2 and n_per_window >= 1, got {n_windows} and {n_per_window}")
    rng = np.random.default_rng(seed)
    windows = []
    for t in range(n_windows):
        X = rng.normal(window_centre(t, n_windows), spread, size=(2 * n_per_window, 2)).astype(np.float32)
        y = wave_labels(X)
        flip = rng.random(len(y)) < label_noise
        y[flip] = 1 - y[flip]
        windows.append(Window(X[:n_per_window], y[:n_per_window], X[n_per_window:], y[n_per_window:]))
    return windows
