"""Exercise 30-B: confidence beyond one softmax for active learning, Monte Carlo dropout and an ensemble (Q30).

Uses torch (the dropout MLP from `nets`). Every strategy trains the same MLP on the labels it has chosen so far;
they differ only in how they score the pool. Two choices are crossed: the source of the probabilities (one
softmax; 20 dropout masks, Monte Carlo dropout as approximate Bayesian inference, Gal & Ghahramani 2016; or
5 independently initialised networks, Lakshminarayanan et al. 2017) and the scoring rule (predictive entropy,
the entropy of the mean prediction, or BALD, the mutual information between the prediction and the model,
which is high only where the members disagree; Houlsby et al. 2011, Gal et al. 2017).
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from tqdm.auto import tqdm

from mlqa.limited.data import TechniqueResult, digits_split
from mlqa.limited.nets import accuracy, mlp_classifier, predict_proba, train_classifier
from mlqa.utils import torch_threads

QUERY_STRATEGIES = ("random", "softmax entropy", "MC dropout, entropy", "MC dropout, BALD", "ensemble, entropy",
                    "ensemble, BALD")


def entropy(proba: np.ndarray) -> np.ndarray:
    """Entropy of each row of class probabilities (Q30)."""
    return -(proba * np.log(np.clip(proba, 1e-12, None))).sum(axis=-1)


def mutual_information(member_proba: np.ndarray) -> np.ndarray:
    """BALD score from probabilities of shape (members, n, classes): entropy of the mean minus mean entropy (Q30)."""
    return entropy(member_proba.mean(axis=0)) - entropy(member_proba).mean(axis=0)


def mc_dropout_proba(model: nn.Module, X: np.ndarray, passes: int = 20, seed: int = 0) -> np.ndarray:
    """Class probabilities from `passes` forward passes with dropout left on, shape (passes, n, classes) (Q30)."""
    torch.manual_seed(seed)
    model.train()
    stacked = np.stack([predict_proba(model, X) for _ in range(passes)])
    model.eval()
    return stacked


def fit_mlp(X: np.ndarray, y: np.ndarray, seed: int) -> nn.Sequential:
    """The learner every strategy uses: the dropout MLP trained on the labels chosen so far (Q30)."""
    return train_classifier(mlp_classifier(10, dropout=0.3, seed=seed), X, y, epochs=100, lr=3e-3, seed=seed)


def fit_ensemble(X: np.ndarray, y: np.ndarray, seeds: Sequence[int], epochs: int = 100, lr: float = 3e-3,
                 weight_decay: float = 1e-4) -> Callable[[np.ndarray], np.ndarray]:
    """Train one `fit_mlp` network per seed at once (stacked weights, summed losses); returns their proba (Q30).

    The members share nothing: each loss term touches only its own weights and Adam works elementwise, so this
    is training them one by one (up to which dropout masks are drawn), only faster.
    """
    members = [mlp_classifier(10, dropout=0.3, seed=seed) for seed in seeds]
    first = [torch.stack([m[0][0].weight.T.detach() for m in members]),
             torch.stack([m[0][0].bias.detach()[None] for m in members])]
    second = [torch.stack([m[1].weight.T.detach() for m in members]),
              torch.stack([m[1].bias.detach()[None] for m in members])]
    weights = [w.clone().requires_grad_() for w in (*first, *second)]

    def forward(inputs: torch.Tensor, train: bool) -> torch.Tensor:
        hidden = F.dropout(torch.relu(inputs @ weights[0] + weights[1]), 0.3, training=train)
        return hidden @ weights[2] + weights[3]

    torch.manual_seed(seeds[0])
    inputs, targets = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y, dtype=torch.long)
    optimizer = torch.optim.Adam(weights, lr=lr, weight_decay=weight_decay)
    for _ in range(epochs):
        logits = forward(inputs, train=True)
        loss = F.cross_entropy(logits.reshape(-1, 10), targets.repeat(len(seeds)), reduction="sum") / len(y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    @torch.no_grad()
    def member_proba(X_new: np.ndarray) -> np.ndarray:
        return F.softmax(forward(torch.as_tensor(X_new, dtype=torch.float32), train=False), dim=-1).numpy()

    return member_proba


def pool_scores(strategy: str, model: nn.Module, X_known: np.ndarray, y_known: np.ndarray, X_pool: np.ndarray,
                seed: int, ensemble_size: int = 5) -> np.ndarray:
    """How much `strategy` ("source, rule" or "softmax entropy") wants each pool sample labeled; higher first (Q30)."""
    if strategy not in QUERY_STRATEGIES[1:]:
        raise ValueError(f"unknown strategy {strategy!r}; known strategies: {', '.join(QUERY_STRATEGIES)}")
    if strategy == "softmax entropy":
        return entropy(predict_proba(model, X_pool))
    source, rule = strategy.split(", ")
    if source == "MC dropout":
        member_proba = mc_dropout_proba(model, X_pool, seed=seed)
    else:
        others = fit_ensemble(X_known, y_known, [1000 * (m + 1) + seed for m in range(ensemble_size - 1)])
        member_proba = np.concatenate([predict_proba(model.eval(), X_pool)[None], others(X_pool)])
    return entropy(member_proba.mean(axis=0)) if rule == "entropy" else mutual_information(member_proba)


def query_curve(strategy: str, seed: int = 0, batch_size: int = 10, budget: int = 60) -> tuple[list[int], list[float]]:
    """Label counts and test accuracies of the MLP as `strategy` picks `batch_size` labels per round (Q30)."""
    if strategy not in QUERY_STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; known strategies: {', '.join(QUERY_STRATEGIES)}")
    split = digits_split(1, seed)
    rng = np.random.default_rng(seed)
    X_known, y_known, X_pool, y_pool = split.X_labeled, split.y_labeled, split.X_pool, split.y_pool
    counts, accuracies = [], []
    with torch_threads():
        while True:
            model = fit_mlp(X_known, y_known, seed)
            counts.append(len(y_known))
            accuracies.append(accuracy(model, split.X_test, split.y_test))
            if len(y_known) >= budget:
                return counts, accuracies
            n_ask = min(batch_size, budget - len(y_known))
            if strategy == "random":
                asked = rng.choice(len(y_pool), size=n_ask, replace=False)
            else:
                scores = pool_scores(strategy, model, X_known, y_known, X_pool, seed)
                asked = np.argsort(-scores, kind="stable")[:n_ask]
            X_known, y_known = np.concatenate([X_known, X_pool[asked]]), np.concatenate([y_known, y_pool[asked]])
            X_pool, y_pool = np.delete(X_pool, asked, axis=0), np.delete(y_pool, asked)


def query_strategy_curves(seeds: Sequence[int] = (0, 1, 2), batch_size: int = 10, budget: int = 60,
                          progress: bool = False) -> tuple[list[int], dict[str, np.ndarray]]:
    """Accuracy curves of the MLP per query strategy, shape (len(seeds), rounds) (Q30)."""
    curves: dict[str, list[list[float]]] = {s: [] for s in QUERY_STRATEGIES}
    counts: list[int] = []
    for seed in tqdm(seeds, desc="30-B query strategies", disable=not progress):
        for strategy in QUERY_STRATEGIES:
            counts, accuracies = query_curve(strategy, seed, batch_size, budget)
            curves[strategy].append(accuracies)
    return counts, {s: np.array(c) for s, c in curves.items()}


def run(labels_per_class: int = 6, seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> TechniqueResult:
    """Exercise 30-B: random queries against MC-dropout BALD at a budget of 10 x `labels_per_class` (Q30).

    As in `active_learning.run`, `labels_per_class` sets the total budget; every run starts from 1 label per class.
    """
    digits_split(labels_per_class, seeds[0])  # the same error as every technique for too many labels
    counts, curves = query_strategy_curves(seeds, budget=10 * labels_per_class, progress=progress)
    final = {s: float(c[:, -1].mean()) for s, c in curves.items()}
    return TechniqueResult("exercise-30b", f"random, {counts[-1]} labels", f"MC dropout BALD, {counts[-1]} labels",
                           curves["random"][:, -1].tolist(), curves["MC dropout, BALD"][:, -1].tolist(), list(seeds),
                           labels_per_class, {"label_counts": counts, "final_accuracy_by_strategy": final,
                                              "curves": {name: c.tolist() for name, c in curves.items()}})
