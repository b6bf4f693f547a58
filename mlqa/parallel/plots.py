"""Figures for data parallelism and ZeRO: memory per rank, bytes sent per step, the paper's scaling (Q7)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from mlqa.parallel.memory import ZERO_LADDER, measure_zero_ladder, zero_bytes_per_rank

PARTS = ("parameters", "gradients", "optimizer_state")
COLORS = {"parameters": "#4C72B0", "gradients": "#DD8452", "optimizer_state": "#55A868",
          "all_reduce": "#8172B3", "reduce_scatter": "#C44E52", "all_gather": "#937860"}


def zero_memory_figure(rows: list[dict] | None = None) -> plt.Figure:
    """Stacked bars of measured bytes per rank for DP and ZeRO 1/2/3, with the formula's total marked (Q7)."""
    rows = measure_zero_ladder() if rows is None else rows
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    names = [r["strategy"] for r in rows]
    bottom = np.zeros(len(rows))
    for part in PARTS:
        kib = np.array([r["measured"][part] for r in rows]) / 1024
        ax.bar(names, kib, bottom=bottom, label=part.replace("_", " "), color=COLORS[part])
        bottom += kib
    formula = [sum(r["formula"].values()) / 1024 for r in rows]
    ax.scatter(names, formula, marker="_", s=900, color="black", zorder=3, label="ZeRO formula (total)")
    n, optimizer = rows[0]["result"].world_size, rows[0]["result"].optimizer
    ax.set(ylabel="KiB held by one rank", title=f"Model state per rank, {n} ranks, {optimizer}")
    ax.set_ylim(top=1.4 * max(bottom.max(), max(formula)))
    ax.legend(fontsize=8, ncol=2, loc="upper right")
    fig.tight_layout()
    return fig


def comm_bytes_figure(rows: list[dict] | None = None) -> plt.Figure:
    """Stacked bars of bytes one rank sends per step, by collective, next to the ring formulas (Q7)."""
    rows = measure_zero_ladder() if rows is None else rows
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    names = [r["strategy"] for r in rows]
    bottom = np.zeros(len(rows))
    for kind in ("all_reduce", "reduce_scatter", "all_gather"):
        kib = np.array([r["sent"].get(kind, 0.0) for r in rows]) / 1024
        ax.bar(names, kib, bottom=bottom, label=kind.replace("_", "-"), color=COLORS[kind])
        bottom += kib
    formula = [sum(r["sent_formula"].values()) / 1024 for r in rows]
    ax.scatter(names, formula, marker="_", s=900, color="black", zorder=3, label="ring formula (total)")
    n = rows[0]["result"].world_size
    ax.set(ylabel="KiB sent by one rank per step", title=f"Communication per step, {n} ranks")
    ax.set_ylim(top=1.4 * max(bottom.max(), max(formula)))
    ax.legend(fontsize=8, ncol=2, loc="upper left")
    fig.tight_layout()
    return fig


def zero_scaling_figure(num_params: float = 7.5e9, k: int = 12) -> plt.Figure:
    """The ZeRO paper's per-device memory of a 7.5B-parameter model against the number of devices (Q7)."""
    devices = 2 ** np.arange(0, 11)
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    for stage in ZERO_LADDER.values():
        gb = [sum(zero_bytes_per_rank(num_params, int(n), stage, 2, 2, k).values()) / 1e9 for n in devices]
        label = "plain data parallelism" if stage == 0 else f"ZeRO stage {stage}"
        ax.plot(devices, gb, marker="o", label=label)
    ax.axhline(80, color="grey", linestyle="--", linewidth=1)
    ax.text(300, 55, "80 GB GPU", fontsize=8, color="grey")
    ax.set(xscale="log", yscale="log", xlabel="number of devices N", ylabel="GB per device (model states)",
           title=f"Mixed-precision Adam, {num_params / 1e9:g}B parameters, K = {k}")
    ax.set_xticks(devices, [str(n) for n in devices])
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def cpu_data_parallel_figure(times: dict[str, float]) -> plt.Figure:
    """Seconds per step on one CPU: one process with 1 or all threads, and data parallelism (quiz 7-B) (Q7)."""
    n = times["world_size"]
    labels = ["1 process\n1 thread", f"1 process\n{n} threads", f"data parallel\n{n} ranks x 1 thread"]
    values = [1e3 * times[k] for k in ("one_thread_s", "all_threads_s", "data_parallel_s")]
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.bar(labels, values, color=["#999999", "#4C72B0", "#DD8452"])
    ax.set(ylabel="ms per training step (fastest)", title=f"Same MLP, same batch, {times['cpu_cores']} CPU cores")
    fig.tight_layout()
    return fig
