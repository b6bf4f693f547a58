"""Does augmentation help a text classifier with few labels? Every augmentation on one protocol, over seeds (Q15)."""

import random
from collections.abc import Callable
from functools import partial

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from tqdm.auto import tqdm

from mlqa.text.augment import (
    BigramGenerator,
    character_noise,
    random_deletion,
    random_swap,
    sentence_shuffle,
    synonym_replacement,
)

Augmenter = Callable[[str, random.Random], str]


def text_classifier() -> Pipeline:
    """TF-IDF of words and word pairs, then logistic regression: a classifier that trains in milliseconds (Q15)."""
    return make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                         LogisticRegression(C=10.0, max_iter=2000))


def augmentations(synonyms: dict[str, list[str]], p: float = 0.2) -> dict[str, Augmenter]:
    """The word- and character-level augmentations compared in the study, at edit strength p (Q15)."""
    return {
        "synonym replacement": partial(synonym_replacement, synonyms=synonyms, p=p),
        "word deletion": partial(random_deletion, p=p),
        "word swap": partial(random_swap, p=p),
        "sentence shuffle": sentence_shuffle,
        "character noise": partial(character_noise, p=p / 4),
    }


def augmented_training_set(texts: list[str], labels: list[int], augmenter: Augmenter | str, copies: int,
                           seed: int = 0) -> tuple[list[str], list[int]]:
    """The originals plus `copies` augmented versions of each, with the original's label (Q15).

    `augmenter="generator"` writes `copies` new texts per original from a per-label bigram model instead.
    """
    if copies < 0:
        raise ValueError(f"copies must be >= 0, got {copies}")
    rng = random.Random(seed)
    if augmenter == "generator":
        generator = BigramGenerator(texts, labels)
        new = [(generator.sample(y, rng), y) for y in labels for _ in range(copies)]
    else:
        new = [(augmenter(x, rng), y) for x, y in zip(texts, labels) for _ in range(copies)]
    return texts + [x for x, _ in new], labels + [y for _, y in new]


def augmentation_study(
    splits: list[tuple[list[str], list[int], list[str], list[int]]],
    arms: dict[str, Augmenter | str],
    copies: int = 4,
    progress: bool = True,
) -> list[dict[str, float | str | int]]:
    """Test accuracy of the classifier for every arm on every split (one split per seed); arm 'none' is the
    baseline and should be included (Q15)."""
    rows = []
    for seed, (train_x, train_y, test_x, test_y) in enumerate(tqdm(splits, desc="seeds", disable=not progress)):
        for name, augmenter in arms.items():
            x, y = (train_x, train_y) if augmenter is None else augmented_training_set(
                train_x, train_y, augmenter, copies, seed)
            accuracy = text_classifier().fit(x, y).score(test_x, test_y)
            rows.append({"augmentation": name, "seed": seed, "accuracy": float(accuracy)})
    return rows


def summarise(rows: list[dict], baseline: str = "none") -> dict[str, dict[str, float]]:
    """Per arm: mean and std of accuracy over seeds, and the mean and std of its paired gain over the baseline (Q15)."""
    names = list(dict.fromkeys(r["augmentation"] for r in rows))
    by = {n: np.array([r["accuracy"] for r in rows if r["augmentation"] == n]) for n in names}
    if baseline not in by:
        raise ValueError(f"baseline {baseline!r} is not among the arms {names}")
    return {n: {"mean": float(v.mean()), "std": float(v.std(ddof=1)) if len(v) > 1 else 0.0,
                "gain": float((v - by[baseline]).mean()),
                "gain std": float((v - by[baseline]).std(ddof=1)) if len(v) > 1 else 0.0} for n, v in by.items()}


def label_flip_rate(reference: Pipeline, texts: list[str], augmenter: Augmenter, seed: int = 0) -> float:
    """Share of texts whose augmented version a well-trained reference classifier labels differently (Q15)."""
    rng = random.Random(seed)
    augmented = [augmenter(t, rng) for t in texts]
    return float((reference.predict(texts) != reference.predict(augmented)).mean())
