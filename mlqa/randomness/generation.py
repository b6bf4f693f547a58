"""Randomness in text generation: temperature, top-k and top-p (nucleus) sampling with a seeded generator (Q10)."""

from __future__ import annotations

import torch


def filter_logits(logits: torch.Tensor, top_k: int | None = None, top_p: float | None = None) -> torch.Tensor:
    """Logits with every token outside the top k, or outside the smallest set of mass >= top_p, set to -inf (Q10)."""
    if top_k is not None and not 1 <= top_k:
        raise ValueError(f"top_k must be at least 1, got {top_k}")
    if top_p is not None and not 0.0 < top_p <= 1.0:
        raise ValueError(f"top_p must be in (0, 1], got {top_p}")
    logits = logits.clone()
    if top_k is not None and top_k < logits.shape[-1]:
        kth = torch.topk(logits, top_k, dim=-1).values[..., -1:]
        logits[logits < kth] = float("-inf")
    if top_p is not None and top_p < 1.0:
        sorted_logits, order = torch.sort(logits, dim=-1, descending=True)
        cumulative = sorted_logits.softmax(-1).cumsum(-1)
        # Drop a token when the tokens ranked above it already reach top_p; the first token always stays.
        drop_sorted = (cumulative - sorted_logits.softmax(-1)) >= top_p
        drop = torch.zeros_like(drop_sorted).scatter(-1, order, drop_sorted)
        logits[drop] = float("-inf")
    return logits


def next_token_probabilities(logits: torch.Tensor, temperature: float = 1.0, top_k: int | None = None,
                             top_p: float | None = None) -> torch.Tensor:
    """The distribution a sampler draws the next token from (temperature 0 means greedy) (Q10)."""
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, got {temperature}")
    if temperature == 0:
        return torch.nn.functional.one_hot(logits.argmax(-1), logits.shape[-1]).float()
    return filter_logits(logits / temperature, top_k, top_p).softmax(-1)


def sample_tokens(logits: torch.Tensor, n: int, temperature: float = 1.0, top_k: int | None = None,
                  top_p: float | None = None, seed: int | None = 0) -> torch.Tensor:
    """`n` draws of the next token; the same `seed` gives the same draws, `seed=None` fresh ones (Q10)."""
    if logits.ndim != 1:
        raise ValueError(f"logits must be one vector over the vocabulary, got shape {tuple(logits.shape)}")
    generator = torch.Generator()
    if seed is None:
        generator.seed()
    else:
        generator.manual_seed(seed)
    probs = next_token_probabilities(logits, temperature, top_k, top_p)
    return torch.multinomial(probs, n, replacement=True, generator=generator)


def entropy_bits(probs: torch.Tensor) -> float:
    """Shannon entropy of a distribution in bits: how unpredictable the next token is (Q10)."""
    p = probs[probs > 0]
    return float(-(p * p.log2()).sum())


# A toy next-token distribution after the prompt "The cat sat on the".
TOY_VOCABULARY = ("mat", "sofa", "floor", "chair", "bed", "roof", "table", "keyboard", "moon", "idea")
TOY_LOGITS = torch.tensor([3.2, 2.6, 2.4, 2.0, 1.8, 1.0, 0.9, 0.5, -1.0, -2.0])
