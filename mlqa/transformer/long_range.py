"""Recall a token k positions back: a tiny self-attention model against an LSTM of similar size (Q8)."""

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn
from tqdm.auto import tqdm

from mlqa.transformer.gpt import DecoderConfig, GPTClassifier
from mlqa.transformer.train import fit


def recall_batch(
    num: int, k: int, vocab_size: int = 16, generator: torch.Generator | None = None
) -> tuple[Tensor, Tensor]:
    """Random token rows of length k + 1; the label is the first token, k positions before the last (Q8)."""
    if num < 1 or k < 1 or vocab_size < 2:
        raise ValueError(f"need num >= 1, k >= 1 and vocab_size >= 2, got {num}, {k}, {vocab_size}")
    rows = torch.randint(vocab_size, (num, k + 1), generator=generator)
    return rows, rows[:, 0].clone()


class LSTMClassifier(nn.Module):
    """Token embedding, an LSTM and a linear head on the last hidden state (Q8)."""

    def __init__(self, vocab_size: int, hidden_size: int, num_layers: int = 1):
        super().__init__()
        if vocab_size < 2 or hidden_size < 1 or num_layers < 1:
            raise ValueError(f"need vocab_size >= 2, hidden_size, num_layers >= 1, got {vocab_size}, "
                             f"{hidden_size}, {num_layers}")
        self.embedding = nn.Embedding(vocab_size, hidden_size)
        self.lstm = nn.LSTM(hidden_size, hidden_size, num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, input_ids: Tensor) -> Tensor:
        """Class logits (batch, vocab) read after the last token."""
        outputs, _ = self.lstm(self.embedding(input_ids))
        return self.head(outputs[:, -1])


def attention_classifier(vocab_size: int, max_positions: int, d_model: int = 32) -> GPTClassifier:
    """A one-layer, two-head causal self-attention model read at the last position (Q8)."""
    config = DecoderConfig(vocab_size, d_model=d_model, num_layers=1, num_heads=2, d_ff=2 * d_model,
                           max_positions=max_positions, dropout=0.0)
    return GPTClassifier(config, num_labels=vocab_size)


def make_model(kind: str, vocab_size: int, max_positions: int) -> nn.Module:
    """'attention' (d_model 32) or 'lstm' (hidden 40), both between 11 and 15 thousand parameters (Q8)."""
    if kind == "attention":
        return attention_classifier(vocab_size, max_positions)
    if kind == "lstm":
        return LSTMClassifier(vocab_size, hidden_size=40)
    raise ValueError(f"kind must be 'attention' or 'lstm', got {kind!r}")


def parameter_count(model: nn.Module) -> int:
    """Number of trainable parameters (Q8)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


@torch.no_grad()
def accuracy(model: nn.Module, rows: Tensor, labels: Tensor) -> float:
    """Share of rows whose label is the top logit (Q8)."""
    model.eval()
    return (model(rows).argmax(-1) == labels).float().mean().item()


def train_recall(
    kind: str, k: int, steps: int, lr: float, seed: int = 0, vocab_size: int = 16, batch_size: int = 32,
    num_test: int = 512, device: torch.device | str = "cpu",
) -> tuple[nn.Module, float]:
    """Train one model on `steps` batches of new recall rows; the model and its accuracy on unseen rows (Q8)."""
    torch.manual_seed(seed)
    model = make_model(kind, vocab_size, k + 1).to(device)
    generator = torch.Generator().manual_seed(seed)
    pool, pool_labels = recall_batch(steps * batch_size, k, vocab_size, generator)
    pool, pool_labels = pool.to(device), pool_labels.to(device)

    def batch_loss(indices: Tensor) -> Tensor:
        indices = indices.to(device)
        return F.cross_entropy(model(pool[indices]), pool_labels[indices])

    fit(model, batch_loss, len(pool), steps, batch_size, lr, seed, progress=False)
    test, test_labels = recall_batch(num_test, k, vocab_size, torch.Generator().manual_seed(10_000 + seed))
    return model, accuracy(model, test.to(device), test_labels.to(device))


@dataclass
class LongRangeResult:
    """Test accuracies indexed [model, k, seed] and the learning rate each model kept (Q8)."""

    kinds: tuple[str, ...]
    ks: tuple[int, ...]
    seeds: tuple[int, ...]
    accuracies: np.ndarray
    learning_rates: dict[str, float]
    steps: int

    def mean(self, kind: str) -> np.ndarray:
        """Mean accuracy over seeds for each k."""
        return self.accuracies[self.kinds.index(kind)].mean(axis=-1)

    def std(self, kind: str) -> np.ndarray:
        """Standard deviation over seeds for each k."""
        return self.accuracies[self.kinds.index(kind)].std(axis=-1)


def long_range_study(
    ks: tuple[int, ...] = (2, 4, 8, 24, 64), seeds: tuple[int, ...] = (0, 1), steps: int = 150,
    learning_rates: tuple[float, ...] = (3e-3, 1e-2), tune_k: int = 8, vocab_size: int = 16,
    device: torch.device | str = "cpu", progress: bool = True,
) -> LongRangeResult:
    """Each model picks its learning rate by accuracy at k = tune_k (seed 99), then trains per k and seed (Q8)."""
    if not ks or not seeds or not learning_rates:
        raise ValueError(f"need at least one k, seed and learning rate, got {ks}, {seeds}, {learning_rates}")
    kinds = ("attention", "lstm")
    chosen = {}
    for kind in kinds:
        tuning = {lr: train_recall(kind, tune_k, steps, lr, 99, vocab_size, device=device)[1] for lr in learning_rates}
        chosen[kind] = max(tuning, key=tuning.get)
    accuracies = np.zeros((len(kinds), len(ks), len(seeds)))
    runs = [(m, i, j) for m in range(len(kinds)) for i in range(len(ks)) for j in range(len(seeds))]
    for m, i, j in tqdm(runs, desc="recall k back", disable=not progress):
        kind = kinds[m]
        accuracies[m, i, j] = train_recall(kind, ks[i], steps, chosen[kind], seeds[j], vocab_size, device=device)[1]
    return LongRangeResult(kinds, tuple(ks), tuple(seeds), accuracies, chosen, steps)
