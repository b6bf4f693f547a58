"""Iterative magnitude pruning with rewinding: winning tickets against their controls, many MLPs at once (Q4).

Frankle & Carbin (2019): train a dense network, remove the smallest surviving weights of each layer, rewind the
survivors to their *initial* values and train again; repeat. The subnetwork found this way (the "winning ticket")
is compared with two controls that get the same data, steps and learning rate, the same mask with a fresh random
initialisation and a random mask of the same per-layer size with the original initialisation, and with one variant
(Frankle et al., 2020): rewinding to the weights of an early training step instead of step 0, with its own pruning
chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from tqdm.auto import tqdm

from mlqa.regularization.training import StackedMLP, stacked_accuracy
from mlqa.utils import get_device, torch_threads

TICKET_ARMS = ("winning ticket", "late rewinding", "random reinitialisation", "random pruning")


@dataclass(frozen=True)
class LotterySetup:
    """The experiment's data, network and training budget, the same for every arm (Q4).

    `prune_rate` of the surviving weights of each hidden layer go per round, half that rate in the output layer
    (as Frankle & Carbin did for fully connected networks); `rewind_step` is where late rewinding restarts.
    """

    n_train: int = 1000
    hidden: int = 64
    depth: int = 2
    steps: int = 200
    batch: int = 100
    lr: float = 5e-3
    prune_rate: float = 0.55
    rounds: int = 5
    rewind_step: int = 10

    def __post_init__(self) -> None:
        if not 0.0 < self.prune_rate < 1.0 or self.rounds < 1 or not 0 < self.rewind_step < self.steps:
            raise ValueError(f"need 0 < prune_rate < 1, rounds >= 1 and 0 < rewind_step < steps; got "
                             f"prune_rate={self.prune_rate}, rounds={self.rounds}, rewind_step={self.rewind_step}, "
                             f"steps={self.steps}")
        if not 10 <= self.n_train <= 1697:
            raise ValueError(f"n_train must leave at least 100 of the 1797 digits for testing, got {self.n_train}")

    def layer_rates(self) -> list[float]:
        """Fraction of each layer's surviving weights removed per round (Q4)."""
        return [self.prune_rate] * self.depth + [self.prune_rate / 2]


def lottery_split(setup: LotterySetup = LotterySetup()) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """scikit-learn's bundled 8x8 digits scaled to [0, 1]: `n_train` stratified training images, the rest test (Q4)."""
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split((X / 16.0).astype(np.float32), y, train_size=setup.n_train,
                                                        stratify=y, random_state=0)
    return X_train, y_train, X_test, y_test


def iterative_l1_mask(weight: torch.Tensor, mask: torch.Tensor, amount: float) -> torch.Tensor:
    """Remove round(amount * survivors) of the surviving entries with the smallest |w| (Q4).

    The same rule as applying `torch.nn.utils.prune.l1_unstructured` again to an already pruned tensor.
    """
    if weight.shape != mask.shape or not 0.0 <= amount <= 1.0:
        raise ValueError(f"need a mask of the weight's shape {tuple(weight.shape)} and amount in [0, 1]; "
                         f"got {tuple(mask.shape)} and {amount}")
    alive = mask.flatten().nonzero().squeeze(1)
    n_prune = round(amount * len(alive))
    out = mask.clone()
    if n_prune > 0:
        smallest = torch.argsort(weight.detach().flatten()[alive].abs(), stable=True)[:n_prune]
        out.view(-1)[alive[smallest]] = 0.0
    return out


def random_unstructured_mask(shape: Sequence[int], n_prune: int, generator: torch.Generator) -> torch.Tensor:
    """A 0/1 mask with `n_prune` zeros at random places, drawn as `prune.random_unstructured` draws them (Q4)."""
    numel = int(np.prod(shape))
    if not 0 <= n_prune <= numel:
        raise ValueError(f"n_prune must lie in [0, {numel}] for shape {tuple(shape)}, got {n_prune}")
    mask = torch.ones(tuple(shape))
    if n_prune > 0:
        scores = torch.rand(tuple(shape), generator=generator)
        mask.view(-1)[torch.topk(scores.view(-1), k=n_prune).indices] = 0.0
    return mask


