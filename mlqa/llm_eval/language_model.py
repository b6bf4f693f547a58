"""A character-level tiny GPT on offline tweets: perplexity before and after a few seconds of training (Q19)."""

import functools
import math
import re
import string
from collections import Counter
from dataclasses import dataclass

import torch
from torch import Tensor

from mlqa.llm_eval.perplexity import perplexity
from mlqa.transformer import GPT, DecoderConfig, load_tweets, train_gpt
from mlqa.utils import torch_threads

ALPHABET = "\n" + string.ascii_lowercase + string.digits + " .,!?'@#&:;-()/"  # '\n' ends every tweet


@functools.cache
def load_tweet_texts() -> tuple[str, ...]:
    """Q17's cleaned tweets, lower-cased, @user and characters outside `ALPHABET` dropped (Q19)."""
    allowed, texts = set(ALPHABET) - {"\n"}, []
    for text in load_tweets().texts:
        text = re.sub(r"@user", " ", text.lower())
        text = re.sub(r"\s+", " ", "".join(c for c in text if c in allowed)).strip()
        if len(text) >= 20:
            texts.append(text)
    return tuple(sorted(set(texts)))


def encode_chars(texts: list[str], length: int) -> Tensor:
    """Every text plus its end-of-text '\n' as character ids, cut into rows of `length` (Q19)."""
    ids = [ALPHABET.index(c) for text in texts for c in text + "\n"]
    if len(ids) < length:
        raise ValueError(f"{len(ids)} characters cannot fill one row of length {length}")
    return torch.tensor(ids[: len(ids) // length * length]).view(-1, length)


@dataclass
class PerplexityRun:
    """Held-out perplexities of one seed's tiny GPT and the two controls that need no training (Q19)."""

    seed: int
    before: float
    after: float
    unigram: float
    uniform: float
    losses: list[float]


def unigram_perplexity(train: Tensor, test: Tensor, vocab_size: int) -> float:
    """Perplexity of guessing every character from its training frequency (add-one smoothed) (Q19)."""
    counts = Counter(train.flatten().tolist())
    total = train.numel() + vocab_size
    nll = -sum(math.log((counts[t] + 1) / total) for t in test[:, 1:].flatten().tolist())
    return math.exp(nll / test[:, 1:].numel())


def train_tiny_gpt(
    seed: int = 0, steps: int = 150, num_tweets: int = 2000, length: int = 48, device: str = "cpu",
    progress: bool = True,
) -> tuple[GPT, PerplexityRun]:
    """Train a 2-layer character GPT with AdamW on tweets; report held-out perplexity before and after (Q19)."""
    if steps < 1 or num_tweets < 20:
        raise ValueError(f"need steps >= 1 and num_tweets >= 20, got {steps} and {num_tweets}")
    texts = load_tweet_texts()
    generator = torch.Generator().manual_seed(seed)
    picked = [texts[i] for i in torch.randperm(len(texts), generator=generator)[:num_tweets].tolist()]
    cut = num_tweets * 9 // 10
    train, test = encode_chars(picked[:cut], length).to(device), encode_chars(picked[cut:], length).to(device)
    torch.manual_seed(seed)
    vocab_size = len(ALPHABET)
    config = DecoderConfig(vocab_size, d_model=48, num_layers=2, num_heads=4, d_ff=192, max_positions=length, dropout=0)
    model = GPT(config).to(device)
    before = perplexity(model, test)
    with torch_threads(1):  # a model this small runs several times faster on one thread than on two busy ones
        # Rows are full characters, no padding: pad_id -1 never matches, so every next character counts.
        losses = train_gpt(model, train, pad_id=-1, steps=steps, batch_size=16, lr=3e-3, seed=seed, progress=progress)
    after, unigram = perplexity(model, test), unigram_perplexity(train, test, vocab_size)
    return model, PerplexityRun(seed, before, after, unigram, float(vocab_size), losses)
