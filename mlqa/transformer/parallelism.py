"""Why attention parallelises: sequential steps, forward time and the L x L score memory it pays (Q8)."""

import time

import numpy as np
import torch
from torch import nn

from mlqa.transformer.attention import recorded_attention
from mlqa.transformer.gpt import GPT


def sequential_steps(kind: str, length: int, num_layers: int = 1) -> int:
    """Steps that must run one after another: an LSTM walks the sequence, attention does a layer at once (Q8)."""
    if length < 1 or num_layers < 1:
        raise ValueError(f"need length and num_layers >= 1, got {length}, {num_layers}")
    if kind == "lstm":
        return length * num_layers
    if kind == "attention":
        return num_layers
    raise ValueError(f"kind must be 'attention' or 'lstm', got {kind!r}")


@torch.no_grad()
def forward_seconds(model: nn.Module, input_ids: torch.Tensor, repeats: int = 3) -> float:
    """Best wall-clock time of `repeats` forward passes, after one warm-up (Q8)."""
    if repeats < 1:
        raise ValueError(f"repeats must be >= 1, got {repeats}")
    model.eval()
    model(input_ids)
    best = float("inf")
    for _ in range(repeats):
        if input_ids.is_cuda:
            torch.cuda.synchronize()
        start = time.perf_counter()
        model(input_ids)
        if input_ids.is_cuda:
            torch.cuda.synchronize()
        best = min(best, time.perf_counter() - start)
    return best


def attention_score_bytes(model: GPT, input_ids: torch.Tensor) -> int:
    """Bytes of the (batch, heads, L, L) attention weights of every layer, captured from a real forward (Q8)."""
    return sum(weights.numel() * weights.element_size() for weights in recorded_attention(model, input_ids))


def fit_exponent(lengths: list[int] | np.ndarray, values: list[float] | np.ndarray) -> float:
    """Slope of log(value) against log(length): 2 for memory that grows as L² (Q8)."""
    lengths, values = np.asarray(lengths, float), np.asarray(values, float)
    if len(lengths) != len(values) or len(lengths) < 2 or (values <= 0).any() or (lengths <= 0).any():
        raise ValueError(f"need >= 2 matching positive points, got {lengths.tolist()} and {values.tolist()}")
    return float(np.polyfit(np.log(lengths), np.log(values), 1)[0])
