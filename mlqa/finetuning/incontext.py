"""In-context learning at toy scale: a tiny GPT that must read the label words off the demonstrations (Q18).

No pretrained generator installs offline, so the GPT is trained here, on tweets outside the Q18 split, in
sequences of labelled examples "tweet => word". In half of the sequences the two label words swap meaning
("positive" marks the negative tweets), so a model can only be right past the first example by reading which
word the demonstrations attach to which kind of tweet: that is in-context learning, trained in on purpose
(as symbol tuning does), because a model of 0.67 M parameters is unlikely to pick it up from plain text.
"""

import random

import torch
from tokenizers import Tokenizer
from torch import Tensor, nn

from mlqa.transformer import GPT, DecoderConfig, Tweets, train_classifier, train_wordpiece

LABEL_WORDS = ("negative", "positive")
TWEET_TOKENS = 16  # tokens kept of each tweet; an example is tweet, "=", ">", label word, [SEP]
EXAMPLE_TOKENS = TWEET_TOKENS + 4


def corpus_outside(tweets: Tweets, excluded: set[str]) -> tuple[list[str], list[int]]:
    """Positive (1) and negative (0) tweets of any label confidence that are not in `excluded` (Q18)."""
    pairs = [(t, int(s == "positive")) for t, s in zip(tweets.texts, tweets.sentiments)
             if s in LABEL_WORDS and t not in excluded]
    return [t for t, _ in pairs], [y for _, y in pairs]


class ICLTokens:
    """The tiny GPT's tokenizer and the ids of the pieces every prompt is made of (Q18)."""

    def __init__(self, texts: list[str], vocab_size: int = 2000):
        self.tokenizer: Tokenizer = train_wordpiece(texts + [" => ".join(LABEL_WORDS)] * 100, vocab_size)
        self.arrow = self.tokenizer.encode("=>").ids
        self.words = [self.tokenizer.token_to_id(word) for word in LABEL_WORDS]
        self.sep, self.pad = self.tokenizer.token_to_id("[SEP]"), self.tokenizer.token_to_id("[PAD]")
        if None in self.words or len(self.arrow) != 2:
            raise ValueError(f"label words {LABEL_WORDS} must be single tokens and '=>' two; got {self.words}, "
                             f"{self.arrow}")

    def example(self, text: str, word: int | None) -> list[int]:
        """Ids of 'tweet => word [SEP]', or of 'tweet =>' for the query (`word` None), padded to full size."""
        ids = self.tokenizer.encode(text).ids[:TWEET_TOKENS]
        ids = ids + [self.pad] * (TWEET_TOKENS - len(ids)) + self.arrow
        return ids + ([self.words[word], self.sep] if word is not None else [])


def prompt_batch(tokens: ICLTokens, shots: list[list[tuple[str, int]]], queries: list[str], flipped: bool = False
                 ) -> Tensor:
    """One row per query: its demonstrations (label words swapped if `flipped`), then 'query =>' (Q18).

    Every example takes the same number of positions (tweets are padded inside), so all rows line up and the
    prediction is read at the last position.
    """
    if len(shots) != len(queries):
        raise ValueError(f"{len(shots)} demonstration lists for {len(queries)} queries")
    rows = [sum((tokens.example(t, y ^ flipped) for t, y in demos), []) + tokens.example(q, None)
            for demos, q in zip(shots, queries)]
    if len({len(r) for r in rows}) != 1:
        raise ValueError("every query needs the same number of demonstrations")
    return torch.tensor(rows)


class LabelWordReader(nn.Module):
    """GPT logits over the vocabulary at given positions, as (batch, vocab, positions) (Q18)."""

    def __init__(self, gpt: GPT):
        super().__init__()
        self.gpt = gpt

    def forward(self, input_ids: Tensor, positions: Tensor) -> Tensor:
        """Next-token logits read only where a label word comes next."""
        hidden = self.gpt.hidden_states(input_ids)
        picked = hidden[torch.arange(len(input_ids))[:, None], positions]
        return (picked @ self.gpt.token_embedding.weight.T).transpose(1, 2)


def training_sequences(tokens: ICLTokens, texts: list[str], labels: list[int], num_sequences: int,
                       examples: int = 5, seed: int = 0) -> tuple[Tensor, Tensor, Tensor]:
    """Random packs of `examples` labelled tweets, label words swapped in half of them (Q18).

    Returns ids (num_sequences, examples x EXAMPLE_TOKENS), the positions after which a label word follows and
    the label word ids to predict there.
    """
    if len(texts) != len(labels) or len(texts) < examples:
        raise ValueError(f"need at least {examples} texts with one label each, got {len(texts)} and {len(labels)}")
    rng = random.Random(seed)
    rows, targets = [], []
    for _ in range(num_sequences):
        flip = rng.random() < 0.5
        picked = rng.sample(range(len(texts)), examples)
        rows.append(sum((tokens.example(texts[i], labels[i] ^ flip) for i in picked), []))
        targets.append([tokens.words[labels[i] ^ flip] for i in picked])
    positions = torch.arange(examples) * EXAMPLE_TOKENS + TWEET_TOKENS + 1  # the ">" before each label word
    return torch.tensor(rows), positions.expand(num_sequences, -1).clone(), torch.tensor(targets)


def train_icl_gpt(texts: list[str], labels: list[int], steps: int = 6000, num_sequences: int = 20000,
                  examples: int = 5, seed: int = 0, progress: bool = True) -> tuple[GPT, ICLTokens]:
    """A 2-layer, d=128 GPT trained to predict every label word of packed, half-swapped sequences (Q18)."""
    tokens = ICLTokens(texts)
    ids, positions, targets = training_sequences(tokens, texts, labels, num_sequences, examples, seed)
    torch.manual_seed(seed)
    gpt = GPT(DecoderConfig(vocab_size=tokens.tokenizer.get_vocab_size(), d_model=128, num_layers=2, num_heads=4,
                            d_ff=512, max_positions=ids.size(1)))
    train_classifier(LabelWordReader(gpt), (ids, positions), targets, steps, batch_size=16, lr=2e-3, seed=seed,
                     progress=progress, desc="ICL GPT")
    return gpt.eval(), tokens


@torch.no_grad()
def icl_accuracy(gpt: GPT, tokens: ICLTokens, pool: tuple[list[str], list[int]], test: tuple[list[str], list[int]],
                 shots: int, flipped: bool = False, seed: int = 0) -> float:
    """Accuracy on `test` with `shots` demonstrations per query drawn at random from the labelled `pool` (Q18).

    The prediction is the more likely of the two label words; with `flipped` demonstrations (and scoring) swap
    the words, so a model that reads its context scores the same both ways.
    """
    pool_texts, pool_labels = pool
    test_texts, test_labels = test
    if shots < 0 or (shots + 1) * EXAMPLE_TOKENS > gpt.config.max_positions:
        raise ValueError(f"shots must lie in 0..{gpt.config.max_positions // EXAMPLE_TOKENS - 1}, got {shots}")
    rng = random.Random(seed)
    demos = [[(pool_texts[i], pool_labels[i]) for i in rng.sample(range(len(pool_texts)), shots)]
             for _ in test_texts]
    gpt.eval()
    correct = 0
    for start in range(0, len(test_texts), 256):
        rows = prompt_batch(tokens, demos[start:start + 256], test_texts[start:start + 256], flipped)
        scores = gpt(rows)[:, -1, tokens.words]  # (batch, 2): the two label words
        predicted = scores.argmax(-1) ^ int(flipped)
        correct += int((predicted == torch.tensor(test_labels[start:start + 256])).sum())
    return correct / len(test_texts)
