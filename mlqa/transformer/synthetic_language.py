"""A synthetic language: Markov chains over a small vocabulary with a known entropy rate (Q8)."""

from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor


@dataclass
class MarkovLanguage:
    """An order-n Markov chain: row c of `transitions` is P(next token | the last n tokens, coded as c) (Q8)."""

    vocab_size: int
    order: int
    transitions: np.ndarray

    def context_codes(self, rows: np.ndarray) -> np.ndarray:
        """Code of the n tokens ending at each position >= n - 1, shape (batch, length - n + 1)."""
        codes = np.zeros((rows.shape[0], rows.shape[1] - self.order + 1), dtype=np.int64)
        for i in range(self.order):
            codes = codes * self.vocab_size + rows[:, i : rows.shape[1] - self.order + 1 + i]
        return codes

    def sample(self, num: int, length: int, seed: int = 0) -> Tensor:
        """`num` sequences of `length` tokens; the first n tokens are uniform (Q8)."""
        if num < 1 or length <= self.order:
            raise ValueError(f"need num >= 1 and length > order = {self.order}, got {num}, {length}")
        rng = np.random.default_rng(seed)
        rows = np.zeros((num, length), dtype=np.int64)
        rows[:, : self.order] = rng.integers(self.vocab_size, size=(num, self.order))
        cumulative = self.transitions.cumsum(axis=1)
        for t in range(self.order, length):
            codes = self.context_codes(rows[:, t - self.order : t])[:, 0]
            uniform = rng.random(num)[:, None]
            rows[:, t] = np.minimum((uniform > cumulative[codes]).sum(axis=1), self.vocab_size - 1)
        return torch.from_numpy(rows)

    def floor_loss(self, rows: Tensor) -> float:
        """Mean entropy (nats) of the true next-token distribution at positions >= n: the best loss possible (Q8)."""
        probabilities = self.transitions
        entropy = -(probabilities * np.log(np.clip(probabilities, 1e-30, None))).sum(axis=1)
        codes = self.context_codes(rows.numpy())[:, :-1]
        return float(entropy[codes].mean())


def random_language(vocab_size: int = 16, order: int = 1, concentration: float = 0.3, seed: int = 0) -> MarkovLanguage:
    """Transition rows drawn from a symmetric Dirichlet; small `concentration` gives peaked rows (Q8)."""
    if vocab_size < 2 or order < 1 or concentration <= 0:
        raise ValueError(f"need vocab_size >= 2, order >= 1, concentration > 0, got {vocab_size}, {order}, "
                         f"{concentration}")
    rng = np.random.default_rng(seed)
    transitions = rng.dirichlet(np.full(vocab_size, concentration), size=vocab_size**order)
    return MarkovLanguage(vocab_size, order, transitions)
