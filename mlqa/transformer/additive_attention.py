"""Where attention came from: an RNN encoder-decoder with additive attention (Bahdanau et al., 2015) (Q16).

The toy task reverses a sequence of digits, so the ideal alignment is the anti-diagonal. The same model with
attention switched off reads a single fixed summary of the source, the bottleneck attention removed.
"""

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mlqa.transformer.train import fit

PAD, BOS = 0, 1
NUM_DIGITS = 10
VOCAB_SIZE = 2 + NUM_DIGITS


def reversal_pairs(num_examples: int, length: int, seed: int = 0) -> tuple[Tensor, Tensor]:
    """Random digit sequences (ids 2..11) and their reversals, both (num_examples, length) (Q16)."""
    if num_examples < 1 or length < 1:
        raise ValueError(f"need num_examples >= 1 and length >= 1, got {num_examples} and {length}")
    source = torch.randint(2, VOCAB_SIZE, (num_examples, length), generator=torch.Generator().manual_seed(seed))
    return source, source.flip(1)


class AdditiveAttention(nn.Module):
    """score(s, h_j) = v^T tanh(W s + U h_j): a small MLP compares the decoder state with each annotation (Q16)."""

    def __init__(self, state_size: int, annotation_size: int, hidden: int) -> None:
        super().__init__()
        self.state = nn.Linear(state_size, hidden, bias=False)
        self.annotation = nn.Linear(annotation_size, hidden)
        self.score = nn.Linear(hidden, 1, bias=False)

    def forward(self, state: Tensor, annotations: Tensor) -> tuple[Tensor, Tensor]:
        """(batch, state), (batch, source, annotation) -> context (batch, annotation), weights (batch, source)."""
        scores = self.score(torch.tanh(self.state(state)[:, None] + self.annotation(annotations))).squeeze(-1)
        weights = scores.softmax(dim=-1)
        return (weights[:, :, None] * annotations).sum(1), weights


class RNNEncoderDecoder(nn.Module):
    """Bidirectional GRU encoder, GRU decoder; with attention the context is recomputed at every output step (Q16)."""

    def __init__(self, hidden: int = 64, embedding: int = 32, attention: bool = True) -> None:
        super().__init__()
        self.use_attention = attention
        self.embed = nn.Embedding(VOCAB_SIZE, embedding)
        self.encoder = nn.GRU(embedding, hidden, batch_first=True, bidirectional=True)
        self.init_state = nn.Linear(2 * hidden, hidden)
        self.attention = AdditiveAttention(hidden, 2 * hidden, hidden)
        self.decoder = nn.GRUCell(embedding + 2 * hidden, hidden)
        self.readout = nn.Linear(hidden + 2 * hidden + embedding, VOCAB_SIZE)

    def encode(self, source: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """Annotations (batch, source, 2 hidden), the fixed summary (batch, 2 hidden) and the first decoder state."""
        annotations, last = self.encoder(self.embed(source))
        summary = torch.cat([last[0], last[1]], dim=-1)
        return annotations, summary, torch.tanh(self.init_state(summary))

    def step(self, token: Tensor, state: Tensor, annotations: Tensor, summary: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """One output step: logits (batch, vocab), the new state and the attention weights (batch, source)."""
        if self.use_attention:
            context, weights = self.attention(state, annotations)
        else:
            context = summary
            weights = torch.full(annotations.shape[:2], float("nan"), device=annotations.device)
        embedded = self.embed(token)
        state = self.decoder(torch.cat([embedded, context], dim=-1), state)
        return self.readout(torch.cat([state, context, embedded], dim=-1)), state, weights

    def forward(self, source: Tensor, target: Tensor) -> tuple[Tensor, Tensor]:
        """Teacher forcing: logits (batch, target, vocab) and attention weights (batch, target, source)."""
        annotations, summary, state = self.encode(source)
        inputs = torch.cat([torch.full_like(target[:, :1], BOS), target[:, :-1]], dim=1)
        logits, weights = [], []
        for t in range(target.size(1)):
            step_logits, state, step_weights = self.step(inputs[:, t], state, annotations, summary)
            logits.append(step_logits)
            weights.append(step_weights)
        return torch.stack(logits, 1), torch.stack(weights, 1)

    @torch.no_grad()
    def generate(self, source: Tensor, length: int) -> tuple[Tensor, Tensor]:
        """Greedy decoding of `length` tokens; returns tokens (batch, length) and alignment (batch, length, source)."""
        annotations, summary, state = self.encode(source)
        token = torch.full((source.size(0),), BOS, dtype=torch.long, device=source.device)
        tokens, weights = [], []
        for _ in range(length):
            logits, state, step_weights = self.step(token, state, annotations, summary)
            token = logits.argmax(-1)
            tokens.append(token)
            weights.append(step_weights)
        return torch.stack(tokens, 1), torch.stack(weights, 1)


def train_reversal(
    model: RNNEncoderDecoder,
    source: Tensor,
    target: Tensor,
    steps: int = 400,
    batch_size: int = 64,
    lr: float = 1e-2,
    seed: int = 0,
    progress: bool = True,
) -> list[float]:
    """Cross-entropy with teacher forcing on random minibatches; returns the loss of every step (Q16)."""
    if source.shape != target.shape:
        raise ValueError(f"source and target shapes differ: {tuple(source.shape)} and {tuple(target.shape)}")

    def batch_loss(indices: Tensor) -> Tensor:
        logits, _ = model(source[indices], target[indices])
        return F.cross_entropy(logits.flatten(0, 1), target[indices].flatten())

    desc = "RNN + additive attention" if model.use_attention else "RNN, fixed context"
    return fit(model, batch_loss, len(source), steps, batch_size=batch_size, lr=lr, seed=seed, progress=progress,
               desc=desc)


def reversal_accuracy(model: RNNEncoderDecoder, source: Tensor, target: Tensor) -> dict[str, float]:
    """Greedy decoding scored per token and per whole sequence (Q16)."""
    model.eval()
    predicted, _ = model.generate(source, target.size(1))
    correct = predicted == target
    return {"token accuracy": correct.float().mean().item(), "sequence accuracy": correct.all(1).float().mean().item()}


def attention_vs_fixed_context(
    length: int = 12, num_train: int = 4000, num_test: int = 500, steps: int = 200, seed: int = 0,
    device: str | torch.device = "cpu", progress: bool = True,
) -> tuple[dict[str, dict[str, float]], RNNEncoderDecoder]:
    """The same encoder-decoder trained with and without attention on one budget: test accuracies and the attentive
    model (Q16)."""
    source, target = (t.to(device) for t in reversal_pairs(num_train, length, seed))
    test_source, test_target = (t.to(device) for t in reversal_pairs(num_test, length, seed + 1))
    results, attentive = {}, None
    for attention in (True, False):
        torch.manual_seed(seed)
        model = RNNEncoderDecoder(attention=attention).to(device)
        train_reversal(model, source, target, steps=steps, seed=seed, progress=progress)
        results["additive attention" if attention else "fixed context (no attention)"] = reversal_accuracy(
            model, test_source, test_target)
        attentive = model if attention else attentive
    return results, attentive
