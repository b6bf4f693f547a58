"""Transformer blocks: post-LN encoder (BERT, Vaswani), pre-LN decoder (GPT-2), post-LN cross decoder (Q17)."""

from torch import Tensor, nn

from mlqa.transformer.attention import KVCache, MultiHeadAttention

ACTIVATIONS = {
    "relu": lambda: nn.ReLU(),
    "gelu": lambda: nn.GELU(),  # exact erf GELU, as in BERT
    "gelu_tanh": lambda: nn.GELU(approximate="tanh"),  # GPT-2's "gelu_new"
}


def init_weights(module: nn.Module) -> None:
    """GPT-2/BERT initialisation: normal(0, 0.02) weights and embeddings, zero biases (Q17)."""
    if isinstance(module, (nn.Linear, nn.Embedding)):
        nn.init.normal_(module.weight, std=0.02)
    if isinstance(module, nn.Linear) and module.bias is not None:
        nn.init.zeros_(module.bias)


def feed_forward(d_model: int, d_ff: int, activation: str, dropout: float) -> nn.Sequential:
    """Position-wise two-layer MLP d_model -> d_ff -> d_model (Q17)."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
    return nn.Sequential(
        nn.Linear(d_model, d_ff), ACTIVATIONS[activation](), nn.Linear(d_ff, d_model), nn.Dropout(dropout)
    )


class PostLNEncoderBlock(nn.Module):
    """x = LN(x + SelfAttention(x)); x = LN(x + FFN(x)) -- BERT and the original encoder (Q17)."""

    def __init__(self, d_model: int, num_heads: int, d_ff: int, activation: str, eps: float, dropout: float):
        super().__init__()
        self.attention = MultiHeadAttention(d_model, num_heads, dropout)
        self.drop = nn.Dropout(dropout)
        self.norm1 = nn.LayerNorm(d_model, eps=eps)
        self.ffn = feed_forward(d_model, d_ff, activation, dropout)
        self.norm2 = nn.LayerNorm(d_model, eps=eps)

    def forward(self, x: Tensor, allowed: Tensor | None = None) -> Tensor:
        x = self.norm1(x + self.drop(self.attention(x, allowed=allowed)))
        return self.norm2(x + self.ffn(x))


class PreLNDecoderBlock(nn.Module):
    """x = x + CausalSelfAttention(LN(x)); x = x + FFN(LN(x)) -- GPT-2 (Q17)."""

    def __init__(self, d_model: int, num_heads: int, d_ff: int, activation: str, eps: float, dropout: float):
        super().__init__()
        self.norm1 = nn.LayerNorm(d_model, eps=eps)
        self.attention = MultiHeadAttention(d_model, num_heads, dropout)
        self.drop = nn.Dropout(dropout)
        self.norm2 = nn.LayerNorm(d_model, eps=eps)
        self.ffn = feed_forward(d_model, d_ff, activation, dropout)

    def forward(self, x: Tensor, allowed: Tensor | None = None, cache: KVCache | None = None) -> Tensor:
        x = x + self.drop(self.attention(self.norm1(x), allowed=allowed, causal=True, cache=cache))
        return x + self.ffn(self.norm2(x))


class PostLNCrossDecoderBlock(nn.Module):
    """Causal self-attention, cross-attention to the encoder, FFN; each followed by add & LN (Q17)."""

    def __init__(self, d_model: int, num_heads: int, d_ff: int, activation: str, eps: float, dropout: float):
        super().__init__()
        self.self_attention = MultiHeadAttention(d_model, num_heads, dropout)
        self.norm1 = nn.LayerNorm(d_model, eps=eps)
        self.cross_attention = MultiHeadAttention(d_model, num_heads, dropout)
        self.norm2 = nn.LayerNorm(d_model, eps=eps)
        self.ffn = feed_forward(d_model, d_ff, activation, dropout)
        self.norm3 = nn.LayerNorm(d_model, eps=eps)
        self.drop = nn.Dropout(dropout)

    def forward(
        self, x: Tensor, memory: Tensor, memory_allowed: Tensor | None = None, allowed: Tensor | None = None
    ) -> Tensor:
        x = self.norm1(x + self.drop(self.self_attention(x, allowed=allowed, causal=True)))
        x = self.norm2(x + self.drop(self.cross_attention(x, context=memory, allowed=memory_allowed)))
        return self.norm3(x + self.ffn(x))
