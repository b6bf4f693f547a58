"""The shared overfitting setup and the comparison of every method on it (Q6).

Setup: 5 training digits per class (50 images), a 2x128 ReLU MLP, 100 full-batch Adam epochs at lr 0.01: the
baseline reaches 100% training accuracy and a large train-validation gap. Every method gets the same data, epochs
and learning rate; each method's one knob was picked from a three-value grid by mean validation accuracy over
the three seeds (`tune_knobs`), and the picks are stored in `TUNED`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from tqdm.auto import tqdm

from mlqa.regularization.data import OverfitSplit, digits_overfit_split
from mlqa.regularization.distillation import distillation_loss
from mlqa.regularization.ensembles import bootstrap_indices, kfold_train_indices
from mlqa.regularization.pruning import stacked_masks
from mlqa.regularization.training import StackedHistory, StackedMLP, fit_stacked, stack_splits
from mlqa.utils import get_device, torch_threads

SETUP = {"train_per_class": 5, "val_size": 150, "hidden": 128, "epochs": 100, "lr": 1e-2, "members": 3,
         "student_hidden": 16, "patience": 15}
GRIDS = {"l2": (1e-3, 3e-3, 1e-2), "decay": (1.0, 3.0, 10.0), "dropout": (0.3, 0.5, 0.7),
         "prune": (0.5, 0.8, 0.9), "temperature": (2.0, 4.0, 8.0)}
TUNED = {"l2": 3e-3, "decay": 1.0, "dropout": 0.7, "prune": 0.8, "temperature": 4.0}


@dataclass
class MethodResult:
    """One method's per-seed train, validation and test accuracy and train and validation loss (Q6)."""

    name: str
    train_acc: np.ndarray
    val_acc: np.ndarray
    test_acc: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    n_parameters: int

    @property
    def acc_gap(self) -> np.ndarray:
        """Train minus validation accuracy per seed (Q6)."""
        return self.train_acc - self.val_acc

    @property
    def loss_gap(self) -> np.ndarray:
        """Validation minus training cross-entropy per seed (Q6)."""
        return self.val_loss - self.train_loss


@dataclass
class _Arm:
    name: str
    seed: int
    members: int = 1


def _probs(model: StackedMLP, X: torch.Tensor) -> torch.Tensor:
    model.eval()
    with torch.no_grad():
        return F.softmax(model(X), dim=2)


def _collect(arms: list[_Arm], model: StackedMLP, data: dict[str, torch.Tensor], n_parameters: int,
             results: dict[str, dict[str, list[float]]]) -> None:
    """Average each arm's member probabilities (a soft vote) and record its accuracy and loss per split."""
    probs = {part: _probs(model, data[f"X_{part}"]) for part in ("train", "val", "test")}
    start = 0
    for arm in arms:
        rows = slice(start, start + arm.members)
        start += arm.members
        entry = results.setdefault(arm.name, {"n_parameters": [n_parameters * arm.members]})
        for part in ("train", "val", "test"):
            p = probs[part][rows].mean(0)
            y = data[f"y_{part}"][rows.start]
            entry.setdefault(f"{part}_acc", []).append(float((p.argmax(1) == y).float().mean()))
            entry.setdefault(f"{part}_loss", []).append(float(-p.gather(1, y[:, None]).clamp_min(1e-12).log().mean()))


def _n_parameters(hidden: int, depth: int = 2) -> int:
    widths = [64] + [hidden] * depth + [10]
    return sum(a * b + b for a, b in zip(widths[:-1], widths[1:]))


def _regularizer_arms(seeds: Sequence[int], knobs: dict[str, float]) -> tuple[list[_Arm], dict[str, list]]:
    """The stacked run's arms and per-model settings for the methods that keep the model's size."""
    arms, per = [], {"init": [], "split": [], "l2": [], "decay": [], "dropout": [], "early": [], "weight": []}
    n_train, members = 10 * SETUP["train_per_class"], SETUP["members"]
    for i, seed in enumerate(seeds):
        plan = [("baseline", 1, {}), ("L2 penalty (Adam)", 1, {"l2": knobs["l2"]}),
                ("decoupled weight decay (AdamW)", 1, {"decay": knobs["decay"]}),
                ("dropout", 1, {"dropout": knobs["dropout"]}), ("early stopping", 1, {"early": True}),
                (f"ensemble of {members} (seeds)", members, {}), (f"bagging ({members})", members, {"bag": True}),
                (f"{members}-fold ensemble", members, {"fold": True})]
        bags = bootstrap_indices(n_train, members, seed=seed)
        folds = kfold_train_indices(n_train, members)
        for name, n, opts in plan:
            arms.append(_Arm(name, seed, n))
            for member in range(n):
                per["init"].append(1000 * seed + member)
                per["split"].append(i)
                per["l2"].append(opts.get("l2", 0.0))
                per["decay"].append(opts.get("decay", 0.0))
                per["dropout"].append(opts.get("dropout", 0.0))
                per["early"].append(opts.get("early", False))
                weight = np.ones(n_train)
                if opts.get("bag"):
                    weight = np.bincount(bags[member], minlength=n_train).astype(float)
                if opts.get("fold"):
                    weight = np.zeros(n_train)
                    weight[folds[member]] = 1.0
                per["weight"].append(weight)
    return arms, per


