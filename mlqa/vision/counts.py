"""Closed-form parameter counts for common layers and an itemised count for whole networks (Q11).

Each `*_parameters` function is the formula; `closed_form_parameters` applies the right one to a module and
`parameter_table` walks a network, so every row can be checked against the module's own `numel` sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

import torch
from torch import nn


def _positive(**values: int) -> None:
    bad = {name: value for name, value in values.items() if int(value) < 1}
    if bad:
        raise ValueError(f"sizes must be positive integers, got {bad}")


def _pair(kernel_size: int | tuple[int, ...]) -> tuple[int, ...]:
    return (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)


def conv_parameters(in_channels: int, out_channels: int, kernel_size: int | tuple[int, ...],
                    *, groups: int = 1, bias: bool = True) -> int:
    """Weights and biases of a convolution: out · (in / groups) · kernel area (+ out biases) (Q11)."""
    kernel = _pair(kernel_size)
    _positive(in_channels=in_channels, out_channels=out_channels, groups=groups, kernel=min(kernel))
    if in_channels % groups or out_channels % groups:
        raise ValueError(f"groups={groups} must divide in_channels={in_channels} and out_channels={out_channels}")
    return out_channels * (in_channels // groups) * prod(kernel) + (out_channels if bias else 0)


def depthwise_separable_parameters(in_channels: int, out_channels: int, kernel_size: int,
                                   *, bias: bool = True) -> int:
    """A depthwise k×k convolution (groups = in) followed by a pointwise 1×1 convolution (Q11)."""
    return (conv_parameters(in_channels, in_channels, kernel_size, groups=in_channels, bias=bias)
            + conv_parameters(in_channels, out_channels, 1, bias=bias))


def linear_parameters(in_features: int, out_features: int, *, bias: bool = True) -> int:
    """Weights and biases of a fully connected layer: in · out (+ out) (Q11)."""
    _positive(in_features=in_features, out_features=out_features)
    return in_features * out_features + (out_features if bias else 0)


def batchnorm_parameters(num_features: int, *, affine: bool = True) -> int:
    """Learned parameters of batch norm: a scale and a shift per channel (Q11)."""
    _positive(num_features=num_features)
    return 2 * num_features if affine else 0


def batchnorm_buffers(num_features: int, *, track_running_stats: bool = True) -> int:
    """Non-learned buffer values of batch norm: running mean and variance per channel plus one batch counter (Q11)."""
    _positive(num_features=num_features)
    return 2 * num_features + 1 if track_running_stats else 0


def layernorm_parameters(normalized_shape: int | tuple[int, ...], *, elementwise_affine: bool = True,
                         bias: bool = True) -> int:
    """Learned parameters of layer norm: a scale (and a shift) per normalised element (Q11)."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    _positive(normalized_size=prod(shape))
    return prod(shape) * (1 + bias) if elementwise_affine else 0


def embedding_parameters(num_embeddings: int, embedding_dim: int) -> int:
    """An embedding table: one vector per entry (Q11)."""
    _positive(num_embeddings=num_embeddings, embedding_dim=embedding_dim)
    return num_embeddings * embedding_dim


def multihead_attention_parameters(embed_dim: int, *, bias: bool = True, kdim: int | None = None,
                                   vdim: int | None = None) -> int:
    """Query, key, value and output projections of multi-head attention; the head count does not matter (Q11)."""
    kdim, vdim = kdim or embed_dim, vdim or embed_dim
    _positive(embed_dim=embed_dim, kdim=kdim, vdim=vdim)
    projections_in = embed_dim * (embed_dim + kdim + vdim) + (3 * embed_dim if bias else 0)
    return projections_in + linear_parameters(embed_dim, embed_dim, bias=bias)


