"""Every figure mlqa draws, by name: `python -m mlqa figures` writes each to figures/<name>.png."""

from __future__ import annotations

import importlib
from typing import Callable

# name -> "module:function"; the function takes no arguments and returns a matplotlib Figure.
FIGURES: dict[str, str] = {
    "q00-book-map": "mlqa.questions:book_map_figure",
    "q07-tensor-split": "mlqa.parallel.tensor_parallel:draw_matrix_split",
    "q07-zero-memory": "mlqa.parallel.plots:zero_memory_figure",
    "q07-zero-comm": "mlqa.parallel.plots:comm_bytes_figure",
    "q07-zero-scaling": "mlqa.parallel.plots:zero_scaling_figure",
    "q07-pipeline-timelines": "mlqa.parallel.timeline_plots:pipeline_timelines_figure",
    "q07-pipeline-bubble": "mlqa.parallel.timeline_plots:bubble_figure",
    "q07-ring-attention-memory": "mlqa.parallel.timeline_plots:attention_memory_figure",
    "q30-which-technique": "mlqa.limited.guide:guide_figure",
    "q17-attention-masks": "mlqa.transformer.plots:attention_masks_figure",
    "q17-timeline": "mlqa.transformer.plots:timeline_figure",
}


def load_figure_function(name: str) -> Callable:
    """Import the function that draws figure `name`."""
    if name not in FIGURES:
        raise ValueError(f"unknown figure {name!r}; known: {', '.join(sorted(FIGURES))}")
    module, func = FIGURES[name].split(":")
    return getattr(importlib.import_module(module), func)
