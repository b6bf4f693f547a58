"""Q8's fourth reason measured: a tiny GPT pretrained on unlabeled tweets against the same GPT from scratch.

Pretraining is exercise 17-B's (pretraining_corpus, pretrain_tiny_gpt): next-token prediction on every tweet of the
corpus except the 1,000 test tweets; the labelled pool's texts are part of it, without their labels. Both arms then
fine-tune the same GPTClassifier (same head initialisation, steps, learning rate, batches, labelled subset); the
only difference is where the body's weights start.
"""

import torch
from tokenizers import Tokenizer
from torch import Tensor
from tqdm.auto import tqdm

from mlqa.transformer.data import PAD_ID, encode_for_gpt, load_tweets, sentiment_split
from mlqa.transformer.decoder_classifier import BATCH_SIZE, LENGTH, TINY, pretrain_tiny_gpt, pretraining_corpus
from mlqa.transformer.experiments import (
    POOL_SIZE,
    TEST_SIZE,
    accuracy,
    balanced_subset,
    last_token_features,
    logistic_regression_accuracy,
)
from mlqa.transformer.gpt import GPT, DecoderConfig, GPTClassifier
from mlqa.transformer.train import train_classifier

LABEL_SIZES = (100, 300, 1000, 2000)
PRETRAIN_STEPS, FINETUNE_STEPS, FINETUNE_LR = 3000, 150, 1e-3
ARMS = ("pretrained", "from scratch")  # both fine-tuned
PROBE_ARMS = ("pretrained, frozen + LR", "random, frozen + LR")  # the bodies kept fixed, logistic regression on top


def finetuned_accuracy(
    config: DecoderConfig,
    pretrained: GPT | None,
    train: tuple[Tensor, Tensor, Tensor],
    test: tuple[Tensor, Tensor, list[int]],
    steps: int = FINETUNE_STEPS,
    lr: float = FINETUNE_LR,
    seed: int = 0,
    progress: bool = True,
) -> float:
    """Test accuracy of a GPTClassifier fine-tuned on `train`, its body from `pretrained` or random if None (Q8).

    `train` is (ids, mask, labels) and `test` (ids, mask, labels); the head starts the same for a given seed.
    """
    if pretrained is not None and pretrained.config != config:
        raise ValueError(f"pretrained GPT has config {pretrained.config}, the classifier {config}")
    torch.manual_seed(seed)
    classifier = GPTClassifier(config, 2, PAD_ID)
    if pretrained is not None:
        classifier.gpt.load_state_dict(pretrained.state_dict())
    ids, mask, labels = train
    train_classifier(classifier, (ids, mask), labels, steps, lr=lr, batch_size=BATCH_SIZE, seed=seed,
                     progress=progress, desc="fine-tune " + ("pretrained" if pretrained is not None else "scratch"))
    return accuracy(classifier, test[:2], test[2])


def labelled_subset(
    tokenizer: Tokenizer, texts: list[str], labels: list[int], size: int, seed: int = 0
) -> tuple[Tensor, Tensor, Tensor]:
    """(ids, mask, labels) of a balanced subset of `size` labelled tweets drawn with `seed`, encoded for a GPT (Q8)."""
    picked = balanced_subset(labels, size, seed=seed)
    ids, mask = encode_for_gpt(tokenizer, [texts[i] for i in picked], LENGTH)
    return ids, mask, torch.tensor([labels[i] for i in picked])


def probe_accuracy(gpt: GPT, train: tuple[Tensor, Tensor, Tensor], test: tuple[Tensor, Tensor, list[int]]) -> float:
    """Test accuracy of logistic regression on the frozen GPT's last-token hidden states (Q8)."""
    train_features = last_token_features(gpt, *train[:2])
    return logistic_regression_accuracy(train_features, train[2].tolist(), last_token_features(gpt, *test[:2]),
                                        test[2])


