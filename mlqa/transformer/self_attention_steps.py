"""Self-attention one step at a time on a short sentence, and multi-head attention copied into PyTorch's (Q16)."""

import math
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from mlqa.transformer.attention import MultiHeadAttention


@dataclass
class SelfAttentionSteps:
    """Every intermediate of single-head scaled dot-product self-attention on one sequence (Q16)."""

    tokens: list[str]
    embeddings: Tensor
    query: Tensor
    key: Tensor
    value: Tensor
    scores: Tensor
    weights: Tensor
    output: Tensor

    def shapes(self) -> dict[str, tuple[int, ...]]:
        """Name -> shape of each step, in the order they are computed."""
        names = ["embeddings", "query", "key", "value", "scores", "weights", "output"]
        return {name: tuple(getattr(self, name).shape) for name in names}


def toy_embeddings(tokens: list[str], d_model: int, seed: int = 0) -> Tensor:
    """A random (untrained) embedding vector per distinct token, stacked in sentence order: (tokens, d_model) (Q16)."""
    if not tokens or d_model < 1:
        raise ValueError(f"need at least one token and d_model >= 1, got {len(tokens)} tokens and d_model={d_model}")
    vocabulary = sorted(set(tokens))
    table = torch.randn(len(vocabulary), d_model, generator=torch.Generator().manual_seed(seed))
    return table[[vocabulary.index(t) for t in tokens]]


def self_attention_steps(
    tokens: list[str], embeddings: Tensor, w_query: Tensor, w_key: Tensor, w_value: Tensor
) -> SelfAttentionSteps:
    """Project to queries, keys and values, score, softmax, and take the weighted sum of values (Q16).

    `embeddings` is (tokens, d_model); each projection matrix is (d_model, d_k) (d_v for values).
    """
    if embeddings.dim() != 2 or embeddings.size(0) != len(tokens):
        raise ValueError(f"embeddings must be (tokens={len(tokens)}, d_model), got {tuple(embeddings.shape)}")
    for name, w in (("w_query", w_query), ("w_key", w_key), ("w_value", w_value)):
        if w.dim() != 2 or w.size(0) != embeddings.size(1):
            raise ValueError(f"{name} must be (d_model={embeddings.size(1)}, d), got {tuple(w.shape)}")
    if w_query.size(1) != w_key.size(1):
        raise ValueError(f"queries and keys need the same size, got {w_query.size(1)} and {w_key.size(1)}")
    query, key, value = embeddings @ w_query, embeddings @ w_key, embeddings @ w_value
    scores = query @ key.T / math.sqrt(key.size(1))
    weights = scores.softmax(dim=-1)
    return SelfAttentionSteps(tokens, embeddings, query, key, value, scores, weights, weights @ value)


def torch_multihead_copy(ours: MultiHeadAttention) -> nn.MultiheadAttention:
    """`nn.MultiheadAttention` (batch_first) holding a copy of the weights of mlqa's MultiHeadAttention (Q16)."""
    d_model = ours.query.in_features
    theirs = nn.MultiheadAttention(d_model, ours.num_heads, dropout=ours.dropout, batch_first=True)
    with torch.no_grad():
        theirs.in_proj_weight.copy_(torch.cat([ours.query.weight, ours.key.weight, ours.value.weight]))
        theirs.in_proj_bias.copy_(torch.cat([ours.query.bias, ours.key.bias, ours.value.bias]))
        theirs.out_proj.weight.copy_(ours.out.weight)
        theirs.out_proj.bias.copy_(ours.out.bias)
    return theirs.to(ours.query.weight.device).train(ours.training)


def multihead_gradients(ours: MultiHeadAttention, theirs: nn.MultiheadAttention, x: Tensor) -> dict[str, Tensor]:
    """Gradients of sum(output^2) for both modules, laid out as PyTorch's packed in-projection (Q16).

    Keys: 'ours in_proj', 'theirs in_proj', 'ours out_proj', 'theirs out_proj', 'ours input', 'theirs input'.
    """
    grads = {}
    for name, module in (("ours", ours), ("theirs", theirs)):
        module.zero_grad(set_to_none=True)
        inputs = x.detach().clone().requires_grad_(True)
        out = module(inputs) if name == "ours" else module(inputs, inputs, inputs, need_weights=False)[0]
        out.pow(2).sum().backward()
        grads[f"{name} input"] = inputs.grad
    grads["ours in_proj"] = torch.cat([ours.query.weight.grad, ours.key.weight.grad, ours.value.weight.grad])
    grads["theirs in_proj"] = theirs.in_proj_weight.grad
    grads["ours out_proj"] = ours.out.weight.grad
    grads["theirs out_proj"] = theirs.out_proj.weight.grad
    return grads


def masking_checks(d_model: int = 16, num_heads: int = 4, length: int = 6, num_pad: int = 3, seed: int = 0
                   ) -> dict[str, float]:
    """Largest output changes that the causal and padding masks must (or, without a mask, need not) prevent (Q16).

    'causal': outputs at positions < length/2 after the later tokens are redrawn (must be 0);
    'padding': real-token outputs with num_pad padding vectors appended and masked (must be 0);
    'padding, unmasked': the same padding left visible (a control: changes the outputs).
    """
    if length < 2 or num_pad < 1:
        raise ValueError(f"need length >= 2 and num_pad >= 1, got length={length}, num_pad={num_pad}")
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    attention = MultiHeadAttention(d_model, num_heads).eval()
    x = torch.randn(1, length, d_model, generator=generator)
    changed = x.clone()
    half = length // 2
    changed[:, half:] = torch.randn(1, length - half, d_model, generator=generator)
    padded = torch.cat([x, torch.randn(1, num_pad, d_model, generator=generator)], dim=1)
    keep = torch.cat([torch.ones(1, length), torch.zeros(1, num_pad)], dim=1).long()
    allowed = keep.bool()[:, None, None, :]
    with torch.no_grad():
        plain = attention(x)
        causal_change = attention(x, causal=True)[:, :half] - attention(changed, causal=True)[:, :half]
        masked = attention(padded, allowed=allowed)[:, :length] - plain
        unmasked = attention(padded)[:, :length] - plain
    return {"causal": causal_change.abs().max().item(), "padding": masked.abs().max().item(),
            "padding, unmasked": unmasked.abs().max().item()}