def batch_orders(order_seeds: Sequence[int], n_samples: int, steps: int, batch: int) -> torch.Tensor:
    """Mini-batch indices of shape (steps, models, batch): each seed walks through shuffled epochs (Q4)."""
    if batch > n_samples or steps < 1 or not order_seeds:
        raise ValueError(f"need 1 <= batch <= {n_samples} samples, steps >= 1 and a seed per model; got "
                         f"batch={batch}, steps={steps}, {len(order_seeds)} seeds")
    per_epoch = n_samples // batch
    epochs = -(-steps // per_epoch)
    orders = {}
    for seed in dict.fromkeys(order_seeds):
        generator = torch.Generator().manual_seed(int(seed))
        epoch_batches = [torch.randperm(n_samples, generator=generator)[:per_epoch * batch].view(per_epoch, batch)
                         for _ in range(epochs)]
        orders[seed] = torch.cat(epoch_batches)[:steps]
    return torch.stack([orders[seed] for seed in order_seeds], dim=1)


def train_masked(model: StackedMLP, masks: Sequence[torch.Tensor], X: torch.Tensor, y: torch.Tensor,
                 orders: torch.Tensor, lr: float, snapshot_step: int | None = None) -> list[torch.Tensor] | None:
    """Adam on mini-batches with every weight matrix kept masked; the weights and biases at `snapshot_step` (Q4).

    X (samples, features) is shared; `orders` (steps, models, batch) from `batch_orders` gives each model its
    batches. Pruned weights are zero from the first step on and set back to zero after every update.
    """
    if orders.shape[1] != model.n_models or len(masks) != len(model.weights) or lr <= 0:
        raise ValueError(f"need batch orders for {model.n_models} models (got {orders.shape[1]}), one mask per "
                         f"weight matrix ({len(model.weights)}, got {len(masks)}) and lr > 0 (got {lr})")
    with torch.no_grad():
        for weight, mask in zip(model.weights, masks):
            weight.mul_(mask)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    orders = orders.to(X.device)
    snapshot = None
    model.train()
    for step, index in enumerate(orders):
        if step == snapshot_step:
            snapshot = [p.detach().clone() for p in (*model.weights, *model.biases)]
        logits = model(X[index])
        loss = F.cross_entropy(logits.transpose(1, 2), y[index], reduction="none").mean(1).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            for weight, mask in zip(model.weights, masks):
                weight.mul_(mask)
    model.eval()
    return snapshot


def sparsity(masks: Sequence[torch.Tensor]) -> float:
    """Fraction of weights pruned over all layers of one model, masks of shape (in, out) (Q4)."""
    total = sum(m.numel() for m in masks)
    if total == 0:
        raise ValueError("need at least one non-empty mask")
    return 1.0 - sum(float(m.sum()) for m in masks) / total


def sparsity_schedule(setup: LotterySetup = LotterySetup(), n_inputs: int = 64, n_classes: int = 10) -> np.ndarray:
    """The overall sparsity after each pruning round, counted without training (round 0: dense) (Q4)."""
    widths = [n_inputs] + [setup.hidden] * setup.depth + [n_classes]
    kept = [a * b for a, b in zip(widths[:-1], widths[1:])]
    out = [0.0]
    for _ in range(setup.rounds):
        kept = [k - round(rate * k) for k, rate in zip(kept, setup.layer_rates())]
        out.append(1.0 - sum(kept) / dense_weight_count(setup.hidden, setup.depth, n_inputs, n_classes))
    return np.array(out)


@dataclass
class LotteryResult:
    """Test accuracy per round, arm and seed, the masks and the trained winning tickets (Q4).

    `accuracy[arm]` has shape (rounds + 1, seeds); round 0 is the dense network (there the ticket, late
    rewinding and random pruning are the same network). `masks[arm][r]` holds each layer's masks (seeds, in, out)
    used in round r; `tickets[r]` is the trained winning ticket of round r (round 0: the trained dense network).
    `barrier[arm]` (rounds + 1, seeds): the test error barrier between two copies of the subnetwork trained from
    the same rewind point with different batch orders (NaN in round 0).
    """

    setup: LotterySetup
    seeds: tuple[int, ...]
    sparsity: np.ndarray
    accuracy: dict[str, np.ndarray]
    barrier: dict[str, np.ndarray]
    masks: dict[str, list[list[torch.Tensor]]] = field(repr=False)
    tickets: list[StackedMLP] = field(repr=False)

    def mean(self, arm: str) -> np.ndarray:
        """Mean test accuracy over seeds per round (Q4)."""
        return self.accuracy[arm].mean(1)

    def std(self, arm: str) -> np.ndarray:
        """Standard deviation of the test accuracy over seeds per round (Q4)."""
        return self.accuracy[arm].std(1)


def _stacked(parts: Sequence[Sequence[torch.Tensor]]) -> list[torch.Tensor]:
    return [torch.cat(layer) for layer in zip(*parts)]


def _rows(model: StackedMLP, rows: slice) -> StackedMLP:
    """A StackedMLP holding copies of the given models of a stack."""
    out = StackedMLP(list(range(rows.stop - rows.start)), model.weights[0].shape[2], len(model.weights) - 1,
                     n_inputs=model.weights[0].shape[1], n_classes=model.weights[-1].shape[2])
    with torch.no_grad():
        for mine, theirs in zip(out.parameters(), model.parameters()):
            mine.copy_(theirs[rows])
    return out.to(model.weights[0].device).eval()


def interpolation_accuracy(a: StackedMLP, b: StackedMLP, X: torch.Tensor, y: torch.Tensor,
                           alphas: Sequence[float]) -> np.ndarray:
    """Accuracy along the straight line (1 - alpha) * a + alpha * b, shape (alphas, models) (Q4)."""
    if a.n_models != b.n_models or [p.shape for p in a.parameters()] != [p.shape for p in b.parameters()]:
        raise ValueError(f"need two stacks of the same shape, got {a.n_models} and {b.n_models} models")
    mixed = _rows(a, slice(0, a.n_models))
    out = []
    for alpha in alphas:
        with torch.no_grad():
            for p, pa, pb in zip(mixed.parameters(), a.parameters(), b.parameters()):
                p.copy_((1 - alpha) * pa + alpha * pb)
        out.append(stacked_accuracy(mixed, X.expand(a.n_models, -1, -1), y.expand(a.n_models, -1)))
    return np.array(out)


def error_barrier(a: StackedMLP, b: StackedMLP, X: torch.Tensor, y: torch.Tensor, n_alphas: int = 11) -> np.ndarray:
    """Largest test error along the line from a to b minus the mean error of its ends, per model (Q4)."""
    if n_alphas < 3:
        raise ValueError(f"need at least 3 points on the line, got {n_alphas}")
    error = 1.0 - interpolation_accuracy(a, b, X, y, np.linspace(0.0, 1.0, n_alphas))
    return error.max(0) - (error[0] + error[-1]) / 2


def lottery_experiment(seeds: Sequence[int] = (0, 1, 2), setup: LotterySetup = LotterySetup(),
                       device: torch.device | None = None, progress: bool = False) -> LotteryResult:
    """Iterative magnitude pruning with rewinding, its two controls and late rewinding, all in one stack (Q4)."""
    if len(seeds) < 2 or len(set(seeds)) != len(seeds):
        raise ValueError(f"need at least two distinct seeds for a spread, got {list(seeds)}")
    device = device or get_device()
    X_train, y_train, X_test, y_test = (torch.as_tensor(a, device=device) for a in lottery_split(setup))
    n, seeds = len(seeds), tuple(int(s) for s in seeds)
    fresh = [s + 1000 for s in seeds]  # the fresh initialisations of random reinitialisation
    copies = [s + 500 for s in seeds]  # batch orders of the second copies (error barrier)
    network = {"hidden": setup.hidden, "depth": setup.depth, "n_inputs": X_train.shape[1]}
    dense = [torch.ones(n, *w.shape[1:], device=device) for w in StackedMLP(seeds[:1], **network).weights]
    masks: dict[str, list[list[torch.Tensor]]] = {arm: [dense] for arm in TICKET_ARMS}
    accuracy = {arm: np.zeros((setup.rounds + 1, n)) for arm in TICKET_ARMS}
    barrier = {arm: np.full((setup.rounds + 1, n), np.nan) for arm in TICKET_ARMS[:2]}
    tickets, late_start = [], None
    # Random masks must not reuse a seed of StackedMLP's initialisation: the same uniform draws would prune exactly
    # the largest (all the positive) initial weights.
    generator = torch.Generator().manual_seed(int(np.random.SeedSequence([*seeds, 4]).generate_state(1)[0]))
    with torch_threads():
        for r in tqdm(range(setup.rounds + 1), desc="pruning rounds", disable=not progress):
            if r == 0:  # the dense network (snapshotted for late rewinding) and a dense fresh initialisation
                init, order = list(seeds) + fresh, list(seeds) * 2
                model = StackedMLP(init, **network).to(device)
                stack_masks = [torch.cat([m, m]) for m in dense]
            else:  # ticket, late rewinding, reinitialisation, random pruning, then the copies of the first two
                init = list(seeds) * 2 + fresh + list(seeds) * 3
                order = list(seeds) * 4 + copies * 2
                model = StackedMLP(init, **network).to(device)
                with torch.no_grad():
                    for p, start in zip((*model.weights, *model.biases), late_start):
                        p[n:2 * n] = start
                        p[5 * n:6 * n] = start
                arm_masks = [masks[arm][r] for arm in TICKET_ARMS]
                stack_masks = _stacked([*arm_masks, arm_masks[0], arm_masks[1]])
            orders = batch_orders(order, len(y_train), setup.steps, setup.batch)
            snapshot = train_masked(model, stack_masks, X_train, y_train, orders, setup.lr,
                                    setup.rewind_step if r == 0 else None)
            acc = stacked_accuracy(model, X_test.expand(model.n_models, -1, -1), y_test.expand(model.n_models, -1))
            tickets.append(_rows(model, slice(0, n)))
            if r == 0:
                late_start = [p[:n] for p in snapshot]
                for arm in TICKET_ARMS:
                    accuracy[arm][0] = acc[n:] if arm == "random reinitialisation" else acc[:n]
            else:
                for i, arm in enumerate(TICKET_ARMS):
                    accuracy[arm][r] = acc[i * n:(i + 1) * n]
                for i, arm in enumerate(TICKET_ARMS[:2]):
                    barrier[arm][r] = error_barrier(_rows(model, slice(i * n, (i + 1) * n)),
                                                    _rows(model, slice((4 + i) * n, (5 + i) * n)), X_test, y_test)
            if r == setup.rounds:
                break
            rows = {"winning ticket": slice(0, n), "late rewinding": slice(0, n) if r == 0 else slice(n, 2 * n)}
            for arm in TICKET_ARMS[:2]:  # each rewinding chain prunes its own trained weights
                masks[arm].append([torch.stack([iterative_l1_mask(w[rows[arm]][i], m[i], rate) for i in range(n)])
                                   for w, m, rate in zip(model.weights, masks[arm][r], setup.layer_rates())])
            masks["random reinitialisation"].append(masks["winning ticket"][r + 1])
            masks["random pruning"].append([
                torch.stack([random_unstructured_mask(m.shape[1:], int(m[i].numel() - m[i].sum()), generator)
                             for i in range(n)]).to(device) for m in masks["winning ticket"][r + 1]])
    sparsities = np.array([sparsity([m[0] for m in round_masks]) for round_masks in masks["winning ticket"]])
    return LotteryResult(setup, seeds, sparsities, accuracy, barrier, masks, tickets)


def dense_weight_count(width: int, depth: int = 2, n_inputs: int = 64, n_classes: int = 10) -> int:
    """Number of weights (biases not counted) of a dense MLP with `depth` hidden layers of `width` units (Q4)."""
    if width < 1 or depth < 1:
        raise ValueError(f"need width >= 1 and depth >= 1, got {width} and {depth}")
    widths = [n_inputs] + [width] * depth + [n_classes]
    return sum(a * b for a, b in zip(widths[:-1], widths[1:]))


def small_dense_accuracy(n_weights: int, seeds: Sequence[int] = (0, 1, 2), setup: LotterySetup = LotterySetup(),
                         steps: int | None = None, device: torch.device | None = None) -> tuple[int, np.ndarray]:
    """Train the widest dense MLP with at most `n_weights` weights from scratch: its width and test accuracies (Q4).

    Same data, depth, batch size and learning rate as the experiment; `steps` defaults to one round's budget.
    """
    if n_weights < dense_weight_count(1, setup.depth):
        raise ValueError(f"n_weights={n_weights} is below the smallest network's {dense_weight_count(1, setup.depth)}")
    device = device or get_device()
    X_train, y_train, X_test, y_test = (torch.as_tensor(a, device=device) for a in lottery_split(setup))
    width = max(w for w in range(1, setup.hidden + 1) if dense_weight_count(w, setup.depth) <= n_weights)
    with torch_threads():
        model = StackedMLP([s + 2000 for s in seeds], width, setup.depth, n_inputs=X_train.shape[1]).to(device)
        orders = batch_orders(list(seeds), len(y_train), steps or setup.steps, setup.batch)
        train_masked(model, [torch.ones_like(w) for w in model.weights], X_train, y_train, orders, setup.lr)
        n = model.n_models
        return width, stacked_accuracy(model, X_test.expand(n, -1, -1), y_test.expand(n, -1))
