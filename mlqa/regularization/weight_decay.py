"""L2 penalty against decoupled weight decay: equal under SGD, different under Adam (Loshchilov & Hutter) (Q6)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from mlqa.regularization.data import OverfitSplit
from mlqa.utils import torch_threads


def train_linear(split: OverfitSplit, optimizer: str, rule: str, lr: float = 0.05, weight_decay: float = 0.1,
                 steps: int = 50, seed: int = 0) -> torch.Tensor:
    """Weights of a softmax regression after `steps` full-batch steps under one weight-decay rule (Q6).

    rule "l2": the loss gets weight_decay/2 * ||w||^2 (its gradient weight_decay * w passes through the optimizer);
    "decoupled": w <- w * (1 - lr * weight_decay) before each plain step; "torch": torch's own `weight_decay`
    argument (SGD and Adam couple it like "l2"; AdamW decouples it).
    """
    if optimizer not in ("sgd", "adam", "adamw") or rule not in ("l2", "decoupled", "torch"):
        raise ValueError(f"optimizer must be sgd/adam/adamw and rule l2/decoupled/torch, got {optimizer}, {rule}")
    generator = torch.Generator().manual_seed(seed)
    w = (0.1 * torch.randn(split.X_train.shape[1], split.n_classes, generator=generator)).requires_grad_()
    X, y = torch.as_tensor(split.X_train), torch.as_tensor(split.y_train)
    own = weight_decay if rule == "torch" else 0.0
    opt = {"sgd": lambda: torch.optim.SGD([w], lr=lr, weight_decay=own),
           "adam": lambda: torch.optim.Adam([w], lr=lr, weight_decay=own),
           "adamw": lambda: torch.optim.AdamW([w], lr=lr, weight_decay=own)}[optimizer]()
    for _ in range(steps):
        loss = F.cross_entropy(X @ w, y)
        if rule == "l2":
            loss = loss + weight_decay / 2 * w.pow(2).sum()
        opt.zero_grad()
        loss.backward()
        if rule == "decoupled":
            with torch.no_grad():
                w.mul_(1 - lr * weight_decay)
        opt.step()
    return w.detach()


def l2_vs_decoupled(split: OverfitSplit, lr: float = 0.05, weight_decay: float = 0.1,
                    steps: int = 50) -> dict[str, float]:
    """Largest weight difference between L2 and decoupled decay under SGD and Adam, and against torch (Q6)."""
    def gap(a: torch.Tensor, b: torch.Tensor) -> float:
        return float((a - b).abs().max())

    with torch_threads():
        run = {(o, r): train_linear(split, o, r, lr, weight_decay, steps)
               for o, r in [("sgd", "l2"), ("sgd", "decoupled"), ("adam", "l2"), ("adam", "decoupled"),
                            ("adam", "torch"), ("adamw", "torch")]}
    return {"sgd: l2 vs decoupled": gap(run["sgd", "l2"], run["sgd", "decoupled"]),
            "adam: l2 vs decoupled": gap(run["adam", "l2"], run["adam", "decoupled"]),
            "adam l2 vs torch Adam(weight_decay)": gap(run["adam", "l2"], run["adam", "torch"]),
            "adam decoupled vs torch AdamW": gap(run["adam", "decoupled"], run["adamw", "torch"]),
            "adam: size of the weights": float(run["adam", "l2"].abs().max())}
