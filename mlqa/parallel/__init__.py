"""Q7: multi-GPU training paradigms written from scratch on torch.distributed, next to PyTorch's own.

`launch(fn, world_size)` runs a function on several processes (`init_from_env()` under torchrun); every paradigm
is a strategy in `STRATEGIES`, run with `run_strategy` and checked with `check_against_single_device`. `comm`
(collectives that count bytes) is a submodule: `from mlqa.parallel import comm`.
"""

from mlqa.parallel.compare import compare_strategies, format_table
from mlqa.parallel.data_parallel import BucketedGradientSync, all_reduce_gradients
from mlqa.parallel.dtensor_tp import plan_placements_worker
from mlqa.parallel.hello import sum_of_ranks
from mlqa.parallel.launcher import WorkerError, choose_backend, init_from_env, launch, rank_device
from mlqa.parallel.memory import (
    cpu_data_parallel_vs_one_process,
    measure_zero_ladder,
    optimizer_memory,
    zero_bytes_per_rank,
    zero_paper_gb,
)
from mlqa.parallel.mesh import mesh_coordinates, mesh_shape
from mlqa.parallel.model_parallel import split_into_stages
from mlqa.parallel.overlap import hidden_communication, measure_overlap, overlapped_buckets
from mlqa.parallel.pipeline import measure_bubble, measure_schedules
from mlqa.parallel.plots import comm_bytes_figure, cpu_data_parallel_figure, zero_memory_figure, zero_scaling_figure
from mlqa.parallel.reference import make_block, make_mlp, max_param_diff, synthetic_regression, synthetic_sequences
from mlqa.parallel.schedule import Span, bubble_fraction, idle_fraction, peak_in_flight, simulate
from mlqa.parallel.sequence_parallel import attention_check_worker, context_parallel_demo, measure_attention_memory
from mlqa.parallel.strategies import (
    STRATEGIES,
    RankMeasurements,
    StrategyResult,
    check_against_single_device,
    merge_rank_results,
    resolve,
    run_strategy,
)
from mlqa.parallel.tensor_parallel import draw_matrix_split
from mlqa.parallel.timeline_plots import (
    draw_simulated_schedule,
    plot_attention_memory,
    plot_bubble,
    plot_overlap,
    plot_timelines,
    schedule_slider,
)
from mlqa.parallel.training import shard_batch, train_and_measure

__all__ = [
    # launching ranks
    "launch", "WorkerError", "init_from_env", "choose_backend", "rank_device", "sum_of_ranks",
    # strategies and their results
    "STRATEGIES", "StrategyResult", "RankMeasurements", "resolve", "run_strategy", "merge_rank_results",
    "check_against_single_device", "train_and_measure", "shard_batch",
    # the reference task
    "make_mlp", "make_block", "synthetic_regression", "synthetic_sequences", "max_param_diff",
    # paradigms
    "all_reduce_gradients", "BucketedGradientSync", "measure_overlap", "overlapped_buckets", "hidden_communication",
    "split_into_stages", "draw_matrix_split",
    "plan_placements_worker", "attention_check_worker", "measure_attention_memory", "context_parallel_demo",
    "mesh_shape", "mesh_coordinates",
    # pipeline schedules
    "Span", "simulate", "bubble_fraction", "idle_fraction", "peak_in_flight", "measure_schedules", "measure_bubble",
    # memory and the comparison table
    "zero_bytes_per_rank", "zero_paper_gb", "measure_zero_ladder", "optimizer_memory",
    "cpu_data_parallel_vs_one_process", "compare_strategies", "format_table",
    # figures
    "plot_overlap", "plot_timelines", "plot_bubble", "draw_simulated_schedule", "schedule_slider",
    "plot_attention_memory", "zero_memory_figure", "comm_bytes_figure", "zero_scaling_figure",
    "cpu_data_parallel_figure",
]

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
