"""RLHF's first half at toy scale: a reward model learned from preference pairs, then used to rank texts (Q18).

Hidden "annotators" prefer the more positive of two tweets, with noise: they pick tweet a over b with
probability sigmoid(beta (u_a - u_b)), u = 1 for a positive and 0 for a negative tweet (Bradley & Terry 1952),
so two tweets of the same sentiment are a coin flip. The reward model never sees a label, only which of two
tweets won: r(x) = w . embedding(x), trained on -log sigmoid(r(chosen) - r(rejected)) plus an L2 penalty.
"""

import random

import torch
import torch.nn.functional as F
from torch import Tensor


def preference_pairs(labels: list[int], num_pairs: int, beta: float = 2.0, seed: int = 0) -> tuple[Tensor, Tensor]:
    """(chosen, rejected) indices of random pairs judged by the noisy annotators described above (Q18)."""
    if num_pairs < 1 or len(labels) < 2 or beta < 0:
        raise ValueError(f"need num_pairs >= 1, two or more labels and beta >= 0; got {num_pairs}, "
                         f"{len(labels)}, {beta}")
    rng = random.Random(seed)
    chosen, rejected = [], []
    for _ in range(num_pairs):
        a, b = rng.sample(range(len(labels)), 2)
        prefers_a = rng.random() < 1 / (1 + torch.exp(torch.tensor(-beta * (labels[a] - labels[b]))).item())
        chosen.append(a if prefers_a else b)
        rejected.append(b if prefers_a else a)
    return torch.tensor(chosen), torch.tensor(rejected)


def shuffled_preferences(chosen: Tensor, rejected: Tensor, seed: int = 0) -> tuple[Tensor, Tensor]:
    """The same pairs with each winner picked by a coin flip: preferences that carry no information (Q18)."""
    if chosen.shape != rejected.shape:
        raise ValueError(f"chosen {tuple(chosen.shape)} and rejected {tuple(rejected.shape)} differ")
    swap = torch.rand(len(chosen), generator=torch.Generator().manual_seed(seed)) < 0.5
    return torch.where(swap, rejected, chosen), torch.where(swap, chosen, rejected)


def bradley_terry_loss(weights: Tensor, chosen: Tensor, rejected: Tensor) -> Tensor:
    """Sum over pairs of -log sigmoid(r(chosen) - r(rejected)) for the linear reward r(x) = w . x (Q18)."""
    return F.softplus(-(chosen - rejected) @ weights).sum()


def fit_reward_model(features: Tensor, chosen: Tensor, rejected: Tensor, C: float = 1.0) -> Tensor:
    """Reward weights w minimising C x Bradley-Terry loss + |w|^2 / 2, by L-BFGS in float64 (Q18)."""
    if C <= 0 or len(chosen) != len(rejected) or len(chosen) == 0:
        raise ValueError(f"need C > 0 and equal, non-empty pair lists; got C={C}, {len(chosen)}, {len(rejected)}")
    x = features.double()
    a, b = x[chosen], x[rejected]
    weights = torch.zeros(x.size(1), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([weights], max_iter=500, tolerance_grad=1e-10, tolerance_change=1e-12,
                                  line_search_fn="strong_wolfe")

    def closure() -> Tensor:
        optimizer.zero_grad()
        loss = C * bradley_terry_loss(weights, a, b) + weights.square().sum() / 2
        loss.backward()
        return loss

    optimizer.step(closure)
    return weights.detach().float()


def pairwise_accuracy(rewards: Tensor, labels: list[int]) -> float:
    """Fraction of (positive, negative) pairs the reward orders the annotators' way: the ROC AUC (Q18)."""
    y = torch.tensor(labels)
    positive, negative = rewards[y == 1], rewards[y == 0]
    if len(positive) == 0 or len(negative) == 0:
        raise ValueError(f"need both classes; got {len(positive)} positive and {len(negative)} negative")
    return float((positive[:, None] > negative[None, :]).float().mean())


def best_of_n(rewards: Tensor, labels: list[int], n: int, trials: int = 2000, seed: int = 0) -> float:
    """Share of positive texts among the highest-reward pick of `n` random candidates, over `trials` draws (Q18).

    Best-of-n sampling is the simplest way to use a reward model at generation time: sample n, keep the best.
    """
    if not 1 <= n <= len(rewards) or len(rewards) != len(labels):
        raise ValueError(f"need 1 <= n <= {len(rewards)} and one label per reward ({len(labels)} for "
                         f"{len(rewards)}); got n={n}")
    generator = torch.Generator().manual_seed(seed)
    candidates = torch.stack([torch.randperm(len(rewards), generator=generator)[:n] for _ in range(trials)])
    picked = candidates[torch.arange(trials), rewards[candidates].argmax(1)]
    return float(torch.tensor(labels)[picked].float().mean())
