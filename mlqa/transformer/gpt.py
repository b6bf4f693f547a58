"""GPT-style decoder: pre-LN causal blocks, a tied LM head, sampling and a KV cache (Q17)."""

from dataclasses import dataclass

import torch
from torch import Tensor, nn

from mlqa.transformer.attention import KVCache, padding_mask
from mlqa.transformer.blocks import PreLNDecoderBlock, init_weights
from mlqa.transformer.embeddings import check_inputs


@dataclass
class DecoderConfig:
    """Sizes of a GPT-style decoder (Q17)."""

    vocab_size: int
    d_model: int = 128
    num_layers: int = 2
    num_heads: int = 4
    d_ff: int = 512
    max_positions: int = 128
    eps: float = 1e-5
    dropout: float = 0.1
    activation: str = "gelu_tanh"


class GPT(nn.Module):
    """Token + learned position embeddings, pre-LN causal blocks, final LayerNorm, tied LM head (Q17)."""

    def __init__(self, config: DecoderConfig):
        super().__init__()
        self.config = config
        self.token_embedding = nn.Embedding(config.vocab_size, config.d_model)
        self.position_embedding = nn.Embedding(config.max_positions, config.d_model)
        self.drop = nn.Dropout(config.dropout)
        c = config
        self.blocks = nn.ModuleList(
            PreLNDecoderBlock(c.d_model, c.num_heads, c.d_ff, c.activation, c.eps, c.dropout)
            for _ in range(c.num_layers)
        )
        self.final_norm = nn.LayerNorm(config.d_model, eps=config.eps)
        self.apply(init_weights)

    def hidden_states(
        self, input_ids: Tensor, attention_mask: Tensor | None = None, caches: list[KVCache] | None = None
    ) -> Tensor:
        """Final-LayerNorm hidden states (batch, seq, d_model); `caches` hold earlier positions."""
        past = 0 if caches is None else len(caches[0])
        if attention_mask is not None and caches is not None:
            raise ValueError("attention_mask with a KV cache is not supported: generate from unpadded prompts")
        check_inputs(input_ids, attention_mask, self.config.vocab_size, self.config.max_positions, past)
        positions = torch.arange(past, past + input_ids.size(1), device=input_ids.device)
        x = self.drop(self.token_embedding(input_ids) + self.position_embedding(positions))
        allowed = None if attention_mask is None else padding_mask(attention_mask)
        for i, block in enumerate(self.blocks):
            x = block(x, allowed, None if caches is None else caches[i])
        return self.final_norm(x)

    def forward(
        self, input_ids: Tensor, attention_mask: Tensor | None = None, caches: list[KVCache] | None = None
    ) -> Tensor:
        """Next-token logits (batch, seq, vocab); the output layer reuses the token embedding."""
        return self.hidden_states(input_ids, attention_mask, caches) @ self.token_embedding.weight.T

    @torch.no_grad()
    def generate(
        self,
        input_ids: Tensor,
        max_new_tokens: int,
        temperature: float = 0.0,
        top_k: int | None = None,
        eos_id: int | None = None,
        use_cache: bool = True,
        generator: torch.Generator | None = None,
    ) -> Tensor:
        """Extend the prompts token by token: greedy if temperature == 0, else sample (top-k optional) (Q17).

        Rows that produced `eos_id` are padded with it; generation stops once every row has.
        """
        if temperature < 0:
            raise ValueError(f"temperature must be >= 0, got {temperature}")
        if top_k is not None and not 1 <= top_k <= self.config.vocab_size:
            raise ValueError(f"top_k must lie in [1, {self.config.vocab_size}], got {top_k}")
        total = input_ids.size(1) + max_new_tokens
        if total > self.config.max_positions:
            raise ValueError(f"prompt + max_new_tokens = {total} exceeds max_positions = {self.config.max_positions}")
        caches = [KVCache(total) for _ in self.blocks] if use_cache else None
        tokens, step_input = input_ids, input_ids
        finished = torch.zeros(input_ids.size(0), dtype=torch.bool, device=input_ids.device)
        for _ in range(max_new_tokens):
            logits = self(step_input, caches=caches)[:, -1]
            next_token = pick_next_token(logits, temperature, top_k, generator)
            if eos_id is not None:
                next_token = next_token.masked_fill(finished, eos_id)
                finished |= next_token == eos_id
            tokens = torch.cat([tokens, next_token[:, None]], dim=1)
            step_input = next_token[:, None] if use_cache else tokens
            if finished.all():
                break
        return tokens


