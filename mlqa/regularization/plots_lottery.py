"""Figures for Q4: accuracy against sparsity for every arm, the surviving first-layer weights, dead units (Q4)."""

from __future__ import annotations

import functools

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from mlqa.regularization.dead_units import DeadUnitFate
from mlqa.regularization.lottery import TICKET_ARMS, LotteryResult, lottery_experiment
from mlqa.utils import use_style

COLORS = {"winning ticket": "#2a9d8f", "late rewinding": "#264653", "random reinitialisation": "#e76f51",
          "random pruning": "#adb5bd"}


def plot_accuracy_vs_sparsity(result: LotteryResult, margin: float = 0.01) -> Figure:
    """Test accuracy (mean ± std over seeds, dots = seeds) against the fraction of weights pruned (Q4)."""
    use_style()
    fig, ax = plt.subplots(figsize=(7, 4.2))
    remaining = 100 * (1 - result.sparsity)
    dense = result.mean("winning ticket")[0]
    ax.axhspan(dense - margin, dense + margin, color="#2a9d8f", alpha=0.12, label=f"dense ± {margin:.0%}")
    for arm in TICKET_ARMS:
        mean, std = result.mean(arm), result.std(arm)
        ax.errorbar(remaining, mean, yerr=std, color=COLORS[arm], marker="o", ms=4, capsize=3, label=arm,
                    ls="--" if arm == "late rewinding" else "-")
        ax.plot(np.repeat(remaining, result.accuracy[arm].shape[1]), result.accuracy[arm].ravel(), ".",
                color=COLORS[arm], ms=2, alpha=0.6)
    ax.set_xscale("log")
    ax.invert_xaxis()
    ax.set_xticks(remaining, [f"{s:.0%}" for s in result.sparsity])
    ax.minorticks_off()
    ax.set(xlabel="weights pruned (log scale of the weights left)", ylabel="test accuracy",
           ylim=(max(0.0, min(result.mean(a).min() for a in TICKET_ARMS) - 0.05), 1.0))
    ax.set_title(f"Iterative magnitude pruning, {len(result.seeds)} seeds, same budget for every arm")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


def first_layer_inputs(result: LotteryResult, arm: str, round_: int, seed_index: int = 0) -> np.ndarray:
    """How many hidden units still receive each of the 8x8 input pixels, in `arm`'s mask of a round (Q4)."""
    if arm not in result.masks or not 0 <= round_ < len(result.masks[arm]):
        raise ValueError(f"need an arm of {list(result.masks)} and a round in [0, {len(result.sparsity) - 1}], "
                         f"got {arm!r} and {round_}")
    mask = result.masks[arm][round_][0][seed_index].cpu().numpy()
    side = int(round(np.sqrt(mask.shape[0])))
    return mask.sum(1).reshape(side, side)


def plot_first_layer(result: LotteryResult, round_: int, seed_index: int = 0) -> Figure:
    """Round `round_`: the trained ticket's first-layer weights and, per pixel, the units still receiving it (Q4)."""
    use_style()
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.4), gridspec_kw={"width_ratios": [1.3, 1, 1]})
    weights = result.tickets[round_].weights[0][seed_index].detach().cpu().numpy()
    limit = float(np.abs(weights).max())
    image = axes[0].imshow(np.ma.masked_equal(weights, 0.0), cmap="coolwarm", vmin=-limit, vmax=limit, aspect="auto")
    axes[0].set(xlabel="hidden unit", ylabel="input pixel")
    axes[0].set_title("trained ticket's first layer (white: pruned)", fontsize=10)
    axes[0].grid(False)
    fig.colorbar(image, ax=axes[0], shrink=0.85)
    maps = {arm: first_layer_inputs(result, arm, round_, seed_index) for arm in ("winning ticket", "random pruning")}
    top = max(float(m.max()) for m in maps.values())
    for ax, (arm, counts) in zip(axes[1:], maps.items()):
        image = ax.imshow(counts, cmap="viridis", vmin=0, vmax=top)
        ax.set_title(f"{arm}:\nunits per pixel", fontsize=10)
        ax.grid(False)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(image, ax=axes[1:], shrink=0.85)
    seed = result.seeds[seed_index]
    fig.suptitle(f"Round {round_}: {result.sparsity[round_]:.1%} of all weights pruned (seed {seed})", fontsize=10)
    return fig


def plot_first_layer_rounds(result: LotteryResult, seed_index: int = 0) -> Figure:
    """Every round's units-per-pixel map, ticket (top) and random pruning (bottom), one colour scale per round (Q4)."""
    use_style()
    rounds = len(result.sparsity)
    fig, axes = plt.subplots(2, rounds, figsize=(1.6 * rounds, 3.8))
    for r in range(rounds):
        maps = [first_layer_inputs(result, arm, r, seed_index) for arm in ("winning ticket", "random pruning")]
        top = max(float(m.max()) for m in maps)
        for row, counts in enumerate(maps):
            axes[row, r].imshow(counts, cmap="viridis", vmin=0, vmax=top)
            axes[row, r].set_xticks([])
            axes[row, r].set_yticks([])
        axes[0, r].set_title(f"{result.sparsity[r]:.0%} pruned\n(max {top:.0f} units)", fontsize=8)
    axes[0, 0].set_ylabel("winning ticket", fontsize=9)
    axes[1, 0].set_ylabel("random pruning", fontsize=9)
    fig.suptitle("Hidden units still receiving each input pixel (dark: none; colour scale per column)", fontsize=10)
    fig.tight_layout()
    return fig


def plot_dead_units(fate: DeadUnitFate) -> Figure:
    """Dead hidden units of each round's ticket and how many of them the next round cuts off entirely (Q4)."""
    use_style()
    layers = fate.dead.shape[2]
    fig, axes = plt.subplots(1, layers, figsize=(4 * layers, 3.4), sharey=True, squeeze=False)
    x = np.arange(len(fate.sparsity))
    for layer, ax in enumerate(axes[0]):
        for values, label, color, shift in ((fate.dead, "dead after training", "#e76f51", -0.18),
                                            (fate.dead_and_cut, "... and every incoming weight pruned next round",
                                             "#264653", 0.18)):
            ax.bar(x + shift, values[:, :, layer].mean(1), width=0.36, color=color, alpha=0.8, label=label)
            ax.plot(np.repeat(x + shift, values.shape[1]), values[:, :, layer].ravel(), "k.", ms=3)
        ax.set_xticks(x, [f"{s:.0%}" for s in fate.sparsity])
        ax.set(xlabel="weights pruned in the round", title=f"hidden layer {layer + 1}")
    axes[0, 0].set_ylabel("units (bars: mean, dots: seeds)")
    axes[0, 0].legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


@functools.lru_cache(maxsize=1)
def _default_result() -> LotteryResult:
    return lottery_experiment(seeds=(0, 1, 2, 3))


def accuracy_figure() -> Figure:
    """The registered figure: accuracy against sparsity for every arm on the default setup (Q4)."""
    return plot_accuracy_vs_sparsity(_default_result())


def first_layer_figure() -> Figure:
    """The registered figure: which input pixels keep weights, round by round (Q4)."""
    return plot_first_layer_rounds(_default_result())
