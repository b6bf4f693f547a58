"""Q7: multi-GPU training paradigms written from scratch on torch.distributed."""

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {
    "q07-tensor-split": "mlqa.parallel.tensor_parallel:draw_matrix_split",
    "q07-zero-memory": "mlqa.parallel.plots:zero_memory_figure",
    "q07-zero-comm": "mlqa.parallel.plots:comm_bytes_figure",
    "q07-zero-scaling": "mlqa.parallel.plots:zero_scaling_figure",
    "q07-pipeline-timelines": "mlqa.parallel.timeline_plots:pipeline_timelines_figure",
    "q07-pipeline-bubble": "mlqa.parallel.timeline_plots:bubble_figure",
    "q07-ring-attention-memory": "mlqa.parallel.timeline_plots:attention_memory_figure",
}
