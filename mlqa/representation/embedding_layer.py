"""An embedding layer is a fully connected layer (no bias) applied to one-hot vectors, computed by lookup (Q1)."""

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.utils.flop_counter import FlopCounterMode


@dataclass(frozen=True)
class EmbeddingParity:
    """How nn.Embedding and nn.Linear on one-hot inputs compare: outputs, gradients, work and memory (Q1)."""

    vocab_size: int
    dim: int
    n_tokens: int
    output_difference: float  # max |embedding(ids) - linear(one_hot(ids))|
    gradient_difference: float  # max |dL/dW of the embedding - (dL/dW of the linear layer)^T|
    one_hot_flops: int  # counted by torch.utils.flop_counter for linear(one_hot(ids))
    lookup_flops: int  # counted the same way for embedding(ids)
    one_hot_bytes: int  # memory of the one-hot input
    index_bytes: int  # memory of the integer ids the lookup reads


def one_hot(ids: Tensor, vocab_size: int) -> Tensor:
    """Float one-hot rows (..., vocab_size) for integer token ids (Q1)."""
    if ids.numel() and (int(ids.min()) < 0 or int(ids.max()) >= vocab_size):
        raise ValueError(f"token ids must lie in [0, {vocab_size}), got min {int(ids.min())} max {int(ids.max())}")
    return F.one_hot(ids, vocab_size).float()


def linear_from_embedding(embedding: nn.Embedding) -> nn.Linear:
    """A bias-free nn.Linear whose weight is the embedding table transposed: the same map on one-hot inputs (Q1)."""
    linear = nn.Linear(embedding.num_embeddings, embedding.embedding_dim, bias=False)
    with torch.no_grad():
        linear.weight.copy_(embedding.weight.T)
    return linear.to(embedding.weight.device)


def _flops(fn) -> tuple[Tensor, int]:
    with FlopCounterMode(display=False) as counter:
        out = fn()
    return out, counter.get_total_flops()


def embedding_vs_linear(vocab_size: int = 1000, dim: int = 32, n_tokens: int = 256, seed: int = 0,
                        device: torch.device | str = "cpu") -> EmbeddingParity:
    """Run nn.Embedding and its nn.Linear twin on the same ids; compare outputs, gradients, FLOPs and memory (Q1)."""
    if min(vocab_size, dim, n_tokens) < 1:
        raise ValueError(f"vocab_size, dim and n_tokens must be positive, got {vocab_size}, {dim}, {n_tokens}")
    generator = torch.Generator().manual_seed(seed)
    embedding = nn.Embedding(vocab_size, dim).to(device)
    with torch.no_grad():
        embedding.weight.copy_(torch.randn(vocab_size, dim, generator=generator))
    linear = linear_from_embedding(embedding)
    ids = torch.randint(0, vocab_size, (n_tokens,), generator=generator).to(device)
    upstream = torch.randn(n_tokens, dim, generator=generator).to(device)  # dL/d(output) of some loss
    inputs = one_hot(ids, vocab_size)
    looked_up, lookup_flops = _flops(lambda: embedding(ids))
    multiplied, one_hot_flops = _flops(lambda: linear(inputs))
    (looked_up * upstream).sum().backward()
    (multiplied * upstream).sum().backward()
    return EmbeddingParity(
        vocab_size, dim, n_tokens,
        output_difference=float((looked_up - multiplied).detach().abs().max()),
        gradient_difference=float((embedding.weight.grad - linear.weight.grad.T).abs().max()),
        one_hot_flops=one_hot_flops, lookup_flops=lookup_flops,
        one_hot_bytes=inputs.element_size() * inputs.numel(), index_bytes=ids.element_size() * ids.numel(),
    )
