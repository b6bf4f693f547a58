"""Soft prompts: prompt tuning (Lester et al. 2021) and prefix tuning (Li & Liang 2021) on a frozen encoder (Q18).

Prompt tuning learns a few input vectors placed before the tokens; prefix tuning learns a few keys and values
that every attention layer sees in front of the tokens' own. Both run the encoder through `encode`, which is
BertEncoder's forward pass with room for the learned vectors.
"""

import torch
from torch import Tensor, nn

from mlqa.transformer import BertEncoder


class PrefixedProjection(nn.Module):
    """A key or value projection whose output gets `prefix` (num_virtual, d) rows in front of the tokens' (Q18)."""

    def __init__(self, base: nn.Linear, prefix: Tensor):
        super().__init__()
        if prefix.dim() != 2 or prefix.size(1) != base.out_features:
            raise ValueError(f"prefix must be (num_virtual, {base.out_features}), got {tuple(prefix.shape)}")
        self.base = base
        self.prefix = nn.Parameter(prefix.clone())

    def forward(self, x: Tensor) -> Tensor:
        """(batch, num_virtual + seq, d): the learned prefix, then the projected tokens."""
        return torch.cat([self.prefix.expand(x.size(0), -1, -1), self.base(x)], dim=1)


def num_virtual_tokens(encoder: BertEncoder) -> tuple[int, int]:
    """(soft prompt length, prefix length) currently attached to `encoder` (Q18)."""
    prompt = getattr(encoder, "soft_prompt", None)
    prefixes = [m.prefix.size(0) for m in encoder.modules() if isinstance(m, PrefixedProjection)]
    return (0 if prompt is None else prompt.size(0)), (prefixes[0] if prefixes else 0)


def encode(
    encoder: BertEncoder, input_ids: Tensor, attention_mask: Tensor, num_blocks: int | None = None,
    position_offset: int = 0,
) -> Tensor:
    """BertEncoder's forward with an optional soft prompt and key/value prefixes; returns the tokens' states (Q18).

    With `num_blocks` only the first that many blocks run (the input of the blocks above them). `position_offset`
    moves every position up: peft's prefix tuning on a BERT does that by the prefix length, because the model
    takes the prefix for earlier tokens.
    A soft prompt is concatenated to the token embeddings before the position embeddings are added, as peft does
    for an encoder, so the prompt takes positions 0..P-1 and the tokens move up by P. Prefix keys and values
    take no positions. The states of the prompt positions are dropped from the output.
    """
    if input_ids.shape != attention_mask.shape:
        raise ValueError(f"input_ids {tuple(input_ids.shape)} and attention_mask {tuple(attention_mask.shape)} differ")
    prompt_length, prefix_length = num_virtual_tokens(encoder)
    if position_offset + input_ids.size(1) + prompt_length > encoder.config.max_positions:
        raise ValueError(f"{input_ids.size(1)} tokens + {prompt_length} prompt vectors + offset {position_offset} "
                         f"exceed {encoder.config.max_positions} positions")
    batch, seq = input_ids.shape
    x = encoder.token_embedding(input_ids)
    if prompt_length:
        x = torch.cat([encoder.soft_prompt.expand(batch, -1, -1), x], dim=1)
    positions = torch.arange(position_offset, position_offset + prompt_length + seq, device=input_ids.device)
    x = x + encoder.segment_embedding(torch.zeros_like(positions)) + encoder.position_embedding(positions)
    x = encoder.drop(encoder.embedding_norm(x))
    keys_mask = torch.cat([attention_mask.new_ones(batch, prefix_length + prompt_length), attention_mask], dim=1)
    allowed = keys_mask.bool()[:, None, None, :]  # every query sees the prefix, the prompt and the real tokens
    for block in encoder.blocks[:num_blocks]:
        x = block(x, allowed)
    return x[:, prompt_length:]


def random_vocabulary_ids(encoder: BertEncoder, shape: tuple[int, ...], seed: int) -> Tensor:
    """Random token ids drawn with `seed`, past BERT's first 1,000 ([PAD], [unusedN], ...) in a large vocabulary."""
    low = 1000 if encoder.config.vocab_size > 2000 else 1
    return torch.randint(low, encoder.config.vocab_size, shape, generator=torch.Generator().manual_seed(seed))


def add_soft_prompt(encoder: BertEncoder, length: int = 10, seed: int = 0) -> None:
    """Attach `length` trainable input vectors, started at the embeddings of random vocabulary tokens (Q18).

    Lester et al. found starting from real token embeddings better than from random numbers.
    """
    if length < 1:
        raise ValueError(f"prompt length must be >= 1, got {length}")
    ids = random_vocabulary_ids(encoder, (length,), seed)
    encoder.soft_prompt = nn.Parameter(encoder.token_embedding.weight[ids].detach().clone())


@torch.no_grad()
def add_prefixes(encoder: BertEncoder, length: int = 10, seed: int = 0) -> None:
    """Attach `length` trainable keys and values to every attention layer (Q18).

    They start as the keys and values the frozen encoder computes for `length` random vocabulary tokens, the
    "activations of real words" start of Li & Liang (their MLP reparametrisation is left out).
    """
    if length < 1:
        raise ValueError(f"prefix length must be >= 1, got {length}")
    ids = random_vocabulary_ids(encoder, (1, length), seed)
    was_training = encoder.training
    encoder.eval()
    positions = torch.arange(length)
    x = encoder.token_embedding(ids) + encoder.segment_embedding(torch.zeros_like(ids))
    x = encoder.embedding_norm(x + encoder.position_embedding(positions))
    for block in encoder.blocks:
        attention = block.attention
        keys, values = attention.key(x)[0], attention.value(x)[0]
        x = block(x)
        attention.key = PrefixedProjection(attention.key, keys)
        attention.value = PrefixedProjection(attention.value, values)
    encoder.train(was_training)
