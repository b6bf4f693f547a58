"""Q14: co-occurrence counts, PPMI, SVD, skip-gram, neighbour overlap against gensim, analogies, senses."""

import math

import numpy as np
import pytest

from mlqa.text import (
    FAMILIES,
    WordVectors,
    build_vocabulary,
    community_graph,
    cooccurrence_counts,
    family_corpus,
    family_purity,
    gensim_word2vec,
    neighbour_overlap,
    number_analogy_accuracy,
    ppmi,
    random_walks,
    skipgram_pairs,
    svd_vectors,
    tokenize,
    train_skipgram,
)

SENTENCES = [["a", "b", "c"], ["b", "c", "x", "a"]]


def test_cooccurrence_counts_by_hand_and_no_pair_crosses_a_sentence():
    words = ["a", "b", "c"]
    counts = cooccurrence_counts(SENTENCES, words, window=1).toarray()
    # window 1: a-b, b-c (first sentence), b-c, c-x (x unknown), x-a (second sentence)
    assert counts.tolist() == [[0, 1, 0], [1, 0, 2], [0, 2, 0]]
    counts2 = cooccurrence_counts(SENTENCES, words, window=2).toarray()
    assert counts2[0, 2] == 2  # a-c in sentence 1; c .. a over the unknown x in sentence 2
    assert counts2[2, 0] == counts2[0, 2]
    with pytest.raises(ValueError, match="window must be >= 1"):
        cooccurrence_counts(SENTENCES, words, window=0)


def test_ppmi_matches_the_formula():
    counts = cooccurrence_counts(SENTENCES, ["a", "b", "c"], window=2)
    dense = counts.toarray()
    total, row, col = dense.sum(), dense.sum(1), dense.sum(0) ** 0.75
    expected = math.log(dense[1, 2] / total) - math.log(row[1] / total) - math.log(col[2] / col.sum())
    assert ppmi(counts)[1, 2] == pytest.approx(max(expected, 0.0))
    assert (ppmi(counts).toarray() >= 0).all()
    with pytest.raises(ValueError, match="empty"):
        ppmi(cooccurrence_counts([["a"], ["b"]], ["a", "b"], window=1))


def test_word_vectors_nearest_analogy_and_overlap():
    vectors = WordVectors(["man", "woman", "king", "queen", "apple"],
                          np.array([[1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1], [-1, 0, 0.2]], dtype=float))
    assert vectors.analogy("man", "woman", "king")[0][0] == "queen"
    assert vectors.nearest("man", 1)[0][0] != "man"
    assert neighbour_overlap(vectors, vectors, vectors.words, k=2) == 1.0
    with pytest.raises(ValueError, match="5 words but 4"):
        WordVectors(vectors.words, vectors.matrix[:4])
    with pytest.raises(KeyError, match="pear"):
        vectors.vector("pear")


def test_random_embeddings_overlap_near_k_over_v():
    words = [f"w{i}" for i in range(300)]
    rng = np.random.default_rng(0)
    first, second = (WordVectors(words, rng.standard_normal((300, 20))) for _ in range(2))
    assert neighbour_overlap(first, second, words, k=10) == pytest.approx(10 / 299, abs=0.02)


def test_skipgram_pairs_window_and_subsampling():
    words = ["a", "b", "c"]
    pairs = skipgram_pairs(SENTENCES, words, window=1, subsample=0)
    assert len(pairs) == 2 * 3  # a-b, b-c, b-c, each both ways
    assert sorted(map(tuple, pairs.tolist())) == sorted([(0, 1), (1, 0), (1, 2), (2, 1), (1, 2), (2, 1)])
    frequent = [["the"] * 50 + ["cat"]] * 20
    kept = skipgram_pairs(frequent, ["the", "cat"], window=1, subsample=1e-3)
    assert len(kept) < 0.5 * len(skipgram_pairs(frequent, ["the", "cat"], window=1, subsample=0))


def test_svd_and_vocabulary_checks():
    counts = cooccurrence_counts(SENTENCES, ["a", "b", "c"], window=2)
    assert svd_vectors(ppmi(counts), ["a", "b", "c"], dim=1).matrix.shape == (3, 1)
    with pytest.raises(ValueError, match="dim must be between 1 and 2"):
        svd_vectors(ppmi(counts), ["a", "b", "c"], dim=3)
    assert build_vocabulary([["b", "a", "b", "c", "a", "b"]], min_count=2) == ["b", "a"]
    assert tokenize("@user Thanks, it's GREAT!") == ["thanks", "it's", "great"]


def test_generated_corpus_marks_number_and_family():
    corpus = family_corpus(200, seed=1)
    assert len(corpus) == 200 and family_corpus(200, seed=1) == corpus
    words = {w for sentence in corpus for w in sentence}
    assert {"these", "many", "bank"} <= words
    with pytest.raises(ValueError, match="num_sentences"):
        family_corpus(0)


@pytest.mark.slow
def test_skipgram_agrees_with_gensim_far_above_chance(one_thread):
    corpus = family_corpus(6000, seed=0)
    words = build_vocabulary(corpus, 5)
    ours = train_skipgram(corpus, words, dim=30, epochs=3, batch_size=512, progress=False)
    theirs = gensim_word2vec(corpus, words, dim=30, epochs=3)
    chance = 5 / (len(words) - 1)
    overlap = neighbour_overlap(ours, theirs, words, k=5)
    assert overlap > 5 * chance, overlap  # measured 0.65 against chance 0.04
    assert family_purity(ours, 4) > 0.9 and family_purity(theirs, 4) > 0.9
    analogies = number_analogy_accuracy(ours)
    assert analogies["accuracy"] > 5 * analogies["chance"], analogies


def test_analogy_accuracy_is_one_for_ideal_vectors():
    nouns = [(f, n, pair[n]) for f, pairs in FAMILIES.items() for pair in pairs for n in (0, 1)]
    family_axis = {f: i for i, f in enumerate(FAMILIES)}
    matrix = np.array([np.eye(5)[family_axis[f]] + 0.5 * n * np.eye(5)[4] for f, n, _ in nouns])
    matrix = matrix + 1e-3 * np.random.default_rng(0).standard_normal(matrix.shape)
    result = number_analogy_accuracy(WordVectors([w for _, _, w in nouns], matrix))
    assert result["accuracy"] == 1.0 and result["questions"] == 300


def test_random_walks_follow_edges():
    graph = community_graph(3, 5, seed=2)
    walks = random_walks(graph, walks_per_node=2, length=6, seed=0)
    assert len(walks) == 2 * 15
    assert all(b in graph[a] for walk in walks for a, b in zip(walk, walk[1:]))
    with pytest.raises(ValueError, match="p_out < p_in"):
        community_graph(p_in=0.1, p_out=0.2)
