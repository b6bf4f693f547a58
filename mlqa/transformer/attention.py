"""Scaled dot-product attention, attention masks and multi-head attention (Q17)."""

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def scaled_dot_product_attention(
    query: Tensor, key: Tensor, value: Tensor, allowed: Tensor | None = None
) -> tuple[Tensor, Tensor]:
    """softmax(Q K^T / sqrt(d) + mask) V written out; returns outputs and attention weights (Q17)."""
    scores = query @ key.transpose(-2, -1) / math.sqrt(query.size(-1))
    if allowed is not None:
        scores = scores + additive_mask(allowed, scores.dtype)
    weights = scores.softmax(dim=-1)
    return weights @ value, weights


def additive_mask(allowed: Tensor, dtype: torch.dtype) -> Tensor:
    """Turn a boolean 'may attend' mask into 0 / most-negative-float scores to add (Q17)."""
    blocked = torch.zeros(allowed.shape, dtype=dtype, device=allowed.device)
    return blocked.masked_fill(~allowed, torch.finfo(dtype).min)


def causal_mask(num_queries: int, num_keys: int, device: torch.device | None = None) -> Tensor:
    """(queries, keys) boolean mask: a query may see keys at its own position or earlier (Q17).

    With a KV cache the queries are the last `num_queries` of `num_keys` positions.
    """
    offset = num_keys - num_queries
    query_pos = torch.arange(num_queries, device=device)[:, None] + offset
    return torch.arange(num_keys, device=device)[None, :] <= query_pos


def padding_mask(attention_mask: Tensor) -> Tensor:
    """(batch, keys) 1/0 attention mask -> (batch, 1, 1, keys) boolean mask over keys (Q17)."""
    return attention_mask.bool()[:, None, None, :]


class KVCache:
    """Keys and values of the positions one attention layer has already seen (Q17).

    With a `capacity` (the longest sequence to come) the cache allocates its buffers once and writes each new
    position in place; without one it concatenates, which copies the whole cache at every step.
    """

    def __init__(self, capacity: int | None = None) -> None:
        if capacity is not None and capacity < 1:
            raise ValueError(f"capacity must be >= 1, got {capacity}")
        self.capacity = capacity
        self.keys: Tensor | None = None
        self.values: Tensor | None = None
        self.length = 0

    def __len__(self) -> int:
        return self.length

    def extend(self, keys: Tensor, values: Tensor) -> tuple[Tensor, Tensor]:
        """Append the new positions and return keys and values of all positions so far."""
        start, end = self.length, self.length + keys.size(-2)
        if self.capacity is None:
            if self.keys is not None:
                keys = torch.cat([self.keys, keys], dim=-2)
                values = torch.cat([self.values, values], dim=-2)
            self.keys, self.values, self.length = keys, values, end
            return keys, values
        if end > self.capacity:
            raise ValueError(f"the cache holds {self.capacity} positions; {end} were asked for")
        if self.keys is None:
            shape = (*keys.shape[:-2], self.capacity, keys.size(-1))
            self.keys = keys.new_empty(shape)
            self.values = values.new_empty(shape)
        self.keys[..., start:end, :] = keys
        self.values[..., start:end, :] = values
        self.length = end
        return self.keys[..., :end, :], self.values[..., :end, :]


class MultiHeadAttention(nn.Module):
    """Multi-head self- or cross-attention with padding/causal masks and an optional KV cache (Q17)."""

    def __init__(self, d_model: int, num_heads: int, dropout: float = 0.0) -> None:
        super().__init__()
        if d_model % num_heads != 0:
            raise ValueError(f"d_model={d_model} is not divisible by num_heads={num_heads}")
        self.num_heads = num_heads
        self.query = nn.Linear(d_model, d_model)
        self.key = nn.Linear(d_model, d_model)
        self.value = nn.Linear(d_model, d_model)
        self.out = nn.Linear(d_model, d_model)
        self.dropout = dropout
        self.record_weights = False
        self.weights: Tensor | None = None

    def split_heads(self, x: Tensor) -> Tensor:
        """(batch, seq, d_model) -> (batch, heads, seq, d_head)."""
        batch, seq, d_model = x.shape
        return x.view(batch, seq, self.num_heads, d_model // self.num_heads).transpose(1, 2)

    def forward(
        self,
        x: Tensor,
        context: Tensor | None = None,
        allowed: Tensor | None = None,
        causal: bool = False,
        cache: KVCache | None = None,
    ) -> Tensor:
        """Attend from `x` to itself, or to `context` (cross-attention); `allowed` masks keys."""
        source = x if context is None else context
        query = self.split_heads(self.query(x))
        key, value = self.split_heads(self.key(source)), self.split_heads(self.value(source))
        if cache is not None:
            key, value = cache.extend(key, value)
        num_queries, num_keys = query.size(-2), key.size(-2)
        dropout = self.dropout if self.training else 0.0
        if causal and allowed is None and num_queries == 1 and not self.record_weights:
            # the newest position may read every cached one: no mask to build
            heads = F.scaled_dot_product_attention(query, key, value, dropout_p=dropout)
        elif causal and allowed is None and num_queries == num_keys and not self.record_weights:
            heads = F.scaled_dot_product_attention(query, key, value, dropout_p=dropout, is_causal=True)
        else:
            if causal:
                future = causal_mask(num_queries, num_keys, x.device)
                allowed = future if allowed is None else allowed & future
            if self.record_weights:
                heads, self.weights = scaled_dot_product_attention(query, key, value, allowed)
            else:
                mask = None if allowed is None else additive_mask(allowed, query.dtype)
                heads = F.scaled_dot_product_attention(query, key, value, attn_mask=mask, dropout_p=dropout)
        batch, _, seq, d_head = heads.shape
        return self.out(heads.transpose(1, 2).reshape(batch, seq, self.num_heads * d_head))


def recorded_attention(model: nn.Module, *inputs: Tensor, **kwargs) -> list[Tensor]:
    """Run `model` once and return the attention weights of every attention layer, in order (Q17)."""
    layers = [m for m in model.modules() if isinstance(m, MultiHeadAttention)]
    for layer in layers:
        layer.record_weights = True
    try:
        with torch.no_grad():
            model(*inputs, **kwargs)
        return [layer.weights for layer in layers]
    finally:
        for layer in layers:
            layer.record_weights, layer.weights = False, None
