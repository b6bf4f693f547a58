"""Word vectors as a table: vocabulary, nearest neighbours by cosine, analogies, and neighbour overlap (Q14)."""

from collections import Counter
from dataclasses import dataclass

import numpy as np


def build_vocabulary(sentences: list[list[str]], min_count: int = 5, max_size: int | None = None) -> list[str]:
    """Words seen at least `min_count` times, most frequent first (ties alphabetical) (Q14)."""
    if min_count < 1:
        raise ValueError(f"min_count must be >= 1, got {min_count}")
    counts = Counter(word for sentence in sentences for word in sentence)
    words = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    return words[:max_size]


@dataclass
class WordVectors:
    """One row of `matrix` per word of `words` (Q14)."""

    words: list[str]
    matrix: np.ndarray

    def __post_init__(self) -> None:
        if self.matrix.shape[0] != len(self.words):
            raise ValueError(f"{len(self.words)} words but {self.matrix.shape[0]} vector rows")
        self.index = {w: i for i, w in enumerate(self.words)}
        norms = np.linalg.norm(self.matrix, axis=1, keepdims=True)
        self.unit = self.matrix / np.maximum(norms, 1e-12)

    def vector(self, word: str) -> np.ndarray:
        """The unit-length vector of `word`."""
        if word not in self.index:
            raise KeyError(f"{word!r} is not in the vocabulary of {len(self.words)} words")
        return self.unit[self.index[word]]

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two words."""
        return float(self.vector(a) @ self.vector(b))

    def nearest(self, word: str, k: int = 10, exclude: tuple[str, ...] = ()) -> list[tuple[str, float]]:
        """The k words with the most similar vectors (cosine), without the word itself."""
        return self.nearest_to(self.vector(word), k, exclude=(word, *exclude))

    def nearest_to(self, vector: np.ndarray, k: int = 10, exclude: tuple[str, ...] = ()) -> list[tuple[str, float]]:
        """The k words whose vectors are most similar to `vector`, skipping `exclude`."""
        scores = self.unit @ (vector / max(np.linalg.norm(vector), 1e-12))
        order = np.argsort(-scores, kind="stable")
        picked = [i for i in order[: k + len(exclude)] if self.words[i] not in exclude][:k]
        return [(self.words[i], float(scores[i])) for i in picked]

    def analogy(self, a: str, b: str, c: str, k: int = 1) -> list[tuple[str, float]]:
        """a is to b as c is to ?: the words nearest to b - a + c, without a, b and c (3CosAdd)."""
        return self.nearest_to(self.vector(b) - self.vector(a) + self.vector(c), k, exclude=(a, b, c))


def neighbour_overlap(first: WordVectors, second: WordVectors, words: list[str], k: int = 10) -> float:
    """Mean fraction of shared words in the two top-k neighbour lists of each of `words` (Q14).

    Two unrelated random embeddings of V words share about k / (V - 1) of them.
    """
    if not words or k < 1:
        raise ValueError(f"need at least one word and k >= 1, got {len(words)} words and k={k}")
    shared = [len({w for w, _ in first.nearest(word, k)} & {w for w, _ in second.nearest(word, k)}) / k
              for word in words]
    return float(np.mean(shared))
