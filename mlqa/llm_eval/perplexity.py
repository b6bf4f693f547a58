"""Perplexity from its definition: the exponent of the mean negative log-likelihood of each next token (Q19)."""

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def token_log_likelihoods(model: nn.Module, token_ids: Tensor, attention_mask: Tensor | None = None) -> Tensor:
    """log p(token t+1 | tokens <= t) for every predicted position, (batch, seq - 1); padding gives 0 (Q19).

    `model` maps ids (and a 1/0 attention mask) to next-token logits, or to an output with `.logits`
    (a Hugging Face causal LM).
    """
    ids = token_ids.unsqueeze(0) if token_ids.dim() == 1 else token_ids
    mask = attention_mask
    if mask is not None and mask.dim() == 1:
        mask = mask.unsqueeze(0)
    if ids.dim() != 2 or ids.size(1) < 2:
        raise ValueError(f"token_ids must be (seq,) or (batch, seq) with seq >= 2, got shape {tuple(token_ids.shape)}")
    if mask is not None and mask.shape != ids.shape:
        raise ValueError(f"attention_mask shape {tuple(mask.shape)} differs from token_ids shape {tuple(ids.shape)}")
    was_training = model.training
    model.eval()
    with torch.no_grad():
        output = model(ids) if mask is None else model(ids, attention_mask=mask)
    model.train(was_training)
    logits = getattr(output, "logits", output)[:, :-1].float()
    log_probs = F.log_softmax(logits, dim=-1).gather(-1, ids[:, 1:, None]).squeeze(-1)
    return log_probs if mask is None else log_probs * mask[:, 1:].to(log_probs.dtype)


def perplexity(model: nn.Module, token_ids: Tensor, attention_mask: Tensor | None = None) -> float:
    """exp(mean negative log-likelihood of every real next token); padded positions do not count (Q19)."""
    log_likelihoods = token_log_likelihoods(model, token_ids, attention_mask)
    ids = token_ids.unsqueeze(0) if token_ids.dim() == 1 else token_ids
    count = ids[:, 1:].numel() if attention_mask is None else int(attention_mask.reshape(ids.shape)[:, 1:].sum())
    if count == 0:
        raise ValueError("no real token to predict: the attention mask leaves fewer than 2 tokens per row")
    return math.exp(-log_likelihoods.sum().item() / count)
