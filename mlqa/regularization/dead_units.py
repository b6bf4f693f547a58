"""ReLU units that never activate: counting them, removing them, and what magnitude pruning does to them (Q4).

A hidden unit whose ReLU outputs zero for every training input passes no gradient to its incoming weights or bias
and contributes nothing to the output: it can be deleted (structured pruning) without changing any training
prediction. Its incoming weights stop moving while the live weights grow, so magnitude pruning removes them early.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch

from mlqa.regularization.lottery import LotteryResult
from mlqa.regularization.training import StackedMLP


@torch.no_grad()
def dead_units(model: StackedMLP, X: torch.Tensor) -> list[torch.Tensor]:
    """Per hidden layer, a boolean (models, units): True where the ReLU is zero for every row of X (Q4)."""
    if X.dim() != 2 or X.shape[1] != model.weights[0].shape[1]:
        raise ValueError(f"X must have shape (samples, {model.weights[0].shape[1]}), got {tuple(X.shape)}")
    hidden = X.expand(model.n_models, -1, -1)
    dead = []
    for weight, bias in zip(model.weights[:-1], model.biases[:-1]):
        hidden = torch.relu(torch.baddbmm(bias, hidden, weight))
        dead.append((hidden <= 0).all(dim=1))
    return dead


@torch.no_grad()
def remove_units(model: StackedMLP, remove: Sequence[torch.Tensor]) -> StackedMLP:
    """A copy whose chosen hidden units have zero incoming weights, bias and outgoing weights (deleted) (Q4)."""
    if len(remove) != len(model.weights) - 1 or any(r.shape != b.shape[::2] for r, b in zip(remove, model.biases)):
        raise ValueError(f"need one (models, units) mask per hidden layer: {len(model.weights) - 1} layers, shapes "
                         f"{[tuple(b.shape[::2]) for b in model.biases[:-1]]}; got {[tuple(r.shape) for r in remove]}")
    out = StackedMLP(list(range(model.n_models)), model.weights[0].shape[2], len(model.weights) - 1,
                     n_inputs=model.weights[0].shape[1], n_classes=model.weights[-1].shape[2])
    out = out.to(model.weights[0].device)
    out.load_state_dict(model.state_dict())
    for layer, gone in enumerate(remove):
        keep = (~gone).float()
        out.weights[layer].mul_(keep[:, None, :])
        out.biases[layer].mul_(keep[:, None, :])
        out.weights[layer + 1].mul_(keep[:, :, None])
    return out.eval()


def unit_weight_fraction(model: StackedMLP, remove: Sequence[torch.Tensor]) -> np.ndarray:
    """Per model, the fraction of all weights that deleting the chosen hidden units removes (Q4)."""
    if len(remove) != len(model.weights) - 1 or any(r.shape != b.shape[::2] for r, b in zip(remove, model.biases)):
        raise ValueError(f"need one (models, units) mask per hidden layer: {len(model.weights) - 1} layers, shapes "
                         f"{[tuple(b.shape[::2]) for b in model.biases[:-1]]}; got {[tuple(r.shape) for r in remove]}")
    total = sum(w[0].numel() for w in model.weights)
    removed = np.zeros(model.n_models)
    for layer, gone in enumerate(remove):
        fan_in, fan_out = model.weights[layer].shape[1], model.weights[layer + 1].shape[2]
        removed += gone.sum(1).cpu().numpy() * (fan_in + fan_out)
    # a weight between two removed units of adjacent layers is counted twice above
    for layer in range(len(remove) - 1):
        removed -= (remove[layer].float()[:, :, None] * remove[layer + 1].float()[:, None, :]).sum((1, 2)).cpu().numpy()
    return removed / total


def pruned_fraction_of_units(masks: Sequence[torch.Tensor], units: Sequence[torch.Tensor]) -> np.ndarray:
    """Per model and hidden layer, the fraction of the chosen units' incoming weights that `masks` zero (Q4).

    `masks` are the weight masks (models, in, out) of the next pruning round; NaN where a layer has no chosen unit.
    """
    if len(masks) < len(units) or any(m.shape[::2] != u.shape for m, u in zip(masks, units)):
        raise ValueError(f"need a (models, in, out) mask per hidden layer matching the units; got masks "
                         f"{[tuple(m.shape) for m in masks]} and units {[tuple(u.shape) for u in units]}")
    out = np.full((units[0].shape[0], len(units)), np.nan)
    for layer, chosen in enumerate(units):
        for model in range(chosen.shape[0]):
            if bool(chosen[model].any()):
                out[model, layer] = float((masks[layer][model][:, chosen[model]] == 0).float().mean())
    return out


@dataclass
class DeadUnitFate:
    """What the next pruning round does to the winning ticket's dead units, per round, seed and hidden layer (Q4).

    `dead`: units never active on the training data after round r's training; `dead_and_cut`: those of them whose
    every incoming weight is pruned in round r + 1; `pruned_fraction`: the fraction of their incoming weights that
    round r + 1 prunes (NaN without dead units). All of shape (rounds, seeds, hidden layers), rounds 0 .. R - 1.
    """

    sparsity: np.ndarray
    dead: np.ndarray
    dead_and_cut: np.ndarray
    pruned_fraction: np.ndarray


def dead_unit_fate(result: LotteryResult, X: torch.Tensor) -> DeadUnitFate:
    """Count each round's dead units in the trained winning tickets and follow them into the next mask (Q4)."""
    dead, cut, fraction = [], [], []
    for r, ticket in enumerate(result.tickets[:-1]):
        units = dead_units(ticket, X.to(ticket.weights[0].device))
        masks = result.masks["winning ticket"][r + 1]
        dead.append(np.stack([u.sum(1).cpu().numpy() for u in units], 1))
        cut.append(np.stack([(u & (m.sum(1) == 0)).sum(1).cpu().numpy() for u, m in zip(units, masks)], 1))
        fraction.append(pruned_fraction_of_units(masks, units))
    return DeadUnitFate(result.sparsity[:-1], np.array(dead), np.array(cut), np.array(fraction))
