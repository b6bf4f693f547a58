"""Why scale by sqrt(d), and what attention costs as the sequence grows (Q16)."""

import math
import time

import numpy as np
import torch
from torch.utils.flop_counter import FlopCounterMode

from mlqa.transformer.attention import scaled_dot_product_attention


def softmax_saturation(
    dims: list[int], num_keys: int = 16, num_queries: int = 500, seed: int = 0
) -> list[dict[str, float]]:
    """For unit-variance queries and keys of size d: largest softmax weight and softmax-gradient size,
    with raw scores q.k and with scores q.k / sqrt(d), averaged over queries (Q16).

    The gradient size is the Frobenius norm of the softmax Jacobian diag(p) - p p^T; it falls to 0 as the
    softmax saturates into a one-hot vector, which is what stalls training without the scaling.
    """
    if not dims or min(dims) < 1 or num_keys < 2:
        raise ValueError(f"need dims >= 1 and num_keys >= 2, got dims={dims}, num_keys={num_keys}")
    generator = torch.Generator().manual_seed(seed)
    rows = []
    for d in dims:
        query = torch.randn(num_queries, 1, d, generator=generator, dtype=torch.float64)
        key = torch.randn(num_queries, num_keys, d, generator=generator, dtype=torch.float64)
        raw = (query * key).sum(-1)
        row: dict[str, float] = {"d": d, "score std (raw)": raw.std().item()}
        for name, scores in (("raw", raw), ("scaled", raw / math.sqrt(d))):
            p = scores.softmax(-1)
            jacobian = torch.diag_embed(p) - p[:, :, None] * p[:, None, :]
            row[f"max weight ({name})"] = p.max(-1).values.mean().item()
            row[f"gradient norm ({name})"] = jacobian.flatten(1).norm(dim=1).mean().item()
        rows.append(row)
    return rows


def attention_cost(
    lengths: list[int], d_head: int = 64, num_heads: int = 4, repeats: int = 5, device: str | torch.device = "cpu",
    seed: int = 0,
) -> list[dict[str, float]]:
    """Written-out self-attention on one sequence per length: counted FLOPs, bytes of the attention-weight
    tensor it materialises, and the fastest of `repeats` wall-clock times (Q16)."""
    if not lengths or min(lengths) < 1 or repeats < 1:
        raise ValueError(f"need lengths >= 1 and repeats >= 1, got lengths={lengths}, repeats={repeats}")
    generator = torch.Generator().manual_seed(seed)
    rows = []
    for n in lengths:
        q, k, v = torch.randn(3, 1, num_heads, n, d_head, generator=generator).to(device).unbind(0)
        with FlopCounterMode(display=False) as counter:
            _, weights = scaled_dot_product_attention(q, k, v)
        seconds = []
        for _ in range(repeats + 1):
            if q.device.type == "cuda":
                torch.cuda.synchronize()
            start = time.perf_counter()
            scaled_dot_product_attention(q, k, v)
            if q.device.type == "cuda":
                torch.cuda.synchronize()
            seconds.append(time.perf_counter() - start)
        rows.append({"length": n, "flops": counter.get_total_flops(),
                     "weight bytes": weights.nelement() * weights.element_size(), "seconds": min(seconds[1:])})
    return rows


def quadratic_fit(lengths: list[float], values: list[float]) -> tuple[np.ndarray, float]:
    """Least-squares a n^2 + b n + c through (length, value); returns (a, b, c) and R^2 (Q16)."""
    if len(lengths) != len(values) or len(lengths) < 3:
        raise ValueError(f"need at least 3 matching points, got {len(lengths)} lengths and {len(values)} values")
    x, y = np.asarray(lengths, dtype=float), np.asarray(values, dtype=float)
    coefficients = np.polyfit(x, y, 2)
    residual = y - np.polyval(coefficients, x)
    return coefficients, 1.0 - float((residual**2).sum() / ((y - y.mean()) ** 2).sum())
