"""Count-based word vectors: co-occurrence counts in a window, positive PMI, truncated SVD (Q14)."""

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.linalg import svds

from mlqa.text.vectors import WordVectors


def cooccurrence_counts(sentences: list[list[str]], words: list[str], window: int = 2) -> csr_matrix:
    """(V, V) sparse counts: how often word j appears within `window` positions of word i (Q14).

    Words outside `words` are skipped but still take up their positions.
    """
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    index = {w: i for i, w in enumerate(words)}
    gap = [-1] * window  # sentences are separated by `window` unknown positions, so no pair crosses a boundary
    ids = np.array([i for sentence in sentences for i in [index.get(w, -1) for w in sentence] + gap], dtype=np.int64)
    rows, cols = [], []
    for offset in range(1, window + 1):
        left, right = ids[:-offset], ids[offset:]
        both = (left >= 0) & (right >= 0)
        rows += [left[both], right[both]]
        cols += [right[both], left[both]]
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    data = np.ones(len(rows), dtype=np.float64)
    return coo_matrix((data, (rows, cols)), shape=(len(words), len(words))).tocsr()


def ppmi(counts: csr_matrix, context_power: float = 0.75) -> csr_matrix:
    """Positive pointwise mutual information max(0, log p(w, c) / (p(w) p(c))), with p(c) smoothed by a power (Q14).

    Raising context counts to 0.75 (as word2vec does for its negatives) keeps rare contexts from dominating.
    """
    counts = counts.tocoo()
    total = counts.sum()
    if total == 0:
        raise ValueError("the co-occurrence matrix is empty: no word pair fell within the window")
    word_totals = np.asarray(counts.sum(axis=1)).ravel()
    context_totals = np.asarray(counts.sum(axis=0)).ravel() ** context_power
    p_context = context_totals / context_totals.sum()
    pmi = np.log(counts.data / total) - np.log(word_totals[counts.row] / total) - np.log(p_context[counts.col])
    keep = pmi > 0
    return csr_matrix((pmi[keep], (counts.row[keep], counts.col[keep])), shape=counts.shape)


def svd_vectors(matrix: csr_matrix, words: list[str], dim: int = 50, seed: int = 0) -> WordVectors:
    """Rows of U * sqrt(S) from the top-`dim` singular vectors of a (V, V) matrix (Q14)."""
    if not 0 < dim < min(matrix.shape):
        raise ValueError(f"dim must be between 1 and {min(matrix.shape) - 1}, got {dim}")
    rng = np.random.default_rng(seed)
    u, s, _ = svds(matrix.astype(np.float64), k=dim, v0=rng.standard_normal(min(matrix.shape)))
    order = np.argsort(-s)
    return WordVectors(words, u[:, order] * np.sqrt(s[order]))


def ppmi_svd_vectors(sentences: list[list[str]], words: list[str], window: int = 2, dim: int = 50,
                     seed: int = 0) -> WordVectors:
    """Counts, then PPMI, then truncated SVD: count-based word vectors in one call (Q14)."""
    return svd_vectors(ppmi(cooccurrence_counts(sentences, words, window)), words, dim, seed)
