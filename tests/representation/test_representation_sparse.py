"""One-hot codes and bags of words match scikit-learn's OneHotEncoder and CountVectorizer exactly (Q1)."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import OneHotEncoder

from mlqa.representation import (
    HAND_FEATURES,
    bag_of_words,
    hand_features,
    one_hot_encode,
    summarise,
    topic_sentences,
    vocabulary,
    words,
)

TEXTS = ["The cat sat on the mat.", "A dog! A dog barked at 3 cats.", "Mats, cats and dogs: 42 of them."]


def test_one_hot_matches_onehotencoder():
    tokens = [w for text in TEXTS for w in words(text)]
    categories = vocabulary(TEXTS)
    theirs = OneHotEncoder(categories=[categories]).fit_transform(np.array(tokens)[:, None]).toarray()
    assert np.array_equal(one_hot_encode(tokens, categories), theirs)  # exact: both are 0/1 integers


@pytest.mark.parametrize("texts", [TEXTS, topic_sentences()[0]])
def test_bag_of_words_matches_countvectorizer(texts):
    vectorizer = CountVectorizer()
    theirs = vectorizer.fit_transform(texts).toarray()
    vocab = vocabulary(texts)
    assert vocab == list(vectorizer.get_feature_names_out())
    assert np.array_equal(bag_of_words(texts, vocab), theirs)


def test_bag_of_words_is_the_sum_of_one_hot_rows_and_drops_unknown_words():
    vocab = vocabulary(TEXTS[:1])
    counts = bag_of_words(["the THE mat zebra"], vocab)
    assert counts.tolist() == [[0, 1, 0, 0, 2]] and vocab == ["cat", "mat", "on", "sat", "the"]


def test_hand_features_and_summary():
    features = hand_features(TEXTS)
    assert features.shape == (3, len(HAND_FEATURES))
    assert features[1].tolist()[:2] == [len(TEXTS[1]), 5]  # "A" and "3" are too short to be words
    assert features[1, 3:].tolist() == [1, 1, 2]  # digits, exclamation marks, capital letters
    summary = summarise("bag of words", bag_of_words(TEXTS, vocabulary(TEXTS)), "word counts")
    assert summary.shape == (3, 15) and summary.values == 45
    assert summary.zero_fraction == pytest.approx(1 - 16 / 45)  # 5 + 4 + 7 distinct words per text


def test_bad_input_names_the_values():
    with pytest.raises(ValueError, match=r"1 values are not among the 2 categories: \['c'\]"):
        one_hot_encode(["a", "c"], ["a", "b"])
    with pytest.raises(ValueError, match="texts is empty"):
        vocabulary([])
    with pytest.raises(ValueError, match=r"shape \(0, 3\)"):
        summarise("empty", np.zeros((0, 3)), "nothing")
