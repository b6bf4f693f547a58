"""Every way of adapting MiniLM to tweet sentiment on the same labels and the same step budget (Q18).

Each arm ends in the same head, mean pooling -> L2 normalisation -> linear layer, started from the logistic
regression fitted on the frozen embeddings (LP-FT, as in Q17), and trains with the same AdamW loop, batch
size and number of steps; only what is trainable, and the learning rate its method is usually run with, differ.
"""

import copy
import time

import torch
import torch.nn.functional as F
from sklearn.linear_model import LogisticRegression
from torch import Tensor, nn
from tqdm.auto import tqdm

from mlqa.finetuning.adapters import add_adapters
from mlqa.finetuning.lora import add_lora
from mlqa.finetuning.prompts import add_prefixes, add_soft_prompt, encode
from mlqa.transformer import (
    BertEncoder,
    balanced_subset,
    head_from_logistic_regression,
    mean_pool,
    predict,
    sentence_embeddings,
    train_classifier,
)

ARMS = {
    "features": "frozen embeddings + logistic regression",
    "last_layers": "fine-tune the last 2 of 6 blocks",
    "all_layers": "fine-tune all layers",
    "adapters": "adapters (bottleneck 16)",
    "lora": "LoRA (rank 8, query and value)",
    "prefix": "prefix tuning (10 keys and values per layer)",
    "prompt": "prompt tuning (10 input vectors)",
}
LEARNING_RATES = {"last_layers": 1e-4, "all_layers": 3e-5, "adapters": 1e-3, "lora": 5e-4, "prefix": 1e-2,
                  "prompt": 3e-2}
TOP_BLOCKS = 2
INFERENCE_NEEDS = {  # what each way of using MiniLM stores per task and adds to every prediction
    "features": "385 numbers per task; one shared encoder pass",
    "retrieval": "the labelled index (200 x 384 numbers + labels); one encoder pass + 200 dot products",
    "last_layers": "its own copy of the top 2 blocks (3.5 M numbers); otherwise one pass",
    "all_layers": "a whole model per task (22.7 M numbers); one pass",
    "adapters": "163 k numbers per task; 24 small extra layers in every pass",
    "lora": "74 k numbers per task; nothing extra once merged (but then one model per task)",
    "prefix": "47 k numbers per task; 10 extra keys and values in every attention layer",
    "prompt": "4.6 k numbers per task; 10 extra input positions in every pass",
    "in-context": "nothing trained; k demonstrations (~20 tokens each) read with every query",
}


