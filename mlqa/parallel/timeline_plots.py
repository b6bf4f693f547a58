"""Drawing pipeline schedules: per-rank timelines, the bubble versus microbatches, ring-attention memory (Q7)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from mlqa.parallel.schedule import Span, bubble_fraction, idle_fraction, idle_spans, peak_in_flight, simulate

COLORS = {"forward": "#4C72B0", "backward": "#DD8452", "idle": "#E5E5E5"}


def plot_timeline(spans: list[Span], ax=None, title: str = "", unit: float = 1e3, label: str = "ms"):
    """One row per rank: forward (blue) and backward (orange) boxes numbered by microbatch, idle in grey (Q7)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 2.4))
    ranks = sorted({s.rank for s in spans})
    origin = min(s.start for s in spans)
    for s in [s for s in spans if s.kind in ("forward", "backward")] + idle_spans(spans):
        y = len(ranks) - 1 - ranks.index(s.rank)
        start, width = (s.start - origin) * unit, s.duration * unit
        ax.barh(y, width, left=start, height=0.8, color=COLORS[s.kind], edgecolor="white", linewidth=0.5)
        if s.microbatch is not None and width > 0:
            ax.text(start + width / 2, y, str(s.microbatch), ha="center", va="center", fontsize=7, color="white")
    ax.set_yticks(range(len(ranks)), [f"rank {r}" for r in reversed(ranks)])
    ax.set_xlabel(f"time ({label})")
    ax.set_title(f"{title}  (idle {idle_fraction(spans):.0%})" if title else f"idle {idle_fraction(spans):.0%}",
                 fontsize=10)
    return ax


def plot_timelines(runs: dict[str, list[Span]], unit: float = 1e3, label: str = "ms"):
    """Several schedules stacked on one shared time axis, so their step times compare at a glance (Q7)."""
    fig, axes = plt.subplots(len(runs), 1, figsize=(10, 1.0 + 1.2 * len(runs) * len({s.rank for r in runs.values()
                                                                                      for s in r}) / 3),
                             sharex=True, squeeze=False)
    for ax, (name, spans) in zip(axes[:, 0], runs.items()):
        plot_timeline(spans, ax, name, unit, label)
        ax.set_xlabel("")
    axes[-1, 0].set_xlabel(f"time ({label})")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in COLORS.values()]
    fig.legend(handles, list(COLORS), loc="upper right", ncol=3, fontsize=8)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    return fig


def plot_bubble(n_stages: int = 4, measured: dict[str, dict[int, float]] | None = None, max_micro: int = 32):
    """The bubble formula (p-1)/(m+p-1) against microbatches, with simulated and measured points (Q7)."""
    fig, ax = plt.subplots(figsize=(6, 3.5))
    m = np.arange(1, max_micro + 1)
    ax.plot(m, [bubble_fraction(n_stages, int(k)) for k in m], color="black", label="(p-1)/(m+p-1)")
    sim = [1, 2, 4, 8, 16, 32]
    ax.plot(sim, [idle_fraction(simulate("1f1b", n_stages, k)) for k in sim], "s", mfc="none", color="gray",
            label="simulated 1F1B")
    for (name, points), marker in zip((measured or {}).items(), "o^v"):
        ax.plot(list(points), list(points.values()), marker, label=f"measured {name}")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("microbatches m")
    ax.set_ylabel("idle fraction")
    ax.set_title(f"Pipeline bubble with p = {n_stages} stages", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def draw_simulated_schedule(n_stages: int = 4, n_microbatches: int = 8, schedule: str = "1f1b"):
    """A simulated schedule (forward 1 unit, backward 2) with its idle fraction and microbatches in flight (Q7)."""
    spans = simulate(schedule, n_stages, n_microbatches)
    fig, ax = plt.subplots(figsize=(10, 0.6 + 0.45 * n_stages))
    plot_timeline(spans, ax, f"{schedule}: p={n_stages}, m={n_microbatches}, formula "
                             f"{bubble_fraction(n_stages, n_microbatches):.0%}, at most "
                             f"{peak_in_flight(spans)} microbatches in flight", unit=1.0, label="time units")
    fig.tight_layout()
    return fig


def schedule_slider():
    """Sliders for stages and microbatches (and the schedule) that redraw the simulated pipeline (Q7)."""
    import ipywidgets as widgets
    from IPython.display import display

    out = widgets.Output()
    stages = widgets.IntSlider(value=4, min=2, max=8, description="stages p")
    micro = widgets.IntSlider(value=8, min=1, max=32, description="microbatches m")
    schedule = widgets.ToggleButtons(options=["gpipe", "1f1b"], value="1f1b", description="schedule")

    def redraw(_=None):
        with out:
            out.clear_output(wait=True)
            fig = draw_simulated_schedule(stages.value, micro.value, schedule.value)
            display(fig)
            plt.close(fig)

    for w in (stages, micro, schedule):
        w.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([stages, micro]), schedule, out])


