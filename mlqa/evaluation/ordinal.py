"""Ordinal regression: CORAL (Cao et al. 2020) and CORN (Shi et al. 2021) against classifiers and regression (Q24)."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from scipy import stats
from torch import nn

from mlqa.evaluation.data import ORDINAL_THRESHOLDS, ordinal_labels, poisson_counts
from mlqa.evaluation.poisson import PoissonRegressor
from mlqa.utils import torch_threads

ORDINAL_METHODS = ("coral", "corn", "binary", "multiclass", "regression")


def levels_from_labels(y: torch.Tensor, num_classes: int) -> torch.Tensor:
    """Extended binary targets: row i, column k is 1 when label y_i > k (K - 1 columns) (Q24)."""
    if y.numel() and (int(y.min()) < 0 or int(y.max()) >= num_classes):
        raise ValueError(f"labels must lie in 0..{num_classes - 1}; got {int(y.min())}..{int(y.max())}")
    return (y[:, None] > torch.arange(num_classes - 1, device=y.device)).float()


def coral_loss(logits: torch.Tensor, levels: torch.Tensor) -> torch.Tensor:
    """CORAL loss: binary cross-entropy of every rank task, summed over tasks, averaged over samples (Q24)."""
    if logits.shape != levels.shape:
        raise ValueError(f"logits {tuple(logits.shape)} and levels {tuple(levels.shape)} must have one shape")
    return F.binary_cross_entropy_with_logits(logits, levels, reduction="none").sum(dim=1).mean()


def corn_loss(logits: torch.Tensor, y: torch.Tensor, num_classes: int) -> torch.Tensor:
    """CORN loss: task k is 'y > k' trained only on samples with y >= k; mean over all used pairs (Q24)."""
    if logits.shape != (y.shape[0], num_classes - 1):
        raise ValueError(f"logits must be ({y.shape[0]}, {num_classes - 1}); got {tuple(logits.shape)}")
    tasks = torch.arange(num_classes - 1, device=y.device)
    in_task = y[:, None] >= tasks  # the conditional training set of each task
    targets = (y[:, None] > tasks).float()
    losses = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    return (losses * in_task).sum() / in_task.sum()


class CoralLinear(nn.Module):
    """One weight vector shared by all K - 1 rank tasks plus one bias per task: CORAL's output layer (Q24)."""

    def __init__(self, in_features: int, num_classes: int):
        super().__init__()
        self.weight = nn.Linear(in_features, 1, bias=False)
        self.biases = nn.Parameter(torch.zeros(num_classes - 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits of P(y > k) for k = 0..K-2 (Q24)."""
        return self.weight(x) + self.biases


def rank_probabilities(logits: torch.Tensor, method: str) -> torch.Tensor:
    """P(y > k) for each k: sigmoids for CORAL and binary tasks, cumulative products of CORN's conditionals (Q24)."""
    probabilities = torch.sigmoid(logits)
    return torch.cumprod(probabilities, dim=1) if method == "corn" else probabilities


def is_rank_consistent(rank_probs: np.ndarray) -> np.ndarray:
    """True per sample when P(y > k) never increases with k, the ordering ordinal probabilities must obey (Q24)."""
    return np.all(np.diff(np.asarray(rank_probs), axis=1) <= 0, axis=1)


class OrdinalModel:
    """A linear model trained with one of ORDINAL_METHODS' losses, predicting integer labels (Q24)."""

    def __init__(self, method: str, num_classes: int, epochs: int = 300, lr: float = 0.05, seed: int = 0,
                 device: torch.device | str = "cpu"):
        if method not in ORDINAL_METHODS:
            raise ValueError(f"method must be one of {ORDINAL_METHODS}; got {method!r}")
        if num_classes < 2:
            raise ValueError(f"need at least 2 classes; got {num_classes}")
        self.method, self.num_classes, self.epochs, self.lr, self.seed = method, num_classes, epochs, lr, seed
        self.device = torch.device(device)

    def _network(self, in_features: int) -> nn.Module:
        outputs = {"multiclass": self.num_classes, "regression": 1}.get(self.method, self.num_classes - 1)
        if self.method == "coral":
            return CoralLinear(in_features, self.num_classes)
        return nn.Linear(in_features, outputs)

    def _loss(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        if self.method in ("coral", "binary"):
            return coral_loss(out, levels_from_labels(y, self.num_classes))
        if self.method == "corn":
            return corn_loss(out, y, self.num_classes)
        if self.method == "multiclass":
            return F.cross_entropy(out, y)
        return F.mse_loss(out[:, 0], y.float())

    def fit(self, X: np.ndarray, y: np.ndarray) -> OrdinalModel:
        """Full-batch Adam for `epochs` steps from a seeded initialisation (Q24)."""
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels")
        torch.manual_seed(self.seed)
        with torch_threads(1):  # a tiny full-batch model: extra threads only add contention
            self._train(torch.as_tensor(X, dtype=torch.float32, device=self.device),
                        torch.as_tensor(y, dtype=torch.int64, device=self.device))
        return self

    def _train(self, X_t: torch.Tensor, y_t: torch.Tensor) -> None:
        self.network_ = self._network(X_t.shape[1]).to(self.device)
        optimizer = torch.optim.Adam(self.network_.parameters(), lr=self.lr)
        for _ in range(self.epochs):
            optimizer.zero_grad()
            loss = self._loss(self.network_(X_t), y_t)
            loss.backward()
            optimizer.step()

    @torch.no_grad()
    def outputs(self, X: np.ndarray) -> torch.Tensor:
        """The network's raw outputs (logits or the regression value) (Q24)."""
        return self.network_(torch.as_tensor(X, dtype=torch.float32, device=self.device)).cpu()

    def predict_rank_probabilities(self, X: np.ndarray) -> np.ndarray:
        """P(y > k) per sample and k for the rank-task methods (coral, corn, binary) (Q24)."""
        if self.method not in ("coral", "corn", "binary"):
            raise ValueError(f"rank probabilities need coral, corn or binary; this model is {self.method!r}")
        return rank_probabilities(self.outputs(X), self.method).numpy()

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Integer labels: count of P(y > k) > 0.5, argmax, or the rounded and clipped regression (Q24)."""
        out = self.outputs(X)
        if self.method == "multiclass":
            return out.argmax(dim=1).numpy()
        if self.method == "regression":
            return out[:, 0].round().clamp(0, self.num_classes - 1).long().numpy()
        return (rank_probabilities(out, self.method) > 0.5).sum(dim=1).numpy()


def compare_ordinal_methods(
    seeds: tuple[int, ...] = (0, 1, 2), n_train: int = 300, n_test: int = 2000, device: torch.device | str = "cpu"
) -> dict[str, np.ndarray]:
    """Test mean absolute error of every method on `ordinal_labels` data, one entry per data seed (Q24).

    Every method gets the same linear model size class, optimiser, learning rate and number of steps.
    """
    errors: dict[str, list[float]] = {method: [] for method in ORDINAL_METHODS}
    for seed in seeds:
        X, y = ordinal_labels(n_train + n_test, seed=seed)
        num_classes = len(ORDINAL_THRESHOLDS) + 1
        for method in ORDINAL_METHODS:
            model = OrdinalModel(method, num_classes, seed=seed, device=device).fit(X[:n_train], y[:n_train])
            errors[method].append(float(np.abs(model.predict(X[n_train:]) - y[n_train:]).mean()))
    return {method: np.array(values) for method, values in errors.items()}


def count_models_mae(
    seeds: tuple[int, ...] = (0, 1, 2), n_train: int = 300, n_test: int = 2000, device: torch.device | str = "cpu"
) -> dict[str, np.ndarray]:
    """Counts modelled four ways (Poisson, CORAL on count classes, multiclass, least squares): test MAE per seed (Q24).

    Each model predicts its best point for absolute error: the Poisson median, CORAL's rank label, the most
    probable class, the rounded regression.
    """
    errors: dict[str, list[float]] = {"poisson": [], "coral": [], "multiclass": [], "regression": []}
    for seed in seeds:
        X, y = poisson_counts(n_train + n_test, seed=seed)
        X_train, y_train, X_test, y_test = X[:n_train], y[:n_train], X[n_train:], y[n_train:]
        poisson_mean = PoissonRegressor(alpha=0.0).fit(X_train, y_train).predict(X_test)
        errors["poisson"].append(float(np.abs(stats.poisson.median(poisson_mean) - y_test).mean()))
        num_classes = int(y_train.max()) + 1  # counts above the largest training count cannot be predicted
        for method in ("coral", "multiclass", "regression"):
            model = OrdinalModel(method, num_classes, seed=seed, device=device)
            model.fit(X_train.astype(np.float32), y_train.astype(np.int64))
            errors[method].append(float(np.abs(model.predict(X_test.astype(np.float32)) - y_test).mean()))
    return {method: np.array(values) for method, values in errors.items()}
