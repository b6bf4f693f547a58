"""Text augmentations, each a function of (text, random generator) -> new text (Q15).

Word-level edits work on whitespace-separated words; every function leaves its input unchanged and returns a string.
"""

import random
import re
import string
from collections import defaultdict
from collections.abc import Callable

from mlqa.text.vectors import WordVectors


def vector_synonyms(vectors: WordVectors, k: int = 3, min_similarity: float = 0.5) -> dict[str, list[str]]:
    """Each word's nearest neighbours with cosine >= min_similarity: a synonym list learned from context alone (Q15).

    Distributional neighbours include antonyms ('great' and 'horrible' share contexts), which is why this source of
    synonyms can change a label.
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    table = {}
    for word in vectors.words:
        close = [w for w, score in vectors.nearest(word, k) if score >= min_similarity]
        if close:
            table[word] = close
    return table


def synonym_replacement(text: str, rng: random.Random, synonyms: dict[str, list[str]], p: float = 0.2) -> str:
    """Replace each word that has synonyms by a random one of them with probability p (Q15)."""
    check_probability(p)
    return " ".join(rng.choice(synonyms[w.lower()]) if w.lower() in synonyms and rng.random() < p else w
                    for w in text.split())


def random_deletion(text: str, rng: random.Random, p: float = 0.2) -> str:
    """Drop each word with probability p; keep one random word if all would go (Q15)."""
    check_probability(p)
    words = text.split()
    kept = [w for w in words if rng.random() >= p]
    return " ".join(kept) if kept or not words else rng.choice(words)


def random_swap(text: str, rng: random.Random, p: float = 0.2) -> str:
    """Swap round(p * length) random pairs of word positions (Q15)."""
    check_probability(p)
    words = text.split()
    for _ in range(round(p * len(words)) if len(words) > 1 else 0):
        i, j = rng.sample(range(len(words)), 2)
        words[i], words[j] = words[j], words[i]
    return " ".join(words)


def sentence_shuffle(text: str, rng: random.Random) -> str:
    """Shuffle the order of the sentences (split after . ! or ?) (Q15)."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    rng.shuffle(sentences)
    return " ".join(sentences)


def character_noise(text: str, rng: random.Random, p: float = 0.05) -> str:
    """Typos: each letter is, with probability p, replaced, dropped, doubled or swapped with the next (Q15)."""
    check_probability(p)
    chars, out, i = list(text), [], 0
    while i < len(chars):
        c = chars[i]
        if c.isalpha() and rng.random() < p:
            kind = rng.randrange(4)
            if kind == 0:
                out.append(rng.choice(string.ascii_lowercase))
            elif kind == 2:
                out += [c, c]
            elif kind == 3 and i + 1 < len(chars):
                out += [chars[i + 1], c]
                i += 1
        else:
            out.append(c)
        i += 1
    return "".join(out)


def back_translation(text: str, forward: Callable[[str], str], backward: Callable[[str], str]) -> str:
    """Translate to another language and back: the errors of the round trip make the paraphrase (Q15)."""
    return backward(forward(text))


class BigramGenerator:
    """A word bigram (Markov chain) model per label that writes new, synthetic examples (Q15)."""

    def __init__(self, texts: list[str], labels: list[int]) -> None:
        if len(texts) != len(labels) or not texts:
            raise ValueError(f"need as many labels as texts (at least one), got {len(texts)} and {len(labels)}")
        self.next_words: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for text, label in zip(texts, labels):
            words = ["<s>", *text.split(), "</s>"]
            for a, b in zip(words, words[1:]):
                self.next_words[label][a].append(b)

    def sample(self, label: int, rng: random.Random, max_words: int = 30) -> str:
        """One new text for `label`: start at <s>, follow observed next words until </s>."""
        if label not in self.next_words:
            raise ValueError(f"label {label} was not in the training texts; known: {sorted(self.next_words)}")
        word, words = "<s>", []
        while len(words) < max_words:
            word = rng.choice(self.next_words[label][word])
            if word == "</s>":
                break
            words.append(word)
        return " ".join(words)


def check_probability(p: float) -> None:
    """Refuse a probability outside [0, 1]."""
    if not 0 <= p <= 1:
        raise ValueError(f"p must be between 0 and 1, got {p}")


def spell_out_numbers(text: str) -> str:
    """Rewrite numbers below 10,000 in words with Q17's toy number translator ('45' -> 'forty five') (Q15)."""
    from mlqa.transformer import number_in_words

    return re.sub(r"\b\d{1,4}\b", lambda m: number_in_words(int(m.group())), text)
