"""One vectorised trainer for every arm: a stack of MLPs trained at once with batched matrix products (Q6).

Every model in the stack has its own initialisation, training split (one per seed), sample weights (bagging and
k-fold use them), dropout rate, L2 penalty, decoupled weight decay, loss and early stopping. One full-batch Adam
step updates all of them; Adam is elementwise, so each model trains exactly as it would alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from tqdm.auto import tqdm

from mlqa.regularization.data import OverfitSplit
from mlqa.regularization.dropout import stacked_dropout
from mlqa.regularization.early_stopping import EarlyStopping


class StackedMLP(nn.Module):
    """`n_models` independent ReLU MLPs with weights stacked on dim 0; input (models, samples, features) (Q6)."""

    def __init__(self, seeds: Sequence[int], hidden: int = 256, depth: int = 2, dropout: Sequence[float] | None = None,
                 n_inputs: int = 64, n_classes: int = 10) -> None:
        super().__init__()
        if hidden < 1 or depth < 1 or len(seeds) < 1:
            raise ValueError(f"need hidden >= 1, depth >= 1 and a seed per model; got {hidden}, {depth}, {len(seeds)}")
        widths = [n_inputs] + [hidden] * depth + [n_classes]
        weights, biases = [[] for _ in widths[1:]], [[] for _ in widths[1:]]
        for seed in seeds:  # nn.Linear's default initialisation, one generator per model
            generator = torch.Generator().manual_seed(int(seed))
            for layer, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
                bound = 1.0 / math.sqrt(fan_in)
                weights[layer].append((torch.rand(fan_in, fan_out, generator=generator) * 2 - 1) * bound)
                biases[layer].append((torch.rand(1, fan_out, generator=generator) * 2 - 1) * bound)
        self.weights = nn.ParameterList([nn.Parameter(torch.stack(w)) for w in weights])
        self.biases = nn.ParameterList([nn.Parameter(torch.stack(b)) for b in biases])
        rates = torch.zeros(len(seeds)) if dropout is None else torch.as_tensor(dropout, dtype=torch.float32)
        if rates.shape != (len(seeds),):
            raise ValueError(f"need one dropout rate per model: {len(seeds)} models, {tuple(rates.shape)} rates")
        self.register_buffer("dropout", rates)

    @property
    def n_models(self) -> int:
        return self.weights[0].shape[0]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for weight, bias in zip(self.weights[:-1], self.biases[:-1]):
            x = stacked_dropout(torch.relu(torch.baddbmm(bias, x, weight)), self.dropout, self.training)
        return torch.baddbmm(self.biases[-1], x, self.weights[-1])


@dataclass
class StackedHistory:
    """Per-epoch accuracy and loss, shape (epochs, models); each model's kept and last epoch (Q6).

    A model that stops early keeps training inside the stack, but its weights are restored to `best_epoch`;
    its curves mean something only up to `stopped_epoch`.
    """

    train_acc: np.ndarray
    val_acc: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    best_epoch: np.ndarray
    stopped_epoch: np.ndarray


def stack_splits(splits: Sequence[OverfitSplit], split_of_model: Sequence[int],
                 device: torch.device) -> dict[str, torch.Tensor]:
    """Each model's train, validation and test tensors, stacked on dim 0 (Q6)."""
    if not splits or max(split_of_model) >= len(splits) or min(split_of_model) < 0:
        raise ValueError(f"split_of_model must index the {len(splits)} splits, got {list(split_of_model)}")
    out = {}
    for part in ("train", "val", "test"):
        X = np.stack([getattr(splits[i], f"X_{part}") for i in split_of_model])
        y = np.stack([getattr(splits[i], f"y_{part}") for i in split_of_model])
        out[f"X_{part}"] = torch.as_tensor(X, dtype=torch.float32, device=device)
        out[f"y_{part}"] = torch.as_tensor(y, dtype=torch.long, device=device)
    return out


def _per_model(values: Sequence[float] | float | None, n_models: int, name: str) -> torch.Tensor:
    out = torch.zeros(n_models) if values is None else torch.as_tensor(values, dtype=torch.float32).expand(n_models)
    if bool((out < 0).any()):
        raise ValueError(f"{name} must be non-negative, got {out.tolist()}")
    return out.clone()


