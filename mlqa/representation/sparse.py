"""Representations that are not embeddings: one-hot codes, bags of words and hand-made features (Q1)."""

import re
from dataclasses import dataclass

import numpy as np

WORD = re.compile(r"(?u)\b\w\w+\b")  # words of two or more letters, lower-cased, as scikit-learn's CountVectorizer


def words(text: str) -> list[str]:
    """The lower-cased words of two or more characters in `text` (Q1)."""
    return WORD.findall(text.lower())


def vocabulary(texts: list[str]) -> list[str]:
    """Every word that occurs in `texts`, sorted (Q1)."""
    if not texts:
        raise ValueError("texts is empty: need at least one text to build a vocabulary")
    return sorted({w for text in texts for w in words(text)})


def one_hot_encode(values: list[str], categories: list[str]) -> np.ndarray:
    """One row per value with a single 1 in its category's column (Q1)."""
    column = {c: i for i, c in enumerate(categories)}
    unknown = sorted(set(values) - set(column))
    if unknown:
        raise ValueError(f"{len(unknown)} values are not among the {len(categories)} categories: {unknown[:5]}")
    codes = np.zeros((len(values), len(categories)), dtype=np.int64)
    codes[np.arange(len(values)), [column[v] for v in values]] = 1
    return codes


def bag_of_words(texts: list[str], vocab: list[str]) -> np.ndarray:
    """Word counts per text: the sum of the one-hot codes of its words (words outside `vocab` are dropped) (Q1)."""
    known = set(vocab)
    return np.stack([one_hot_encode([w for w in words(t) if w in known], vocab).sum(0) for t in texts])


HAND_FEATURES = ("characters", "words", "mean word length", "digits", "exclamation marks", "capital letters")


def hand_features(texts: list[str]) -> np.ndarray:
    """A few counts a person chose for each text, in the order of HAND_FEATURES (Q1)."""
    rows = []
    for text in texts:
        tokens = words(text)
        rows.append([len(text), len(tokens), np.mean([len(w) for w in tokens]) if tokens else 0.0,
                     sum(ch.isdigit() for ch in text), text.count("!"), sum(ch.isupper() for ch in text)])
    return np.array(rows, dtype=np.float64)


@dataclass(frozen=True)
class RepresentationSummary:
    """Shape, number of stored values, share of zeros and what the columns mean, for one representation (Q1)."""

    name: str
    shape: tuple[int, ...]
    values: int
    zero_fraction: float
    columns_mean: str


def summarise(name: str, matrix: np.ndarray, columns_mean: str) -> RepresentationSummary:
    """Describe one representation matrix (Q1)."""
    matrix = np.asarray(matrix)
    if matrix.size == 0:
        raise ValueError(f"representation {name!r} is empty (shape {matrix.shape})")
    return RepresentationSummary(name, tuple(matrix.shape), int(matrix.size), float(np.mean(matrix == 0)),
                                 columns_mean)
