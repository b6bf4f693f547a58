"""The reference task every parallel paradigm is checked against: tiny models, synthetic data, one device (Q7)."""

from __future__ import annotations

import copy
import math

import torch
import torch.nn.functional as F
from torch import nn


def make_mlp(dims: tuple[int, ...] = (16, 32, 32, 32, 16), seed: int = 0) -> nn.Sequential:
    """A stack of Linear layers with ReLU between them, initialised from `seed` (Q7)."""
    torch.manual_seed(seed)
    layers: list[nn.Module] = []
    for i, (d_in, d_out) in enumerate(zip(dims[:-1], dims[1:])):
        layers.append(nn.Linear(d_in, d_out))
        if i < len(dims) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class SelfAttention(nn.Module):
    """Multi-head self-attention with separate query, key, value and output projections (Q7)."""

    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        if d_model % n_heads:
            raise ValueError(f"d_model={d_model} is not divisible by n_heads={n_heads}")
        self.n_heads, self.d_head = n_heads, d_model // n_heads
        self.q, self.k, self.v = (nn.Linear(d_model, d_model) for _ in range(3))
        self.out = nn.Linear(d_model, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape

        def heads(proj: nn.Linear) -> torch.Tensor:
            return proj(x).view(b, t, -1, self.d_head).transpose(1, 2)

        q, k, v = heads(self.q), heads(self.k), heads(self.v)
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)
        y = scores.softmax(dim=-1) @ v
        return self.out(y.transpose(1, 2).reshape(b, t, -1))


class FeedForward(nn.Module):
    """The transformer's position-wise MLP: Linear, GELU, Linear (Q7)."""

    def __init__(self, d_model: int, d_hidden: int):
        super().__init__()
        self.up = nn.Linear(d_model, d_hidden)
        self.down = nn.Linear(d_hidden, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down(F.gelu(self.up(x)))


class TransformerBlock(nn.Module):
    """A pre-LayerNorm transformer block: x + attn(ln(x)), then x + mlp(ln(x)) (Q7)."""

    def __init__(self, d_model: int = 16, n_heads: int = 4, d_hidden: int = 32):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.attn = SelfAttention(d_model, n_heads)
        self.mlp = FeedForward(d_model, d_hidden)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


def make_block(d_model: int = 16, n_heads: int = 4, d_hidden: int = 32, seed: int = 0) -> TransformerBlock:
    """A TransformerBlock initialised from `seed` (Q7)."""
    torch.manual_seed(seed)
    return TransformerBlock(d_model, n_heads, d_hidden)


def synthetic_regression(n_samples: int = 32, in_dim: int = 16, out_dim: int = 16,
                         seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Inputs and targets of a random nonlinear regression task (Q7)."""
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n_samples, in_dim, generator=g)
    W = torch.randn(in_dim, out_dim, generator=g) / math.sqrt(in_dim)
    return X, torch.tanh(X @ W)


def synthetic_sequences(batch: int = 8, seq_len: int = 8, d_model: int = 16,
                        seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Token vectors and per-token targets (a smoothed copy of the input) for the transformer block (Q7)."""
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(batch, seq_len, d_model, generator=g)
    return X, torch.tanh(X.cumsum(dim=1) / math.sqrt(seq_len))


def reference_task(seed: int = 0) -> tuple[nn.Module, torch.Tensor, torch.Tensor]:
    """The MLP and regression batch that data parallelism, ZeRO and their production counterparts train (Q7)."""
    X, Y = synthetic_regression(n_samples=32, seed=seed)
    return make_mlp(seed=seed), X, Y


def make_optimizer(params, name: str = "sgd", lr: float | None = None) -> torch.optim.Optimizer:
    """SGD (lr 0.1) or Adam (lr 0.01) by name; an unknown name is an error (Q7)."""
    if name == "sgd":
        return torch.optim.SGD(params, lr=0.1 if lr is None else lr)
    if name == "adam":
        return torch.optim.Adam(params, lr=0.01 if lr is None else lr)
    raise ValueError(f"unknown optimizer {name!r}; use 'sgd' or 'adam'")


def train_step(model: nn.Module, opt: torch.optim.Optimizer, X: torch.Tensor, Y: torch.Tensor) -> float:
    """One full-batch MSE step on any model whose output is whole on every rank; returns the loss (Q7)."""
    opt.zero_grad()
    loss = F.mse_loss(model(X), Y)
    loss.backward()
    opt.step()
    return loss.item()


def train_single_device(model: nn.Module, X: torch.Tensor, Y: torch.Tensor, steps: int = 3,
                        optimizer: str = "sgd", lr: float | None = None) -> tuple[nn.Module, list[float]]:
    """Train a copy of `model` with MSE on the full batch for `steps` steps; return it and the losses (Q7)."""
    model = copy.deepcopy(model)
    opt = make_optimizer(model.parameters(), optimizer, lr)
    losses = [train_step(model, opt, X, Y) for _ in range(steps)]
    return model, losses


def max_param_diff(a: nn.Module | dict, b: nn.Module | dict) -> float:
    """Largest absolute difference between two models' parameters with the same names (Q7)."""
    sa = a.state_dict() if isinstance(a, nn.Module) else a
    sb = b.state_dict() if isinstance(b, nn.Module) else b
    if sa.keys() != sb.keys():
        raise ValueError(f"parameter names differ: {sorted(sa.keys() ^ sb.keys())}")
    return max((sa[k].detach().float() - sb[k].detach().float()).abs().max().item() for k in sa)


def make_block_without_key_bias(d_model: int = 16, n_heads: int = 4, d_hidden: int = 32,
                                seed: int = 0) -> TransformerBlock:
    """make_block with the key projection's bias removed: its gradient is exactly zero (Q7).

    Adding the same vector to every key shifts each row of attention scores by a constant, which softmax
    ignores, so that bias never learns. Its computed gradient is pure rounding noise (~1e-10), and Adam divides
    by the gradient's own scale, turning noise into full-size steps that differ between any two summation
    orders. Without it, Adam training is reproducible across parallel layouts.
    """
    block = make_block(d_model, n_heads, d_hidden, seed)
    block.attn.k.bias = None
    return block
