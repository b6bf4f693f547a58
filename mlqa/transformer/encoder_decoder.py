"""The original encoder-decoder transformer (Vaswani et al., 2017): post-LN, sinusoidal positions (Q17)."""

import math
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from mlqa.transformer.attention import padding_mask
from mlqa.transformer.blocks import PostLNCrossDecoderBlock, PostLNEncoderBlock, init_weights
from mlqa.transformer.embeddings import check_inputs, sinusoidal_positions


@dataclass
class EncoderDecoderConfig:
    """Sizes of an encoder-decoder transformer with one vocabulary shared by source and target (Q17)."""

    vocab_size: int
    pad_id: int
    d_model: int = 64
    num_encoder_layers: int = 2
    num_decoder_layers: int = 2
    num_heads: int = 4
    d_ff: int = 256
    max_positions: int = 64
    eps: float = 1e-5
    dropout: float = 0.1
    activation: str = "relu"


class EncoderDecoder(nn.Module):
    """Encoder reads the source; decoder writes the target, attending to it and to the encoder (Q17)."""

    def __init__(self, config: EncoderDecoderConfig):
        super().__init__()
        self.config = config
        d, eps = config.d_model, config.eps
        self.token_embedding = nn.Embedding(config.vocab_size, d)
        self.register_buffer("positions", sinusoidal_positions(config.max_positions, d), persistent=False)
        self.drop = nn.Dropout(config.dropout)
        self.encoder_blocks = nn.ModuleList(
            PostLNEncoderBlock(d, config.num_heads, config.d_ff, config.activation, eps, config.dropout)
            for _ in range(config.num_encoder_layers)
        )
        self.decoder_blocks = nn.ModuleList(
            PostLNCrossDecoderBlock(d, config.num_heads, config.d_ff, config.activation, eps, config.dropout)
            for _ in range(config.num_decoder_layers)
        )
        self.logits_bias = nn.Parameter(torch.zeros(config.vocab_size))
        self.apply(init_weights)
        nn.init.normal_(self.token_embedding.weight, std=d**-0.5)  # scaled by sqrt(d): unit-size token vectors

    def embed(self, ids: Tensor) -> Tensor:
        """Token embedding scaled by sqrt(d_model) plus sinusoidal positions."""
        scaled = self.token_embedding(ids) * math.sqrt(self.config.d_model)
        return self.drop(scaled + self.positions[: ids.size(1)])

    def encode(self, input_ids: Tensor, attention_mask: Tensor | None = None) -> Tensor:
        """Encoder output ("memory"), (batch, source_len, d_model)."""
        check_inputs(input_ids, attention_mask, self.config.vocab_size, self.config.max_positions)
        allowed = None if attention_mask is None else padding_mask(attention_mask)
        x = self.embed(input_ids)
        for block in self.encoder_blocks:
            x = block(x, allowed)
        return x

    def decode(
        self,
        decoder_input_ids: Tensor,
        memory: Tensor,
        attention_mask: Tensor | None = None,
        decoder_attention_mask: Tensor | None = None,
    ) -> Tensor:
        """Next-token logits over the target, (batch, target_len, vocab)."""
        check_inputs(
            decoder_input_ids, decoder_attention_mask, self.config.vocab_size, self.config.max_positions,
            name="decoder_input_ids",
        )
        memory_allowed = None if attention_mask is None else padding_mask(attention_mask)
        allowed = None if decoder_attention_mask is None else padding_mask(decoder_attention_mask)
        x = self.embed(decoder_input_ids)
        for block in self.decoder_blocks:
            x = block(x, memory, memory_allowed, allowed)
        return x @ self.token_embedding.weight.T + self.logits_bias

    def forward(
        self,
        input_ids: Tensor,
        decoder_input_ids: Tensor,
        attention_mask: Tensor | None = None,
        decoder_attention_mask: Tensor | None = None,
    ) -> Tensor:
        """Logits for every target position given the whole source (teacher forcing)."""
        memory = self.encode(input_ids, attention_mask)
        return self.decode(decoder_input_ids, memory, attention_mask, decoder_attention_mask)

    @torch.no_grad()
    def generate(
        self,
        input_ids: Tensor,
        start_id: int,
        eos_id: int,
        max_new_tokens: int,
        attention_mask: Tensor | None = None,
    ) -> Tensor:
        """Greedy decoding from `start_id` until every row emitted `eos_id` (then padded with pad_id) (Q17)."""
        memory = self.encode(input_ids, attention_mask)
        tokens = torch.full((input_ids.size(0), 1), start_id, device=input_ids.device)
        finished = torch.zeros(input_ids.size(0), dtype=torch.bool, device=input_ids.device)
        for _ in range(max_new_tokens):
            next_token = self.decode(tokens, memory, attention_mask)[:, -1].argmax(dim=-1)
            next_token = next_token.masked_fill(finished, self.config.pad_id)
            finished |= next_token == eos_id
            tokens = torch.cat([tokens, next_token[:, None]], dim=1)
            if finished.all():
                break
        return tokens
