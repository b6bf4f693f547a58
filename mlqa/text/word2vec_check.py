"""Our word vectors against gensim's Word2Vec on the same corpus and vocabulary (Q14)."""

import zlib

import numpy as np

from mlqa.text.cooccurrence import ppmi_svd_vectors
from mlqa.text.skipgram import train_skipgram
from mlqa.text.vectors import WordVectors, neighbour_overlap


def stable_hash(text: str) -> int:
    """A hash that is the same in every Python process, so gensim's initial vectors repeat (Q14)."""
    return zlib.crc32(text.encode())


def gensim_word2vec(sentences: list[list[str]], words: list[str], dim: int = 50, window: int = 2,
                    negatives: int = 5, epochs: int = 3, seed: int = 0) -> WordVectors:
    """gensim's skip-gram with negative sampling on exactly our vocabulary, one worker (Q14)."""
    from gensim.models import Word2Vec
    from gensim.utils import RULE_DISCARD, RULE_KEEP

    keep = set(words)
    model = Word2Vec(
        sentences, vector_size=dim, window=window, sg=1, hs=0, negative=negatives, epochs=epochs, min_count=1,
        workers=1, seed=seed, hashfxn=stable_hash,
        trim_rule=lambda word, count, min_count: RULE_KEEP if word in keep else RULE_DISCARD,
    )
    missing = [w for w in words if w not in model.wv.key_to_index]
    if missing:
        raise ValueError(f"{len(missing)} words never reached gensim's vocabulary, e.g. {missing[:3]}")
    return WordVectors(words, np.asarray(model.wv[words], dtype=np.float64))


def three_methods(sentences: list[list[str]], words: list[str], dim: int = 50, window: int = 2, epochs: int = 3,
                  batch_size: int = 1024, seed: int = 0, device: str = "cpu", progress: bool = True
                  ) -> dict[str, WordVectors]:
    """PPMI + SVD, our skip-gram, and gensim's Word2Vec twice (two seeds: its own run-to-run spread) (Q14)."""
    return {
        "PPMI + SVD": ppmi_svd_vectors(sentences, words, window, dim, seed),
        "skip-gram (mlqa)": train_skipgram(sentences, words, dim, window, epochs=epochs, batch_size=batch_size,
                                           seed=seed, device=device, progress=progress),
        "gensim Word2Vec": gensim_word2vec(sentences, words, dim, window, epochs=epochs, seed=seed),
        "gensim Word2Vec, seed + 1": gensim_word2vec(sentences, words, dim, window, epochs=epochs, seed=seed + 1),
    }


def overlap_table(vectors: dict[str, WordVectors], words: list[str], k: int = 10) -> dict[tuple[str, str], float]:
    """Top-k neighbour overlap for every pair of methods, plus the overlap two random embeddings expect (Q14)."""
    names = list(vectors)
    table = {(a, b): neighbour_overlap(vectors[a], vectors[b], words, k)
             for i, a in enumerate(names) for b in names[i + 1 :]}
    table[("random", "random")] = k / (len(next(iter(vectors.values())).words) - 1)
    return table
