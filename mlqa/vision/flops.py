"""Multiply-accumulates per layer by formula, and the same count from PyTorch's FLOP counter (Q11).

A convolution does out_channels · (in_channels / groups) · kernel area multiply-accumulates (MACs) per output
pixel; a linear layer does in · out per token; attention does 2 · tokens² · dim for its two matrix products.
One MAC is two FLOPs, which is how `torch.utils.flop_counter` counts (biases, norms and activations are
left out by both).
"""

from __future__ import annotations

from math import prod

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from mlqa.vision.vit import Attention


def conv_macs(in_channels: int, out_channels: int, kernel_size: int | tuple[int, int], output_size: tuple[int, int],
              *, groups: int = 1, batch: int = 1) -> int:
    """MACs of a convolution: one kernel-sized dot product per output value (Q11)."""
    kernel = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    if min(in_channels, out_channels, groups, batch, *kernel, *output_size) < 1 or in_channels % groups:
        raise ValueError(f"invalid convolution: in={in_channels}, out={out_channels}, kernel={kernel}, "
                         f"output={output_size}, groups={groups}, batch={batch}")
    return batch * out_channels * prod(output_size) * (in_channels // groups) * prod(kernel)


def linear_macs(in_features: int, out_features: int, *, tokens: int = 1) -> int:
    """MACs of a fully connected layer applied to `tokens` vectors (Q11)."""
    if min(in_features, out_features, tokens) < 1:
        raise ValueError(f"sizes must be positive, got in={in_features}, out={out_features}, tokens={tokens}")
    return tokens * in_features * out_features


def attention_macs(tokens: int, dim: int, *, batch: int = 1) -> int:
    """MACs of the two attention products, scores Q·Kᵀ and weights·V, summed over heads (Q11)."""
    if min(tokens, dim, batch) < 1:
        raise ValueError(f"sizes must be positive, got tokens={tokens}, dim={dim}, batch={batch}")
    return 2 * batch * tokens * tokens * dim


def layer_macs(model: nn.Module, input_size: tuple[int, ...]) -> dict[str, int]:
    """MACs of every convolution, linear layer and attention product, from the formulas and the output shapes (Q11)."""
    counts: dict[str, int] = {}

    def hook(name: str):
        def record(module: nn.Module, inputs: tuple[torch.Tensor, ...], output: torch.Tensor) -> None:
            if isinstance(module, nn.Conv2d):
                counts[name] = conv_macs(module.in_channels, module.out_channels, module.kernel_size,
                                         tuple(output.shape[-2:]), groups=module.groups, batch=output.shape[0])
            elif isinstance(module, nn.Linear):
                counts[name] = linear_macs(module.in_features, module.out_features,
                                           tokens=output.numel() // module.out_features)
            else:
                batch, tokens, dim = inputs[0].shape
                counts[f"{name} (products)"] = attention_macs(tokens, dim, batch=batch)
        return record

    handles = [m.register_forward_hook(hook(name)) for name, m in model.named_modules()
               if isinstance(m, (nn.Conv2d, nn.Linear, Attention))]
    try:
        with torch.no_grad():
            model(torch.zeros(input_size, device=next(model.parameters()).device))
    finally:
        for handle in handles:
            handle.remove()
    return counts


def counted_flops(model: nn.Module, input_size: tuple[int, ...]) -> tuple[int, dict[str, int]]:
    """`torch.utils.flop_counter`'s total FLOPs and its count per leaf module name (Q11)."""
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(torch.zeros(input_size, device=next(model.parameters()).device))
    root = type(model).__name__
    per_module = {key.removeprefix(f"{root}."): sum(ops.values())
                  for key, ops in counter.get_flop_counts().items() if key not in ("Global", root)}
    return counter.get_total_flops(), per_module