def pick_next_token(
    logits: Tensor, temperature: float, top_k: int | None, generator: torch.Generator | None = None
) -> Tensor:
    """Greedy argmax when temperature == 0; otherwise sample from softmax(logits / T), keeping the top k (Q17)."""
    if temperature == 0:
        return logits.argmax(dim=-1)
    logits = logits / temperature
    if top_k is not None:
        kth_best = logits.topk(top_k, dim=-1).values[:, -1:]
        logits = logits.masked_fill(logits < kth_best, float("-inf"))
    return torch.multinomial(logits.softmax(dim=-1), 1, generator=generator)[:, 0]


class GPTClassifier(nn.Module):
    """GPT body plus a new linear head on the hidden state of the last non-padding token (Q17)."""

    def __init__(self, config: DecoderConfig, num_labels: int, pad_id: int | None = None):
        super().__init__()
        self.gpt = GPT(config)
        self.score = nn.Linear(config.d_model, num_labels, bias=False)
        self.pad_id = pad_id

    def forward(self, input_ids: Tensor, attention_mask: Tensor | None = None) -> Tensor:
        """Class logits, (batch, num_labels), read at each row's last non-padding token."""
        hidden = self.gpt.hidden_states(input_ids, attention_mask)
        if self.pad_id is None:
            last = torch.full((input_ids.size(0),), input_ids.size(1) - 1, device=input_ids.device)
        else:
            positions = torch.arange(input_ids.size(1), device=input_ids.device)
            last = (positions * (input_ids != self.pad_id)).argmax(dim=-1)
        return self.score(hidden[torch.arange(input_ids.size(0)), last])


@torch.no_grad()
def generation_trace(
    model: GPT, input_ids: Tensor, max_new_tokens: int, top: int = 5, temperature: float = 0.0,
    top_k: int | None = None, generator: torch.Generator | None = None, eos_id: int | None = None,
) -> tuple[Tensor, list[dict]]:
    """Generate for one prompt, recording each step's `top` likeliest tokens and the token picked (Q17).

    Each step is {"top_ids", "top_probabilities", "picked", "picked_probability", "picked_rank"}; probabilities
    are softmax(logits / temperature) (plain softmax when greedy) and rank 1 is the likeliest token. Generation
    stops after `eos_id`.
    """
    if input_ids.size(0) != 1:
        raise ValueError(f"generation_trace follows one prompt, got a batch of {input_ids.size(0)}")
    caches = [KVCache(input_ids.size(1) + max_new_tokens) for _ in model.blocks]
    tokens, step_input, trace = input_ids, input_ids, []
    for _ in range(max_new_tokens):
        logits = model(step_input, caches=caches)[:, -1]
        probabilities = (logits / temperature if temperature else logits).softmax(-1)[0]
        best = probabilities.topk(top)
        next_token = pick_next_token(logits, temperature, top_k, generator)
        picked = int(next_token[0])
        trace.append({
            "top_ids": best.indices.tolist(), "top_probabilities": best.values.tolist(), "picked": picked,
            "picked_probability": float(probabilities[picked]),
            "picked_rank": 1 + int((probabilities > probabilities[picked]).sum()),
        })
        tokens = torch.cat([tokens, next_token[:, None]], dim=1)
        step_input = next_token[:, None]
        if picked == eos_id:
            break
    return tokens, trace


def repeated_ngram_fraction(tokens: list[int], n: int = 2) -> float:
    """Share of the n-grams in `tokens` that already occurred earlier in it: 0 = no repeats, near 1 = a loop (Q17)."""
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    grams = [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return sum(gram in grams[:i] for i, gram in enumerate(grams)) / len(grams) if grams else 0.0
