"""Q8: the pretrained vs from-scratch tiny GPT classifiers of the pretraining-gain sweep."""

import matplotlib
import pytest
import torch

from mlqa.transformer import GPT, DecoderConfig, train_wordpiece
from mlqa.transformer.plots_success import pretraining_gain_figure
from mlqa.transformer.pretraining_gain import (
    ARMS,
    PROBE_ARMS,
    finetuned_accuracy,
    labelled_subset,
    pretraining_gain,
)

matplotlib.use("Agg")
pytestmark = pytest.mark.usefixtures("one_thread")  # see tests/conftest.py
TINY = dict(d_model=16, num_layers=1, num_heads=2, d_ff=32, max_positions=40, dropout=0.0)
POSITIVE = ["i love this flight", "great service thanks", "what a lovely crew", "happy with the new phone"]
NEGATIVE = ["my bag is lost again", "worst delay ever", "the app keeps crashing", "rude staff and no refund"]


def toy_texts(rows: int) -> tuple[list[str], list[int]]:
    """Short texts whose label is which of two small vocabularies they come from."""
    texts = [(POSITIVE if i % 2 else NEGATIVE)[(i // 2) % 4] + f" number {i}" for i in range(rows)]
    return texts, [i % 2 for i in range(rows)]


def toy_task(rows: int = 40):
    texts, labels = toy_texts(rows)
    tokenizer = train_wordpiece(texts + POSITIVE + NEGATIVE, vocab_size=200)
    config = DecoderConfig(vocab_size=tokenizer.get_vocab_size(), **TINY)
    train = labelled_subset(tokenizer, texts, labels, 20, seed=0)
    test = labelled_subset(tokenizer, texts, labels, rows, seed=1)
    return config, train, (test[0], test[1], test[2].tolist())


def test_labelled_subset_is_balanced_and_encoded_for_a_gpt():
    texts, labels = toy_texts(40)
    tokenizer = train_wordpiece(texts, vocab_size=200)
    ids, mask, picked = labelled_subset(tokenizer, texts, labels, 10, seed=3)
    assert ids.shape == mask.shape == (10, 32)
    assert int(picked.sum()) == 5
    assert torch.equal(mask, (ids != 0).long())
    with pytest.raises(ValueError, match="even size"):
        labelled_subset(tokenizer, texts, labels, 11)


def test_the_two_arms_differ_only_in_the_body_they_start_from():
    """A 'pretrained' body that is the very random body the scratch arm draws gives the same accuracy."""
    config, train, test = toy_task()
    torch.manual_seed(4)
    same_as_scratch = GPT(config)  # GPTClassifier builds its body first, with the same seed
    scratch = finetuned_accuracy(config, None, train, test, steps=5, seed=4, progress=False)
    assert finetuned_accuracy(config, same_as_scratch, train, test, steps=5, seed=4, progress=False) == scratch


def test_finetuning_learns_a_separable_toy_task():
    config, train, test = toy_task()
    assert finetuned_accuracy(config, None, train, test, steps=60, lr=3e-3, seed=0, progress=False) > 0.9


def test_finetuned_accuracy_rejects_a_body_of_another_size():
    config, train, test = toy_task()
    other = GPT(DecoderConfig(vocab_size=config.vocab_size, **(TINY | {"d_model": 8})))
    with pytest.raises(ValueError, match="config"):
        finetuned_accuracy(config, other, train, test, steps=1, progress=False)


def test_pretraining_gain_gives_every_arm_at_every_label_size_and_draws_them():
    texts, labels = toy_texts(120)
    split = (texts[:80], labels[:80], texts[80:], labels[80:])
    rows, facts = pretraining_gain(texts, split, label_sizes=(10, 20), seed=0, pretrain_steps=3,
                                   finetune_steps=2, progress=False)
    assert [(row["labels"], row["arm"]) for row in rows] == [(n, arm) for n in (10, 20) for arm in ARMS + PROBE_ARMS]
    assert all(0.0 <= row["accuracy"] <= 1.0 for row in rows)
    assert facts["pretrain_steps"] == 3 and facts["final_loss"] > 0
    assert len(pretraining_gain_figure(rows).axes[0].lines) >= 2
    with pytest.raises(ValueError, match="label sizes"):
        pretraining_gain(texts, split, label_sizes=(), progress=False)