def plot_attention_memory(rows: list[dict]):
    """Bars of peak attention memory per rank (KiB) by world size and method; one device as a line (Q7)."""
    fig, ax = plt.subplots(figsize=(6, 3.2))
    single = [r["bytes"] / 1024 for r in rows if r["world_size"] == 1]
    rows = [r for r in rows if r["world_size"] > 1]
    methods = list(dict.fromkeys(r["method"] for r in rows))
    sizes = sorted({r["world_size"] for r in rows})
    width = 0.8 / len(methods)
    for i, method in enumerate(methods):
        values = [next((r["bytes"] / 1024 for r in rows if r["method"] == method and r["world_size"] == n), 0)
                  for n in sizes]
        ax.bar(np.arange(len(sizes)) + i * width, values, width, label=method)
    for value in single:
        ax.axhline(value, color="black", linestyle="--", label="one device, full attention")
    ax.set_xticks(np.arange(len(sizes)) + width * (len(methods) - 1) / 2, [f"N = {n} ranks" for n in sizes])
    ax.set_ylabel("peak KiB per rank")
    ax.set_title("Attention memory per rank", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def pipeline_timelines_figure():
    """Figure q07-pipeline-timelines: model parallelism, GPipe and 1F1B measured on 4 sleep-emulated ranks (Q7)."""
    from mlqa.parallel.pipeline import measure_schedules

    return plot_timelines({name: spans for name, (spans, _) in measure_schedules().items()})


def bubble_figure():
    """Figure q07-pipeline-bubble: the formula, the simulator and measured 1F1B idle fractions (Q7)."""
    from mlqa.parallel.pipeline import measure_bubble

    measured = measure_bubble()
    return plot_bubble(4, {"1F1B": {m: idle for m, (idle, _) in measured.items()}})


def attention_memory_figure():
    """Figure q07-ring-attention-memory: peak attention memory per rank at N = 1, 2, 4 (Q7)."""
    from mlqa.parallel.sequence_parallel import measure_attention_memory

    return plot_attention_memory(measure_attention_memory())


OVERLAP_COLORS = {"forward": "#4C72B0", "backward": "#DD8452", "wait": "#E5E5E5", "all-reduce": "#55A868"}


def plot_overlap(runs: dict[str, tuple[list[Span], float]], unit: float = 1e3, label: str = "ms"):
    """Data-parallel steps on one time axis: per rank a compute row and a communication row (Q7).

    `runs` maps a name ("naive", "bucketed") to (spans, step time) from `mlqa.parallel.overlap.measure_overlap`;
    all-reduce boxes are numbered by bucket.
    """
    fig, axes = plt.subplots(len(runs), 1, figsize=(10, 1.0 + 1.6 * len(runs)), sharex=True, squeeze=False)
    for ax, (name, (spans, step_s)) in zip(axes[:, 0], runs.items()):
        ranks = sorted({s.rank for s in spans})
        rows = [(r, row) for r in ranks for row in ("compute", "comm")]
        for s in spans:
            y = len(rows) - 1 - rows.index((s.rank, "comm" if s.kind == "all-reduce" else "compute"))
            start, width = s.start * unit, s.duration * unit
            ax.barh(y, width, left=start, height=0.8, color=OVERLAP_COLORS[s.kind], edgecolor="white",
                    linewidth=0.5)
            if s.microbatch is not None and width > 0:
                ax.text(start + width / 2, y, str(s.microbatch), ha="center", va="center", fontsize=7,
                        color="white")
        ax.set_yticks(range(len(rows)), [f"rank {r} {row}" for r, row in reversed(rows)], fontsize=8)
        ax.set_title(f"{name} data parallelism: step {step_s * unit:.0f} {label}", fontsize=10)
    axes[-1, 0].set_xlabel(f"time since the step started ({label})")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in OVERLAP_COLORS.values()]
    fig.legend(handles, list(OVERLAP_COLORS), loc="upper right", ncol=4, fontsize=8)
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    return fig


def overlap_figure():
    """Figure q07-dp-overlap: naive versus bucketed data parallelism, measured on 2 ranks (Q7)."""
    from mlqa.parallel.overlap import measure_overlap

    return plot_overlap(measure_overlap())