def pretraining_gain(
    texts: list[str],
    split: tuple[list[str], list[int], list[str], list[int]],
    label_sizes: tuple[int, ...] = LABEL_SIZES,
    seed: int = 0,
    pretrain_steps: int = PRETRAIN_STEPS,
    finetune_steps: int = FINETUNE_STEPS,
    progress: bool = True,
) -> tuple[list[dict], dict[str, float]]:
    """One seed: pretrain the tiny GPT, then fine-tune it and a random copy at each label size (Q8).

    Rows are {seed, labels, arm, accuracy} for the fine-tuned ARMS and the frozen PROBE_ARMS; the facts are the
    pretraining steps and final loss. The seed sets the pretraining, the random body, the labelled subsets and the
    fine-tuning; all arms of a seed share them.
    """
    if not label_sizes or min(label_sizes) < 2:
        raise ValueError(f"need label sizes of at least 2, got {label_sizes}")
    pool_texts, pool_labels, test_texts, test_labels = split
    corpus, tokenizer = pretraining_corpus(texts, test_texts)
    gpt, losses, _ = pretrain_tiny_gpt(tokenizer, corpus, steps=pretrain_steps, seed=seed, progress=progress)
    torch.manual_seed(seed)
    random_gpt = GPT(gpt.config).eval()
    test = (*encode_for_gpt(tokenizer, test_texts, LENGTH), test_labels)
    rows = []
    for size in label_sizes:
        train = labelled_subset(tokenizer, pool_texts, pool_labels, size, seed=seed)
        for arm, body in zip(ARMS, (gpt, None)):
            value = finetuned_accuracy(gpt.config, body, train, test, finetune_steps, seed=seed, progress=False)
            rows.append({"seed": seed, "labels": size, "arm": arm, "accuracy": value})
        for arm, body in zip(PROBE_ARMS, (gpt, random_gpt)):
            rows.append({"seed": seed, "labels": size, "arm": arm, "accuracy": probe_accuracy(body, train, test)})
    return rows, {"pretrain_steps": pretrain_steps, "final_loss": sum(losses[-50:]) / len(losses[-50:])}


def sweep_pretraining_gain(
    seeds: tuple[int, ...] = (0, 1, 2),
    label_sizes: tuple[int, ...] = LABEL_SIZES,
    pretrain_steps: int = PRETRAIN_STEPS,
    progress: bool = True,
) -> tuple[list[dict], dict]:
    """pretraining_gain for each seed on the Q17 sentiment split: all rows and the settings with per-seed facts (Q8)."""
    tweets = load_tweets()
    split = sentiment_split(tweets, num_train=POOL_SIZE, num_test=TEST_SIZE, seed=0)
    rows, facts = [], {}
    for seed in tqdm(seeds, desc="pretraining gain", disable=not progress):
        seed_rows, facts[seed] = pretraining_gain(tweets.texts, split, label_sizes, seed, pretrain_steps,
                                                  progress=progress)
        rows += seed_rows
    settings = {"label_sizes": list(label_sizes), "pretrain_steps": pretrain_steps, "finetune_steps": FINETUNE_STEPS,
                "finetune_lr": FINETUNE_LR, "batch_size": BATCH_SIZE, "length": LENGTH, "facts": facts}
    return rows, settings


def scratch_accuracy(label_size: int = 100, seed: int = 0, progress: bool = True) -> float:
    """One stored point re-run: the from-scratch arm of sweep_pretraining_gain at `label_size` and `seed` (Q8).

    It needs no pretraining (only the tokenizer, trained on the same corpus), so it is cheap enough to run live.
    """
    tweets = load_tweets()
    pool_texts, pool_labels, test_texts, test_labels = sentiment_split(tweets, POOL_SIZE, TEST_SIZE, seed=0)
    _, tokenizer = pretraining_corpus(tweets.texts, test_texts)
    config = DecoderConfig(vocab_size=tokenizer.get_vocab_size(), **TINY)
    train = labelled_subset(tokenizer, pool_texts, pool_labels, label_size, seed=seed)
    test = (*encode_for_gpt(tokenizer, test_texts, LENGTH), test_labels)
    return finetuned_accuracy(config, None, train, test, seed=seed, progress=progress)
