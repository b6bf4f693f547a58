"""Exercise 17-A as a fair experiment: frozen sentence embeddings + logistic regression against finetuning.

Finetuning follows the recipe that works for BERT-style encoders: a few epochs at a small learning rate with
warm-up and linear decay, and the new head starts from the logistic regression fitted on the frozen
embeddings (LP-FT, Kumar et al. 2022), so finetuning starts where the frozen route ends.
"""

import math

import torch
import torch.nn.functional as F
from sklearn.linear_model import LogisticRegression
from torch import Tensor, nn
from tqdm.auto import tqdm

from mlqa.transformer.bert import BertEncoder
from mlqa.transformer.experiments import (
    accuracy,
    balanced_subset,
    fit_logistic_regression,
    mean_pool,
    sentence_embeddings,
)
from mlqa.transformer.train import train_classifier

ARMS_17A = {
    "untrained": "untrained encoder, frozen + LR",
    "frozen": "frozen + LR",
    "lpft": "finetuned, head from LR (LP-FT)",
    "random_head": "finetuned, random head",
}


class SentenceEmbeddingClassifier(nn.Module):
    """Encoder -> mean pool -> L2 normalisation -> linear: a head on the sentence embedding (Q17, 17-A)."""

    def __init__(self, encoder: BertEncoder, num_labels: int):
        super().__init__()
        self.encoder = encoder
        self.head = nn.Linear(encoder.config.d_model, num_labels)

    def forward(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        """Class logits (batch, num_labels)."""
        return self.head(F.normalize(mean_pool(self.encoder(input_ids, attention_mask), attention_mask)))


def head_from_logistic_regression(classifier: LogisticRegression) -> nn.Linear:
    """A two-class linear layer whose logit difference equals the fitted logistic regression's score (Q17)."""
    if len(classifier.classes_) != 2:
        raise ValueError(f"expected a two-class logistic regression, got {len(classifier.classes_)} classes")
    weight = torch.tensor(classifier.coef_[0], dtype=torch.float32)
    bias = float(classifier.intercept_[0])
    head = nn.Linear(weight.numel(), 2)
    with torch.no_grad():
        head.weight.copy_(torch.stack([-weight / 2, weight / 2]))
        head.bias.copy_(torch.tensor([-bias / 2, bias / 2]))
    return head


def finetune_steps(num_examples: int, epochs: float, batch_size: int) -> int:
    """Optimizer steps that show the model `epochs` times as many examples as it has (Q17)."""
    if num_examples < 1 or epochs <= 0 or batch_size < 1:
        raise ValueError(f"need num_examples, epochs, batch_size > 0, got {num_examples}, {epochs}, {batch_size}")
    return math.ceil(epochs * num_examples / batch_size)


def finetune(
    encoder: BertEncoder,
    ids: Tensor,
    mask: Tensor,
    labels: list[int],
    head: nn.Linear | None = None,
    epochs: float = 3,
    lr: float = 3e-5,
    batch_size: int = 16,
    seed: int = 0,
    progress: bool = True,
) -> SentenceEmbeddingClassifier:
    """Train a copy of `encoder` and a head (given, or freshly drawn with `seed`) end to end (Q17, 17-A).

    AdamW, 10 % linear warm-up then linear decay to zero, weight decay 0.01, gradient clipping at 1.
    """
    torch.manual_seed(seed)
    model = SentenceEmbeddingClassifier(BertEncoder(encoder.config), 2)
    model.encoder.load_state_dict(encoder.state_dict())
    if head is not None:
        model.head.load_state_dict(head.state_dict())
    steps = finetune_steps(len(labels), epochs, batch_size)
    train_classifier(model, (ids, mask), torch.tensor(labels), steps, batch_size=batch_size, lr=lr, seed=seed,
                     progress=progress, desc=f"finetune on {len(labels)} labels")
    return model


def exercise_17a(
    encoder: BertEncoder,
    train: tuple[Tensor, Tensor, list[int]],
    test: tuple[Tensor, Tensor, list[int]],
    num_labels: int,
    seed: int = 0,
    arms: tuple[str, ...] = ("untrained", "frozen", "lpft"),
    epochs: float = 3,
    lr: float = 3e-5,
    batch_size: int = 16,
    progress: bool = True,
    test_features: dict | None = None,
) -> dict[str, float]:
    """One point of exercise 17-A: test accuracy of each arm with `num_labels` labels drawn with `seed` (Q17).

    `train` is the labelled pool and `test` the test set, each (ids, attention_mask, labels); arms are keys of
    ARMS_17A. Every arm sees the same labelled subset; the encoder passed in is left untouched. A dict passed as
    `test_features` keeps the frozen test embeddings between calls on the same test set (they do not depend on
    the labels).
    """
    unknown = set(arms) - set(ARMS_17A)
    if unknown:
        raise ValueError(f"unknown arms {sorted(unknown)}; choose from {sorted(ARMS_17A)}")
    pool_ids, pool_mask, pool_y = train
    test_ids, test_mask, test_y = test
    picked = balanced_subset(pool_y, num_labels, seed)
    ids, mask, labels = pool_ids[picked], pool_mask[picked], [pool_y[i] for i in picked]
    cache = {} if test_features is None else test_features
    results = {}
    if "untrained" in arms:
        torch.manual_seed(seed)
        untrained = BertEncoder(encoder.config)
        probe = fit_logistic_regression(sentence_embeddings(untrained, ids, mask), labels)
        if ("untrained", seed) not in cache:
            cache["untrained", seed] = sentence_embeddings(untrained, test_ids, test_mask)
        results[ARMS_17A["untrained"]] = float(probe.score(cache["untrained", seed].numpy(), test_y))
    probe = fit_logistic_regression(sentence_embeddings(encoder, ids, mask), labels)
    if "frozen" in arms:
        if "pretrained" not in cache:
            cache["pretrained"] = sentence_embeddings(encoder, test_ids, test_mask)
        results[ARMS_17A["frozen"]] = float(probe.score(cache["pretrained"].numpy(), test_y))
    settings = dict(epochs=epochs, lr=lr, batch_size=batch_size, seed=seed, progress=progress)
    if "lpft" in arms:
        model = finetune(encoder, ids, mask, labels, head=head_from_logistic_regression(probe), **settings)
        results[ARMS_17A["lpft"]] = accuracy(model, (test_ids, test_mask), test_y)
    if "random_head" in arms:
        model = finetune(encoder, ids, mask, labels, head=None, **settings)
        results[ARMS_17A["random_head"]] = accuracy(model, (test_ids, test_mask), test_y)
    return results


def sweep_17a(
    encoder: BertEncoder,
    train: tuple[Tensor, Tensor, list[int]],
    test: tuple[Tensor, Tensor, list[int]],
    label_sizes: tuple[int, ...] = (100, 500, 2000),
    seeds: tuple[int, ...] = (0, 1, 2),
    random_head_sizes: tuple[int, ...] = (100,),
    progress: bool = True,
    **settings,
) -> list[dict]:
    """Exercise 17-A over label sizes and seeds: one row {labels, seed, arm, accuracy} per result (Q17).

    The random-head ablation runs only at `random_head_sizes` (it costs as much as LP-FT).
    """
    rows, test_features = [], {}
    points = [(n, s) for n in label_sizes for s in seeds]
    for num_labels, seed in tqdm(points, desc="17-A sweep", disable=not progress):
        arms = ("untrained", "frozen", "lpft") + (("random_head",) if num_labels in random_head_sizes else ())
        result = exercise_17a(encoder, train, test, num_labels, seed, arms, progress=False,
                              test_features=test_features, **settings)
        rows += [{"labels": num_labels, "seed": seed, "arm": arm, "accuracy": value} for arm, value in result.items()]
    return rows
