"""Q15: each augmentation's contract, nlpaug's deletion and swap as the reference, the study's bookkeeping."""

import random
import warnings

import numpy as np
import pytest

from mlqa.text import (
    BigramGenerator,
    WordVectors,
    augmentation_study,
    augmented_training_set,
    back_translation,
    character_noise,
    random_deletion,
    random_swap,
    sentence_shuffle,
    spell_out_numbers,
    summarise,
    synonym_replacement,
    vector_synonyms,
)

TEXT = "the crew was friendly and the seats were great but the flight was late"


def is_subsequence(short: list[str], long: list[str]) -> bool:
    remaining = iter(long)
    return all(word in remaining for word in short)


def test_deletion_keeps_a_subsequence_and_at_least_one_word():
    rng = random.Random(0)
    for _ in range(50):
        assert is_subsequence(random_deletion(TEXT, rng, 0.3).split(), TEXT.split())
    assert random_deletion(TEXT, rng, 0.0) == TEXT
    assert len(random_deletion(TEXT, rng, 1.0).split()) == 1
    with pytest.raises(ValueError, match="p must be between 0 and 1, got 1.5"):
        random_deletion(TEXT, rng, 1.5)


def test_swap_and_shuffle_only_reorder():
    rng = random.Random(0)
    swapped = random_swap(TEXT, rng, 0.3)
    assert sorted(swapped.split()) == sorted(TEXT.split()) and swapped != TEXT
    assert random_swap(TEXT, rng, 0.0) == TEXT
    text = "One. Two! Three? Four."
    assert sorted(sentence_shuffle(text, random.Random(1)).split()) == sorted(text.split())


def test_character_noise_changes_letters_only():
    rng = random.Random(0)
    assert character_noise(TEXT, rng, 0.0) == TEXT
    noisy = character_noise("abc 123 def!", random.Random(3), 1.0)
    assert "123" in noisy and noisy.endswith("!")
    assert character_noise(TEXT, rng, 0.2) != TEXT


def test_synonyms_from_vectors_and_replacement():
    vectors = WordVectors(["great", "good", "late", "delayed"],
                          np.array([[1.0, 0.1], [0.9, 0.2], [0.0, 1.0], [0.1, 0.95]]))
    synonyms = vector_synonyms(vectors, k=1, min_similarity=0.9)
    assert synonyms == {"great": ["good"], "good": ["great"], "late": ["delayed"], "delayed": ["late"]}
    assert synonym_replacement("Great flight but late", random.Random(0), synonyms, p=1.0) == "good flight but delayed"
    assert synonym_replacement("great", random.Random(0), synonyms, p=0.0) == "great"


def test_bigram_generator_uses_only_seen_word_pairs():
    texts = ["the crew was friendly", "the seats were great", "the food was cold"]
    generator = BigramGenerator(texts, [1, 1, 0])
    seen = {pair for t in texts[:2] for pair in zip(["<s>", *t.split()], [*t.split(), "</s>"])}
    rng = random.Random(0)
    for _ in range(20):
        words = generator.sample(1, rng).split()
        assert set(zip(["<s>", *words], [*words, "</s>"])) <= seen
    with pytest.raises(ValueError, match="label 2"):
        generator.sample(2, rng)


def test_back_translation_composes_and_numbers_are_spelled_out():
    assert spell_out_numbers("waited 45 minutes at gate 7") == "waited forty five minutes at gate seven"
    assert back_translation("a b", forward=str.upper, backward=lambda t: t + "!") == "A B!"


def test_augmented_training_set_sizes_and_labels():
    texts, labels = ["good flight", "bad seats"], [1, 0]
    x, y = augmented_training_set(texts, labels, random_swap, copies=3)
    assert len(x) == len(y) == 8 and y == [1, 0, 1, 1, 1, 0, 0, 0]
    x, y = augmented_training_set(texts, labels, "generator", copies=2)
    assert len(x) == 6 and x[2:4] == ["good flight"] * 2
    with pytest.raises(ValueError, match="copies must be >= 0"):
        augmented_training_set(texts, labels, random_swap, copies=-1)


def test_study_and_summary_bookkeeping():
    train = ["good great nice", "bad awful poor", "great good", "poor bad"] * 3
    labels = [1, 0, 1, 0] * 3
    split = (train, labels, ["good", "awful"], [1, 0])
    rows = augmentation_study([split, split], {"none": None, "word swap": random_swap}, copies=1, progress=False)
    assert len(rows) == 4 and {r["augmentation"] for r in rows} == {"none", "word swap"}
    summary = summarise(rows)
    assert summary["none"]["gain"] == 0.0 and summary["none"]["mean"] == 1.0
    with pytest.raises(ValueError, match="baseline"):
        summarise(rows, baseline="nothing")


def test_deletion_and_swap_make_the_same_kinds_of_edit_as_nlpaug():
    naw = pytest.importorskip("nlpaug.augmenter.word")
    texts = ["the crew was friendly and the seats were great but the flight was late",
             "my bag arrived two hours after i did and nobody could tell me why",
             "thanks for the quick rebooking the new connection works fine for me"] * 20
    random.seed(0)
    np.random.seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs_deleted = [naw.RandomWordAug(action="delete", aug_p=0.2, aug_max=None).augment(t)[0] for t in texts]
        theirs_swapped = [naw.RandomWordAug(action="swap", aug_p=0.2, aug_max=None).augment(t)[0] for t in texts]
    rng = random.Random(0)
    ours_deleted = [random_deletion(t, rng, 0.2) for t in texts]
    ours_swapped = [random_swap(t, rng, 0.2) for t in texts]
    words = sum(len(t.split()) for t in texts)
    shares = []
    for deleted, swapped in ((ours_deleted, ours_swapped), (theirs_deleted, theirs_swapped)):
        assert all(is_subsequence(d.lower().split(), t.split()) for d, t in zip(deleted, texts))
        assert all(sorted(s.lower().split()) == sorted(t.split()) for s, t in zip(swapped, texts))
        shares.append(1 - sum(len(d.split()) for d in deleted) / words)
    assert abs(shares[0] - shares[1]) < 0.08, shares  # both near p = 0.2 (nlpaug deletes int(p * n) words)