class AdaptedClassifier(nn.Module):
    """encode (prompt and prefixes included) -> mean pool -> L2 normalisation -> linear head (Q18)."""

    def __init__(self, encoder: BertEncoder, head: nn.Linear):
        super().__init__()
        self.encoder = encoder
        self.head = head

    def forward(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        """Class logits (batch, 2)."""
        hidden = encode(self.encoder, input_ids, attention_mask)
        return self.head(F.normalize(mean_pool(hidden, attention_mask)))


class TopBlocksClassifier(nn.Module):
    """The top encoder blocks plus the head, fed the cached output of the frozen blocks below (Q18)."""

    def __init__(self, blocks: nn.ModuleList, head: nn.Linear):
        super().__init__()
        self.blocks = blocks
        self.head = head

    def forward(self, hidden: Tensor, attention_mask: Tensor) -> Tensor:
        """Class logits (batch, 2) from the hidden states that enter the first trainable block."""
        allowed = attention_mask.bool()[:, None, None, :]
        for block in self.blocks:
            hidden = block(hidden, allowed)
        return self.head(F.normalize(mean_pool(hidden, attention_mask)))


def freeze_all_but(model: nn.Module, trainable: tuple[str, ...]) -> int:
    """Freeze every parameter whose name has none of the `trainable` parts; return the trainable count (Q18)."""
    for name, parameter in model.named_parameters():
        parameter.requires_grad_(any(part in name for part in trainable))
    count = sum(p.numel() for p in model.parameters() if p.requires_grad)
    if count == 0:
        raise ValueError(f"no parameter name contains any of {list(trainable)}")
    return count


def adapted_model(arm: str, encoder: BertEncoder, head: nn.Linear, seed: int = 0) -> AdaptedClassifier:
    """A copy of `encoder` prepared for `arm` (one of ARMS except the two that need no copy), frozen around it (Q18)."""
    encoder = copy.deepcopy(encoder)
    if arm == "all_layers":
        trainable = ("",)
    elif arm == "adapters":
        add_adapters(encoder, bottleneck=16)
        trainable = ("down", "up", "norm", "head")  # Houlsby et al. also train the LayerNorms
    elif arm == "lora":
        add_lora(encoder, rank=8, alpha=16, targets=("query", "value"), seed=seed)
        trainable = ("lora_", "head")
    elif arm == "prefix":
        add_prefixes(encoder, length=10, seed=seed)
        trainable = ("prefix", "head")
    elif arm == "prompt":
        add_soft_prompt(encoder, length=10, seed=seed)
        trainable = ("soft_prompt", "head")
    else:
        raise ValueError(f"arm {arm!r} has no adapted model; choose from all_layers, adapters, lora, prefix, prompt")
    model = AdaptedClassifier(encoder, copy.deepcopy(head))
    freeze_all_but(model, trainable)
    return model


def trainable_parameters(model: nn.Module) -> int:
    """Number of parameters the optimizer updates (Q18)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def accuracy_of(model: nn.Module, inputs: tuple[Tensor, ...], labels: list[int]) -> float:
    """Fraction of correct arg-max predictions (Q18)."""
    return int((predict(model, inputs) == torch.tensor(labels)).sum()) / len(labels)


def labelled_embeddings(
    encoder: BertEncoder, train: tuple[Tensor, Tensor, list[int]], test: tuple[Tensor, Tensor, list[int]],
    num_labels: int = 200, seed: int = 0,
) -> tuple[Tensor, list[int], Tensor, list[int]]:
    """Frozen sentence embeddings and labels of the tweets run_arms draws with `seed`, and of `test` (Q18)."""
    pool_ids, pool_mask, pool_y = train
    picked = balanced_subset(pool_y, num_labels, seed)
    return (sentence_embeddings(encoder, pool_ids[picked], pool_mask[picked]), [pool_y[i] for i in picked],
            sentence_embeddings(encoder, test[0], test[1]), list(test[2]))


def probe_accuracy(train_x: Tensor, train_y: list[int], test_x: Tensor, test_y: list[int]) -> float:
    """Test accuracy of the frozen arm: logistic regression on the embeddings, as run_arms fits it (Q18)."""
    if len(train_x) != len(train_y) or len(test_x) != len(test_y):
        raise ValueError(f"rows and labels differ: {len(train_x)} vs {len(train_y)}, {len(test_x)} vs {len(test_y)}")
    return float(LogisticRegression(max_iter=2000).fit(train_x.numpy(), train_y).score(test_x.numpy(), test_y))


def run_arms(
    encoder: BertEncoder,
    train: tuple[Tensor, Tensor, list[int]],
    test: tuple[Tensor, Tensor, list[int]],
    num_labels: int = 200,
    seed: int = 0,
    arms: tuple[str, ...] = tuple(ARMS),
    steps: int = 50,
    batch_size: int = 16,
    progress: bool = True,
    cache: dict | None = None,
) -> list[dict]:
    """Train each arm on the same `num_labels` tweets drawn with `seed`; one row per arm (Q18).

    Row: arm, seed, labels, accuracy on `test`, trainable parameters, training seconds (wall clock, this machine).
    `train` and `test` are (ids, attention_mask, labels). A dict passed as `cache` keeps the frozen test
    features between calls on the same test set (they do not depend on the labels).
    """
    unknown = set(arms) - set(ARMS)
    if unknown:
        raise ValueError(f"unknown arms {sorted(unknown)}; choose from {list(ARMS)}")
    cache = {} if cache is None else cache
    pool_ids, pool_mask, pool_y = train
    test_ids, test_mask, test_y = test
    picked = balanced_subset(pool_y, num_labels, seed)
    ids, mask, labels = pool_ids[picked], pool_mask[picked], [pool_y[i] for i in picked]
    start = time.perf_counter()
    probe = LogisticRegression(max_iter=2000).fit(sentence_embeddings(encoder, ids, mask).numpy(), labels)
    probe_seconds = time.perf_counter() - start
    head = head_from_logistic_regression(probe)
    settings = dict(batch_size=batch_size, seed=seed, progress=False)
    rows = []
    for arm in tqdm(arms, desc=f"arms, seed {seed}", disable=not progress):
        start = time.perf_counter()
        if arm == "features":
            if "embeddings" not in cache:
                cache["embeddings"] = sentence_embeddings(encoder, test_ids, test_mask)
            accuracy = float(probe.score(cache["embeddings"].numpy(), test_y))
            trainable, seconds = head.weight.shape[1] + 1, probe_seconds
        elif arm == "last_layers":
            below = len(encoder.blocks) - TOP_BLOCKS
            with torch.no_grad():
                encoder.eval()
                hidden = encode(encoder, ids, mask, num_blocks=below)
                if "below_top" not in cache:
                    cache["below_top"] = torch.cat([encode(encoder, test_ids[i:i + 128], test_mask[i:i + 128], below)
                                                    for i in range(0, len(test_ids), 128)])
            model = TopBlocksClassifier(copy.deepcopy(encoder.blocks[below:]), copy.deepcopy(head))
            trainable = trainable_parameters(model)
            train_classifier(model, (hidden, mask), torch.tensor(labels), steps, lr=LEARNING_RATES[arm], **settings)
            seconds = probe_seconds + time.perf_counter() - start
            accuracy = accuracy_of(model, (cache["below_top"], test_mask), test_y)
        else:
            model = adapted_model(arm, encoder, head, seed)
            trainable = trainable_parameters(model)
            train_classifier(model, (ids, mask), torch.tensor(labels), steps, lr=LEARNING_RATES[arm], **settings)
            seconds = probe_seconds + time.perf_counter() - start
            accuracy = accuracy_of(model, (test_ids, test_mask), test_y)
        rows.append({"arm": arm, "seed": seed, "labels": num_labels, "accuracy": accuracy, "trainable": trainable,
                     "seconds": seconds})
    return rows
