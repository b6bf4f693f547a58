"""Q7: multi-GPU training paradigms written from scratch on torch.distributed, next to PyTorch's own.

`launch(fn, world_size)` runs a function on several processes (`init_from_env()` under torchrun); every paradigm
is a strategy in `STRATEGIES`, run with `run_strategy` and checked with `check_against_single_device`. `comm`
(collectives that count bytes) is a submodule: `from mlqa.parallel import comm`.

The public names below load their module on first use, so that a worker process, which imports this package to
find its function, does not pay for importing every paradigm (seconds per spawned rank on a GPU machine).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, tuple[str, ...]] = {  # module of mlqa.parallel -> the public names it defines
    # launching ranks
    "launcher": ("launch", "WorkerError", "init_from_env", "choose_backend", "rank_device"),
    "hello": ("sum_of_ranks",),
    # strategies, their results and the one training loop they share
    "strategies": ("STRATEGIES", "StrategyResult", "RankMeasurements", "resolve", "run_strategy",
                   "merge_rank_results", "check_against_single_device"),
    "training": ("train_and_measure", "shard_batch"),
    # the reference task
    "reference": ("make_mlp", "make_block", "synthetic_regression", "synthetic_sequences", "max_param_diff"),
    # paradigms
    "data_parallel": ("all_reduce_gradients", "BucketedGradientSync"),
    "overlap": ("measure_overlap", "overlapped_buckets", "hidden_communication"),
    "model_parallel": ("split_into_stages",),
    "tensor_parallel": ("draw_matrix_split",),
    "dtensor_tp": ("plan_placements_worker",),
    "sequence_parallel": ("attention_check_worker", "measure_attention_memory", "context_parallel_demo"),
    "mesh": ("mesh_shape", "mesh_coordinates"),
    # pipeline schedules
    "schedule": ("Span", "simulate", "bubble_fraction", "idle_fraction", "peak_in_flight"),
    "pipeline": ("measure_schedules", "measure_bubble"),
    # memory and the comparison table
    "memory": ("zero_bytes_per_rank", "zero_paper_gb", "measure_zero_ladder", "optimizer_memory",
               "cpu_data_parallel_vs_one_process"),
    "compare": ("compare_strategies", "format_table"),
    # figures
    "timeline_plots": ("plot_overlap", "plot_timelines", "plot_bubble", "draw_simulated_schedule",
                       "schedule_slider", "plot_attention_memory"),
    "plots": ("zero_memory_figure", "comm_bytes_figure", "zero_scaling_figure", "cpu_data_parallel_figure"),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = list(_MODULE_OF)


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is used (PEP 562)."""
    if name not in _MODULE_OF:
        raise AttributeError(f"module 'mlqa.parallel' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"mlqa.parallel.{_MODULE_OF[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {
    "q07-dp-overlap": "mlqa.parallel.timeline_plots:overlap_figure",
    "q07-tensor-split": "mlqa.parallel.tensor_parallel:draw_matrix_split",
    "q07-zero-memory": "mlqa.parallel.plots:zero_memory_figure",
    "q07-zero-comm": "mlqa.parallel.plots:comm_bytes_figure",
    "q07-zero-scaling": "mlqa.parallel.plots:zero_scaling_figure",
    "q07-pipeline-timelines": "mlqa.parallel.timeline_plots:pipeline_timelines_figure",
    "q07-pipeline-bubble": "mlqa.parallel.timeline_plots:bubble_figure",
    "q07-ring-attention-memory": "mlqa.parallel.timeline_plots:attention_memory_figure",
}