def closed_form_parameters(module: nn.Module) -> int:
    """The formula's count for one supported layer, without looking at its tensors (Q11)."""
    if isinstance(module, nn.modules.conv._ConvNd):
        return conv_parameters(module.in_channels, module.out_channels, module.kernel_size,
                               groups=module.groups, bias=module.bias is not None)
    if isinstance(module, nn.MultiheadAttention):
        return multihead_attention_parameters(module.embed_dim, bias=module.in_proj_bias is not None,
                                              kdim=module.kdim, vdim=module.vdim)
    if isinstance(module, nn.Linear):
        return linear_parameters(module.in_features, module.out_features, bias=module.bias is not None)
    if isinstance(module, nn.modules.batchnorm._NormBase):
        return batchnorm_parameters(module.num_features, affine=module.affine)
    if isinstance(module, nn.LayerNorm):
        return layernorm_parameters(module.normalized_shape, elementwise_affine=module.elementwise_affine,
                                    bias=module.bias is not None)
    if isinstance(module, nn.Embedding):
        return embedding_parameters(module.num_embeddings, module.embedding_dim)
    raise ValueError(f"no closed form for {type(module).__name__}")


def _formula(module: nn.Module) -> str:
    if isinstance(module, nn.modules.conv._ConvNd):
        area = "·".join(map(str, module.kernel_size))
        bias = f" + {module.out_channels}" if module.bias is not None else ""
        return f"{module.out_channels}·{module.in_channels // module.groups}·{area}{bias}"
    if isinstance(module, nn.MultiheadAttention):
        return f"4·{module.embed_dim}² + 4·{module.embed_dim}"
    if isinstance(module, nn.Linear):
        bias = f" + {module.out_features}" if module.bias is not None else ""
        return f"{module.in_features}·{module.out_features}{bias}"
    if isinstance(module, nn.modules.batchnorm._NormBase):
        return f"2·{module.num_features}"
    if isinstance(module, nn.LayerNorm):
        return f"2·{prod(module.normalized_shape)}"
    return f"{module.num_embeddings}·{module.embedding_dim}"


@dataclass(frozen=True)
class LayerCount:
    """One row of an itemised parameter count: the formula's answer and the tensors' numel (Q11)."""

    name: str
    kind: str
    formula: str
    closed_form: int
    numel: int


SUPPORTED = (nn.modules.conv._ConvNd, nn.MultiheadAttention, nn.Linear, nn.modules.batchnorm._NormBase,
             nn.LayerNorm, nn.Embedding)


def parameter_table(model: nn.Module) -> list[LayerCount]:
    """Every parameter of a network, layer by layer; loose tensors (class token, positions) get their shape (Q11)."""
    rows: list[LayerCount] = []

    def visit(module: nn.Module, prefix: str) -> None:
        if isinstance(module, SUPPORTED):
            numel = sum(p.numel() for p in module.parameters())
            if numel:
                rows.append(LayerCount(prefix, type(module).__name__, _formula(module),
                                       closed_form_parameters(module), numel))
            return
        for name, tensor in module.named_parameters(recurse=False):
            shape = "·".join(map(str, tensor.shape))
            rows.append(LayerCount(f"{prefix}.{name}".lstrip("."), "Parameter", shape, prod(tensor.shape),
                                   tensor.numel()))
        for name, child in module.named_children():
            visit(child, f"{prefix}.{name}".lstrip("."))

    visit(model, "")
    return rows


def count_parameters(model: nn.Module) -> int:
    """The module's own count: the numel sum over its parameters (Q11)."""
    return sum(p.numel() for p in model.parameters())


def count_buffers(model: nn.Module) -> int:
    """Values held in buffers (batch norm's running statistics), which the optimizer never updates (Q11)."""
    return sum(b.numel() for b in model.buffers())


def parameters_by_kind(model: nn.Module) -> dict[str, int]:
    """Parameters grouped into convolution, fully connected, normalisation and other (Q11)."""
    groups = {"convolution": 0, "fully connected": 0, "normalisation": 0, "other": 0}
    for row in parameter_table(model):
        kind = ("convolution" if row.kind.startswith("Conv") else
                "fully connected" if row.kind == "Linear" else
                "normalisation" if "Norm" in row.kind else "other")
        groups[kind] += row.numel
    return groups


def torchinfo_total(model: nn.Module, input_size: tuple[int, ...]) -> int:
    """torchinfo's total parameter count for the model run on one input of `input_size` (Q11)."""
    from torchinfo import summary

    with torch.no_grad():
        return summary(model, input_size=input_size, verbose=0, device="cpu").total_params