@torch.no_grad()
def _scores(model: StackedMLP, X: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-model, per-sample correctness and cross-entropy in eval mode."""
    model.eval()
    logits = model(X)
    return (logits.argmax(2) == y).float(), F.cross_entropy(logits.transpose(1, 2), y, reduction="none")


def fit_stacked(model: StackedMLP, data: dict[str, torch.Tensor], epochs: int = 300, lr: float = 3e-3,
                l2: Sequence[float] | float | None = None, decay: Sequence[float] | float | None = None,
                sample_weight: np.ndarray | None = None, patience: Sequence[bool] | None = None,
                patience_epochs: int = 30,
                loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] | None = None,
                masks: Sequence[torch.Tensor] | None = None, seed: int = 0, progress: bool = False,
                augment: Callable[[torch.Tensor], torch.Tensor] | None = None) -> StackedHistory:
    """Train every model in the stack full-batch with Adam, each with its own regulariser (Q6).

    `l2`: penalty l2/2 * ||w||^2 added to the loss (coupled: Adam rescales it); `decay`: decoupled weight decay
    w <- w * (1 - lr * decay) before each Adam step (AdamW); `sample_weight` (models, train samples): bootstrap
    counts or fold masks; `patience`: which models stop early on validation accuracy after `patience_epochs`
    epochs without improvement, restored to their best checkpoint; `loss_fn(logits, labels)` returns the loss
    per model and sample (distillation); `masks` multiply each weight matrix after every step (pruning);
    `augment` maps the stacked training images to a fresh random transform of them before every step (Q5).
    """
    n_models = model.n_models
    if epochs < 1 or lr <= 0:
        raise ValueError(f"need epochs >= 1 and lr > 0, got epochs={epochs}, lr={lr}")
    if data["X_train"].shape[0] != n_models:
        raise ValueError(f"data holds {data['X_train'].shape[0]} models' splits, the stack has {n_models} models")
    device = data["X_train"].device
    l2_t, decay_t = _per_model(l2, n_models, "l2").to(device), _per_model(decay, n_models, "decay").to(device)
    n_train = data["y_train"].shape[1]
    weight = torch.ones(n_models, n_train) if sample_weight is None else torch.as_tensor(sample_weight).float()
    if weight.shape != (n_models, n_train):
        raise ValueError(f"sample_weight must have shape ({n_models}, {n_train}), got {tuple(weight.shape)}")
    weight = (weight / weight.sum(1, keepdim=True)).to(device)
    early = torch.zeros(n_models, dtype=torch.bool) if patience is None else torch.as_tensor(patience, dtype=torch.bool)
    stopper = EarlyStopping(n_models, patience_epochs)
    X_eval = torch.cat([data["X_train"], data["X_val"]], dim=1)  # one evaluation pass for both curves
    y_eval = torch.cat([data["y_train"], data["y_val"]], dim=1)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {key: [] for key in ("train_acc", "val_acc", "train_loss", "val_loss")}
    torch.manual_seed(seed)
    for epoch in tqdm(range(epochs), desc="epochs", disable=not progress):
        model.train()
        logits = model(data["X_train"] if augment is None else augment(data["X_train"]))
        per_sample = (F.cross_entropy(logits.transpose(1, 2), data["y_train"], reduction="none") if loss_fn is None
                      else loss_fn(logits, data["y_train"]))
        loss = (per_sample * weight).sum()
        penalty = sum((p.pow(2).flatten(1).sum(1) * l2_t).sum() for p in model.parameters())
        optimizer.zero_grad()
        (loss + penalty / 2).backward()
        with torch.no_grad():
            for p in model.parameters():
                p.mul_((1 - lr * decay_t).view(-1, *([1] * (p.dim() - 1))))
        optimizer.step()
        if masks is not None:
            with torch.no_grad():
                for w, mask in zip(model.weights, masks):
                    w.mul_(mask)
        acc, loss_per_sample = _scores(model, X_eval, y_eval)
        train_acc, val_acc = acc[:, :n_train].mean(1), acc[:, n_train:].mean(1)
        train_loss, val_loss = loss_per_sample[:, :n_train].mean(1), loss_per_sample[:, n_train:].mean(1)
        for key, value in zip(history, (train_acc, val_acc, train_loss, val_loss)):
            history[key].append(value.cpu().numpy())
        if stopper.step(torch.where(early.to(device), val_acc, torch.inf), model, epoch) and bool(early.all()):
            break
    if bool(early.any()):
        final = {k: v.clone() for k, v in model.state_dict().items()}
        stopper.restore_best(model)
        with torch.no_grad():
            for name, value in model.state_dict().items():
                keep_final = ~early.to(value.device).view(-1, *([1] * (value.dim() - 1)))
                value.copy_(torch.where(keep_final, final[name], value))
    model.eval()
    last = len(history["val_acc"]) - 1
    best = np.where(early.numpy(), stopper.best_epoch.numpy(), last)
    stopped = np.where(early.numpy(), np.minimum(best + patience_epochs, last), last)
    return StackedHistory(*(np.array(v) for v in history.values()), best_epoch=best, stopped_epoch=stopped)


@torch.no_grad()
def stacked_logits(model: StackedMLP, X: torch.Tensor) -> torch.Tensor:
    """Eval-mode logits of every model, shape (models, samples, classes) (Q6)."""
    model.eval()
    return model(X)


def stacked_accuracy(model: StackedMLP, X: torch.Tensor, y: torch.Tensor) -> np.ndarray:
    """Accuracy of each model of the stack on its own split (Q6)."""
    return (stacked_logits(model, X).argmax(2) == y).float().mean(1).cpu().numpy()

