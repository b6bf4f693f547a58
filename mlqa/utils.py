"""Helpers every notebook needs: seeds, device choice, one plotting style, saving figures (all questions)."""

from __future__ import annotations

import os
import platform
import random
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import matplotlib as mpl
import numpy as np
import torch

REPO_ROOT = Path(__file__).resolve().parents[1]


def set_seed(seed: int = 0) -> None:
    """Seed Python's, NumPy's and PyTorch's random number generators."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


@contextmanager
def torch_threads(threads: int = 1) -> Iterator[None]:
    """Run the block with PyTorch on `threads` CPU threads, then restore the setting.

    Tiny models train several times faster on one thread than on two busy ones, and share a CPU better.
    """
    if threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def get_device(prefer: str | None = None) -> torch.device:
    """The device to compute on: `prefer` or $MLQA_DEVICE if set, else CUDA, then Apple MPS, then the CPU."""
    prefer = prefer or os.environ.get("MLQA_DEVICE")
    if prefer:
        device = torch.device(prefer)
        if device.type == "cuda" and not torch.cuda.is_available():
            raise ValueError(f"device {prefer!r} requested, but no CUDA GPU is available")
        if device.type == "mps" and not torch.backends.mps.is_available():
            raise ValueError(f"device {prefer!r} requested, but Apple MPS is not available")
        return device
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


STYLE = {
    "figure.figsize": (6.4, 3.6),
    "figure.dpi": 110,
    "savefig.dpi": 130,
    "savefig.bbox": "tight",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "font.size": 10,
}


def use_style() -> None:
    """Apply mlqa's one plotting style to matplotlib."""
    mpl.rcParams.update(STYLE)


def figures_dir() -> Path:
    """Where figures are written: $MLQA_FIGURES_DIR, else the repository's `figures/` folder."""
    path = Path(os.environ.get("MLQA_FIGURES_DIR", REPO_ROOT / "figures"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_figure(fig, name: str) -> Path:
    """Save a matplotlib figure as `figures/<name>.png` and return the path."""
    if not name or "/" in name or name.endswith(".png"):
        raise ValueError(f"figure name must be a bare name like 'q07-bubble', got {name!r}")
    path = figures_dir() / f"{name}.png"
    fig.savefig(path)
    return path


def print_versions() -> torch.device:
    """Print Python, torch and mlqa versions and the device the notebook will use; return that device."""
    from mlqa import __version__

    device = get_device()
    gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    print(f"Python {platform.python_version()} | torch {torch.__version__} | mlqa {__version__}")
    print(f"device: {device}" + (f" ({gpus} CUDA GPU(s))" if gpus else ""))
    return device