def _stratified_order(split: OverfitSplit) -> OverfitSplit:
    """Interleave the classes so that contiguous k-fold folds stay class-balanced."""
    order = np.lexsort((split.y_train, np.arange(len(split.y_train)) % SETUP["train_per_class"]))
    return OverfitSplit(split.X_train[order], split.y_train[order], split.X_val, split.y_val, split.X_test,
                        split.y_test)


def compare_methods(seeds: Sequence[int] = (0, 1, 2), knobs: dict[str, float] | None = None,
                    device: torch.device | None = None, progress: bool = False
                    ) -> tuple[dict[str, MethodResult], StackedHistory]:
    """Every method on the overfitting setup, per seed; also the baseline's training curves (Q6)."""
    knobs = {**TUNED, **(knobs or {})}
    device = device or get_device()
    splits = [_stratified_order(digits_overfit_split(SETUP["train_per_class"], SETUP["val_size"], s))
              for s in seeds]
    results: dict[str, dict[str, list[float]]] = {}
    epochs, lr, hidden = SETUP["epochs"], SETUP["lr"], SETUP["hidden"]
    with torch_threads():
        arms, per = _regularizer_arms(seeds, knobs)
        model = StackedMLP(per["init"], hidden=hidden, dropout=per["dropout"]).to(device)
        data = stack_splits(splits, per["split"], device)
        history = fit_stacked(model, data, epochs, lr, l2=per["l2"], decay=per["decay"],
                              sample_weight=np.stack(per["weight"]), patience=per["early"],
                              patience_epochs=SETUP["patience"], progress=progress)
        _collect(arms, model, data, _n_parameters(hidden), results)
        baseline_rows = [i for i, arm in enumerate(arms) if arm.name == "baseline"]
        first_member = np.cumsum([0] + [arm.members for arm in arms])[baseline_rows]
        with torch.no_grad():
            teacher_logits = model(data["X_train"])[first_member]
        initial = StackedMLP([1000 * s for s in seeds], hidden=hidden).to(device)
        # Pruning: the baseline's smallest weights removed, the rest retrained from the same initialisation.
        masks = [m.to(device) for m in stacked_masks([w[first_member].detach() for w in model.weights],
                                                     knobs["prune"])]
        with torch.no_grad():
            for w, mask in zip(initial.weights, masks):
                w.mul_(mask)
        pruned_data = stack_splits(splits, list(range(len(seeds))), device)
        fit_stacked(initial, pruned_data, epochs, lr, masks=masks)
        kept = int(sum(float(m[0].sum()) for m in masks)) + sum(int(b[0].numel()) for b in initial.biases)
        _collect([_Arm(f"pruned ({knobs['prune']:.0%} of weights)", s) for s in seeds], initial, pruned_data, kept,
                 results)
        # Distillation: a small student taught by the baseline against the same student trained alone.
        students = StackedMLP([1000 * s + 7 for s in seeds] * 2, hidden=SETUP["student_hidden"]).to(device)
        student_data = stack_splits(splits, list(range(len(seeds))) * 2, device)
        alpha = torch.tensor([0.0] * len(seeds) + [0.9] * len(seeds), device=device)
        teachers = torch.cat([teacher_logits, teacher_logits])
        fit_stacked(students, student_data, epochs, lr, loss_fn=lambda logits, y: distillation_loss(
            logits, teachers, y, knobs["temperature"], alpha))
        small = _n_parameters(SETUP["student_hidden"])
        _collect([_Arm("small model alone", s) for s in seeds] + [_Arm("distilled small model", s) for s in seeds],
                 students, student_data, small, results)
    out = {name: MethodResult(name, *(np.array(v[k]) for k in ("train_acc", "val_acc", "test_acc", "train_loss",
                                                                 "val_loss")), int(v["n_parameters"][0]))
           for name, v in results.items()}
    return out, history


def tune_knobs(seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> dict[str, float]:
    """Pick each method's knob from `GRIDS` by mean validation accuracy over seeds, same budget for all (Q6)."""
    method_of = {"l2": "L2 penalty (Adam)", "decay": "decoupled weight decay (AdamW)", "dropout": "dropout",
                 "prune": "pruned", "temperature": "distilled small model"}
    scores: dict[str, list[float]] = {knob: [] for knob in GRIDS}
    for j in tqdm(range(3), desc="grid", disable=not progress):
        results, _ = compare_methods(seeds, {knob: values[j] for knob, values in GRIDS.items()})
        for knob, method in method_of.items():
            match = next(r for name, r in results.items() if name.startswith(method))
            scores[knob].append(float(match.val_acc.mean()))
    return {knob: GRIDS[knob][int(np.argmax(s))] for knob, s in scores.items()}


def dropout_sweep(rates: Sequence[float] = (0.0, 0.2, 0.4, 0.6, 0.8), seed: int = 0,
                  device: torch.device | None = None) -> StackedHistory:
    """Training curves of the setup's MLP at each dropout rate, one model per rate, same init and data (Q6)."""
    device = device or get_device()
    split = _stratified_order(digits_overfit_split(SETUP["train_per_class"], SETUP["val_size"], seed))
    with torch_threads():
        model = StackedMLP([1000 * seed] * len(rates), hidden=SETUP["hidden"], dropout=rates).to(device)
        data = stack_splits([split], [0] * len(rates), device)
        return fit_stacked(model, data, SETUP["epochs"], SETUP["lr"])
