"""Training loops for the tiny Q17 models: GPT, BERT (MLM + NSP), the translator and classifiers."""

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from tqdm.auto import tqdm

from mlqa.transformer.bert import IGNORE_INDEX, mask_tokens


def fit(
    model: nn.Module,
    batch_loss: Callable[[Tensor], Tensor],
    num_examples: int,
    steps: int,
    batch_size: int = 32,
    lr: float = 3e-3,
    seed: int = 0,
    progress: bool = True,
    desc: str = "training",
) -> list[float]:
    """AdamW on random minibatches of example indices, linear warm-up then linear decay (Q17).

    `batch_loss(indices)` returns the loss of those examples; the losses of every step come back.
    """
    if steps < 1 or batch_size < 1 or num_examples < 1:
        raise ValueError(f"need steps, batch_size and num_examples >= 1, got {steps}, {batch_size}, {num_examples}")
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (steps - step) / (steps - warmup + 1)))
    )
    model.train()
    losses = []
    for _ in tqdm(range(steps), desc=desc, disable=not progress):
        indices = torch.randint(num_examples, (batch_size,), generator=generator)
        loss = batch_loss(indices)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        losses.append(loss.item())
    model.eval()
    return losses


def train_gpt(model: nn.Module, ids: Tensor, pad_id: int, steps: int, **fit_args) -> list[float]:
    """Next-token prediction on right-padded rows; padding targets do not count (Q17)."""

    def batch_loss(indices: Tensor) -> Tensor:
        rows = ids[indices]
        targets = rows[:, 1:].masked_fill(rows[:, 1:] == pad_id, IGNORE_INDEX)
        logits = model(rows[:, :-1])
        return F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=IGNORE_INDEX)

    return fit(model, batch_loss, len(ids), steps, desc="GPT", **fit_args)


def train_bert(
    model: nn.Module,
    ids: Tensor,
    token_type_ids: Tensor,
    attention_mask: Tensor,
    nsp_labels: Tensor,
    mask_id: int,
    special_ids: list[int],
    steps: int,
    **fit_args,
) -> dict[str, list[float]]:
    """BERT pretraining on masked-token plus next-sentence loss, fresh masks every step (Q17).

    Returns per step: "mlm" and "nsp" losses and "mlm_predictions", the number of masked tokens scored.
    """
    generator = torch.Generator().manual_seed(fit_args.get("seed", 0) + 1)
    vocab_size = model.encoder.config.vocab_size
    log: dict[str, list[float]] = {"mlm": [], "nsp": [], "mlm_predictions": []}

    def batch_loss(indices: Tensor) -> Tensor:
        corrupted, labels = mask_tokens(ids[indices], mask_id, vocab_size, special_ids, generator=generator)
        mlm_logits, nsp_logits = model(corrupted, attention_mask[indices], token_type_ids[indices])
        mlm = F.cross_entropy(mlm_logits.flatten(0, 1), labels.flatten(), ignore_index=IGNORE_INDEX)
        nsp = F.cross_entropy(nsp_logits, nsp_labels[indices])
        log["mlm"].append(mlm.item())
        log["nsp"].append(nsp.item())
        log["mlm_predictions"].append(float((labels != IGNORE_INDEX).sum()))
        return mlm + nsp

    fit(model, batch_loss, len(ids), steps, desc="BERT", **fit_args)
    return log


def next_token_targets(ids: Tensor, pad_id: int) -> Tensor:
    """Number of next-token predictions each right-padded row gives a GPT: its real tokens after the first (Q17)."""
    return (ids[:, 1:] != pad_id).sum(1)


def masked_token_targets(ids: Tensor, special_ids: list[int], mask_prob: float = 0.15) -> Tensor:
    """Expected number of masked-token predictions each row gives a BERT: mask_prob x its ordinary tokens (Q17)."""
    return mask_prob * (~torch.isin(ids, torch.tensor(special_ids))).sum(1)


def train_translator(
    model: nn.Module, source: Tensor, source_mask: Tensor, decoder_in: Tensor, target: Tensor, pad_id: int,
    steps: int, **fit_args,
) -> list[float]:
    """Teacher forcing: predict each target token from the source and the target prefix (Q17)."""

    def batch_loss(indices: Tensor) -> Tensor:
        logits = model(source[indices], decoder_in[indices], attention_mask=source_mask[indices])
        return F.cross_entropy(logits.flatten(0, 1), target[indices].flatten(), ignore_index=pad_id)

    return fit(model, batch_loss, len(source), steps, desc="encoder-decoder", **fit_args)


def train_classifier(
    model: nn.Module, inputs: tuple[Tensor, ...], labels: Tensor, steps: int, **fit_args
) -> list[float]:
    """Cross-entropy on class logits of `model(*inputs)` (Q17)."""

    def batch_loss(indices: Tensor) -> Tensor:
        return F.cross_entropy(model(*(x[indices] for x in inputs)), labels[indices])

    return fit(model, batch_loss, len(labels), steps, desc=fit_args.pop("desc", "classifier"), **fit_args)


@torch.no_grad()
def predict(model: nn.Module, inputs: tuple[Tensor, ...], batch_size: int = 128) -> Tensor:
    """Arg-max class of `model(*inputs)` in eval mode, batch by batch (Q17)."""
    model.eval()
    chunks = [model(*(x[i : i + batch_size] for x in inputs)).argmax(-1) for i in range(0, len(inputs[0]), batch_size)]
    return torch.cat(chunks)
