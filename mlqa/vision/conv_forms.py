"""One mapping, four forms: a convolution, im2col + matmul, its Toeplitz matrix, and a free dense layer (Q12).

All four take a (C, H, W) image to a (C', H', W') map. The first three compute the same function with the same
1·k²·C·C' distinct weights; the Toeplitz matrix stores them with all its zeros; the dense layer has a free weight
in every entry. `conv_forms` builds them, `time_forms` measures each on the same batch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from statistics import median
from typing import Callable

import torch
import torch.nn.functional as F

from mlqa.vision.equivalence import im2col_conv2d, toeplitz_matrix


@dataclass(frozen=True)
class ConvForm:
    """A form of the mapping: its name, stored numbers, distinct learned parameters and the function (Q12)."""

    name: str
    stored_values: int
    learned_parameters: int
    apply: Callable[[torch.Tensor], torch.Tensor]


def conv_forms(in_channels: int = 8, out_channels: int = 16, kernel_size: int = 3, image_size: int = 12,
               *, device: torch.device | str = "cpu", seed: int = 0) -> list[ConvForm]:
    """The four forms of a k×k convolution on image_size² inputs; the first three share one weight (Q12)."""
    if kernel_size > image_size:
        raise ValueError(f"kernel_size={kernel_size} exceeds image_size={image_size}")
    generator = torch.Generator().manual_seed(seed)
    weight = torch.randn(out_channels, in_channels, kernel_size, kernel_size, generator=generator).to(device)
    bias = torch.randn(out_channels, generator=generator).to(device)
    side = image_size - kernel_size + 1
    toeplitz = toeplitz_matrix(weight, (image_size, image_size))
    toeplitz_bias = bias.repeat_interleave(side * side)
    dense = torch.randn(toeplitz.shape, generator=generator).to(device) / toeplitz.shape[1] ** 0.5
    dense_bias = torch.zeros(toeplitz.shape[0], device=device)
    shape = (out_channels, side, side)
    shared = weight.numel() + bias.numel()

    def dense_apply(matrix: torch.Tensor, offset: torch.Tensor) -> Callable[[torch.Tensor], torch.Tensor]:
        return lambda x: F.linear(x.flatten(1), matrix, offset).view(-1, *shape)

    return [
        ConvForm("F.conv2d", shared, shared, lambda x: F.conv2d(x, weight, bias)),
        ConvForm("im2col + matmul", shared, shared, lambda x: im2col_conv2d(x, weight, bias)),
        ConvForm("Toeplitz matrix", toeplitz.numel() + toeplitz_bias.numel(), shared,
                 dense_apply(toeplitz, toeplitz_bias)),
        ConvForm("dense layer (free weights)", dense.numel() + dense_bias.numel(), dense.numel() + dense_bias.numel(),
                 dense_apply(dense, dense_bias)),
    ]


def time_forms(forms: list[ConvForm], batch: torch.Tensor, *, repeats: int = 20) -> dict[str, float]:
    """Median seconds per forward pass of each form on the same batch, after one warm-up call (Q12)."""
    if repeats < 1:
        raise ValueError(f"repeats must be >= 1, got {repeats}")
    seconds = {}
    with torch.no_grad():
        for form in forms:
            form.apply(batch)
            runs = []
            for _ in range(repeats):
                if batch.device.type == "cuda":
                    torch.cuda.synchronize()
                start = time.perf_counter()
                form.apply(batch)
                if batch.device.type == "cuda":
                    torch.cuda.synchronize()
                runs.append(time.perf_counter() - start)
            seconds[form.name] = median(runs)
    return seconds
