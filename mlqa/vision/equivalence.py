"""Fully connected layers and convolutions as one another, and a convolution as a matrix product (Q12).

* A linear layer on a flattened C×H×W input is a convolution whose kernel covers the whole input.
* A 1×1 convolution is one linear layer applied at every pixel.
* A convolution is im2col (`F.unfold`) times a weight matrix, or one big sparse Toeplitz matrix times the
  flattened input.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def linear_as_conv(linear: nn.Linear, input_shape: tuple[int, int, int]) -> nn.Conv2d:
    """A convolution with a (C, H, W)-sized kernel computing the same map as `linear` on the flattened input (Q12)."""
    channels, height, width = input_shape
    if channels * height * width != linear.in_features:
        raise ValueError(f"input shape {input_shape} has {channels * height * width} values, "
                         f"but the linear layer takes {linear.in_features}")
    conv = nn.Conv2d(channels, linear.out_features, (height, width), bias=linear.bias is not None)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.view(linear.out_features, channels, height, width))
        if linear.bias is not None:
            conv.bias.copy_(linear.bias)
    return conv.to(linear.weight.device)


def conv1x1_as_linear(conv: nn.Conv2d) -> nn.Linear:
    """The linear layer over channels that a 1×1 convolution applies at every pixel (Q12)."""
    if conv.kernel_size != (1, 1) or conv.groups != 1:
        raise ValueError(f"need a 1×1 convolution with groups=1, got kernel {conv.kernel_size}, groups {conv.groups}")
    linear = nn.Linear(conv.in_channels, conv.out_channels, bias=conv.bias is not None)
    with torch.no_grad():
        linear.weight.copy_(conv.weight.view(conv.out_channels, conv.in_channels))
        if conv.bias is not None:
            linear.bias.copy_(conv.bias)
    return linear.to(conv.weight.device)


def linear_per_pixel(linear: nn.Linear, images: torch.Tensor) -> torch.Tensor:
    """Apply `linear` to the channel vector of every pixel of (N, C, H, W) images; returns (N, out, H, W) (Q12)."""
    return linear(images.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


def im2col_conv2d(images: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None, *,
                  stride: int = 1, padding: int = 0) -> torch.Tensor:
    """A convolution as a matrix product: weight matrix (out, C·k·k) times `F.unfold`'s patch columns (Q12)."""
    batch, channels, height, width = images.shape
    out_channels, in_channels, kh, kw = weight.shape
    if channels != in_channels:
        raise ValueError(f"images have {channels} channels, the weight expects {in_channels}")
    columns = F.unfold(images, (kh, kw), padding=padding, stride=stride)  # (N, C·kh·kw, L)
    out = weight.reshape(out_channels, -1) @ columns
    if bias is not None:
        out = out + bias[:, None]
    out_h = (height + 2 * padding - kh) // stride + 1
    out_w = (width + 2 * padding - kw) // stride + 1
    return out.view(batch, out_channels, out_h, out_w)


def toeplitz_matrix(weight: torch.Tensor, input_size: tuple[int, int], *, stride: int = 1,
                    padding: int = 0) -> torch.Tensor:
    """The (out·H'·W', C·H·W) matrix whose product with a flattened image is the convolution, no bias (Q12)."""
    out_channels, channels, kh, kw = weight.shape
    height, width = input_size
    out_h = (height + 2 * padding - kh) // stride + 1
    out_w = (width + 2 * padding - kw) // stride + 1
    if out_h < 1 or out_w < 1:
        raise ValueError(f"kernel {kh}×{kw} does not fit input {height}×{width} with padding {padding}")
    matrix = weight.new_zeros(out_channels, out_h, out_w, channels, height, width)
    for i in range(out_h):
        for j in range(out_w):
            for di in range(kh):
                for dj in range(kw):
                    row, col = i * stride + di - padding, j * stride + dj - padding
                    if 0 <= row < height and 0 <= col < width:
                        matrix[:, i, j, :, row, col] = weight[:, :, di, dj]
    return matrix.reshape(out_channels * out_h * out_w, channels * height * width)


def toeplitz_weight_index(kernel_size: int, input_size: int) -> torch.Tensor:
    """For a one-channel k×k convolution: which kernel weight (0..k²−1) sits at each matrix entry, −1 for zero (Q12)."""
    labels = torch.arange(1.0, kernel_size**2 + 1).view(1, 1, kernel_size, kernel_size)
    return toeplitz_matrix(labels, (input_size, input_size)).long() - 1


def _max_difference(a: torch.Tensor, b: torch.Tensor) -> float:
    """Largest absolute difference relative to the largest magnitude of `a`."""
    return ((a - b).abs().max() / a.abs().max().clamp_min(1e-30)).item()


def fc_conv_differences(input_shape: tuple[int, int, int] = (3, 8, 8), out_features: int = 10, *, batch: int = 4,
                        seed: int = 0, device: torch.device | str = "cpu") -> dict[str, float]:
    """Largest relative differences in output and gradients between a linear layer and its
    whole-input convolution, on random images with a random upstream gradient (Q12)."""
    torch.manual_seed(seed)
    linear = nn.Linear(int(torch.tensor(input_shape).prod()), out_features).to(device)
    conv = linear_as_conv(linear, input_shape)
    images = torch.randn(batch, *input_shape, device=device)
    upstream = torch.randn(batch, out_features, device=device)
    x_fc, x_conv = images.clone().requires_grad_(), images.clone().requires_grad_()
    out_fc, out_conv = linear(x_fc.flatten(1)), conv(x_conv).flatten(1)
    (out_fc * upstream).sum().backward()
    (out_conv * upstream).sum().backward()
    return {"output": _max_difference(out_fc, out_conv),
            "input gradient": _max_difference(x_fc.grad, x_conv.grad),
            "weight gradient": _max_difference(linear.weight.grad, conv.weight.grad.view_as(linear.weight)),
            "bias gradient": _max_difference(linear.bias.grad, conv.bias.grad)}


def conv1x1_linear_differences(in_channels: int = 16, out_channels: int = 8, image_size: int = 6, *, batch: int = 4,
                               seed: int = 0, device: torch.device | str = "cpu") -> dict[str, float]:
    """Largest relative differences in output and gradients between a 1×1 convolution and the
    linear layer applied at every pixel (Q12)."""
    torch.manual_seed(seed)
    conv = nn.Conv2d(in_channels, out_channels, 1).to(device)
    linear = conv1x1_as_linear(conv)
    images = torch.randn(batch, in_channels, image_size, image_size, device=device)
    upstream = torch.randn(batch, out_channels, image_size, image_size, device=device)
    x_conv, x_fc = images.clone().requires_grad_(), images.clone().requires_grad_()
    out_conv, out_fc = conv(x_conv), linear_per_pixel(linear, x_fc)
    (out_conv * upstream).sum().backward()
    (out_fc * upstream).sum().backward()
    return {"output": _max_difference(out_conv, out_fc),
            "input gradient": _max_difference(x_conv.grad, x_fc.grad),
            "weight gradient": _max_difference(conv.weight.grad.view_as(linear.weight), linear.weight.grad),
            "bias gradient": _max_difference(conv.bias.grad, linear.bias.grad)}
