"""Skip-gram with negative sampling (Mikolov et al., 2013), trained from scratch in PyTorch (Q14)."""

from collections import Counter

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn
from tqdm.auto import tqdm

from mlqa.text.vectors import WordVectors


def skipgram_pairs(sentences: list[list[str]], words: list[str], window: int = 2, subsample: float = 1e-3,
                   seed: int = 0) -> Tensor:
    """(center, context) id pairs within `window`, after dropping frequent words as word2vec does (Q14).

    A word of corpus frequency f is kept with probability (sqrt(f / t) + 1) t / f for t = `subsample` (0: keep all).
    """
    if window < 1 or subsample < 0:
        raise ValueError(f"need window >= 1 and subsample >= 0, got window={window}, subsample={subsample}")
    index = {w: i for i, w in enumerate(words)}
    counts = Counter(w for sentence in sentences for w in sentence if w in index)
    total = sum(counts.values())
    rng = np.random.default_rng(seed)
    gap = [-1] * window
    ids = np.array([i for s in sentences for i in [index.get(w, -1) for w in s] + gap], dtype=np.int64)
    if subsample > 0:
        frequency = np.array([counts[w] for w in words], dtype=np.float64) / total
        keep_probability = np.minimum(1.0, (np.sqrt(frequency / subsample) + 1) * subsample / frequency)
        known = ids >= 0
        ids = ids[~known | (rng.random(len(ids)) < keep_probability[np.maximum(ids, 0)])]
    pairs = []
    for offset in range(1, window + 1):
        left, right = ids[:-offset], ids[offset:]
        both = (left >= 0) & (right >= 0)
        pairs += [np.stack([left[both], right[both]], 1), np.stack([right[both], left[both]], 1)]
    return torch.from_numpy(np.concatenate(pairs))


class SkipGram(nn.Module):
    """Two tables: a word's vector as a center word (the one kept) and as a context word (Q14)."""

    def __init__(self, vocab_size: int, dim: int) -> None:
        super().__init__()
        self.center = nn.Embedding(vocab_size, dim)
        self.context = nn.Embedding(vocab_size, dim)
        nn.init.uniform_(self.center.weight, -0.5 / dim, 0.5 / dim)
        nn.init.zeros_(self.context.weight)

    def forward(self, center: Tensor, context: Tensor, negatives: Tensor) -> Tensor:
        """Mean loss: -log sigmoid(u.v) for the true pair, -log sigmoid(-u.v_neg) for each sampled negative."""
        u = self.center(center)
        positive = F.logsigmoid((u * self.context(context)).sum(-1))
        negative = F.logsigmoid(-(self.context(negatives) @ u[:, :, None]).squeeze(-1)).sum(-1)
        return -(positive + negative).mean()


def train_skipgram(
    sentences: list[list[str]],
    words: list[str],
    dim: int = 50,
    window: int = 2,
    negatives: int = 5,
    epochs: int = 3,
    batch_size: int = 1024,
    lr: float = 0.01,
    subsample: float = 1e-3,
    seed: int = 0,
    device: str | torch.device = "cpu",
    progress: bool = True,
) -> WordVectors:
    """Train skip-gram with negative sampling (negatives drawn from unigram counts ^ 0.75); center vectors (Q14)."""
    if dim < 1 or negatives < 1 or epochs < 1:
        raise ValueError(f"need dim, negatives and epochs >= 1, got {dim}, {negatives}, {epochs}")
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    counts = Counter(w for sentence in sentences for w in sentence)
    noise = torch.tensor([counts[w] for w in words], dtype=torch.float64) ** 0.75
    model = SkipGram(len(words), dim).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for epoch in range(epochs):
        pairs = skipgram_pairs(sentences, words, window, subsample, seed=seed + epoch)
        order = torch.randperm(len(pairs), generator=generator)
        batches = range(0, len(pairs), batch_size)
        for start in tqdm(batches, desc=f"skip-gram epoch {epoch + 1}/{epochs}", disable=not progress):
            batch = pairs[order[start : start + batch_size]].to(device)
            sampled = torch.multinomial(noise, len(batch) * negatives, replacement=True, generator=generator)
            loss = model(batch[:, 0], batch[:, 1], sampled.view(len(batch), negatives).to(device))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
    return WordVectors(words, model.center.weight.detach().cpu().double().numpy())
