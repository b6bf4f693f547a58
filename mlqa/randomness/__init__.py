"""Q10: sources of randomness in training and generation, each isolated, and how to remove them."""

from mlqa.randomness.determinism import NoisyDigits, deterministic_algorithms, loader_run, seed_worker
from mlqa.randomness.floating_point import (
    exact_sum,
    scatter_add_repeats,
    sums_by_thread_count,
    sums_in_shuffled_orders,
)
from mlqa.randomness.generation import (
    TOY_LOGITS,
    TOY_VOCABULARY,
    entropy_bits,
    filter_logits,
    next_token_probabilities,
    sample_tokens,
)
from mlqa.randomness.sources import (
    SOURCE_NAMES,
    SOURCES,
    RunResult,
    SeedPlan,
    cpu_capability,
    mc_dropout_entropy,
    run_in_fresh_process,
    spread_by_source,
    summarize,
    train_model,
    train_once,
)

__all__ = [
    "SOURCES",
    "SOURCE_NAMES",
    "TOY_LOGITS",
    "TOY_VOCABULARY",
    "NoisyDigits",
    "RunResult",
    "SeedPlan",
    "cpu_capability",
    "deterministic_algorithms",
    "entropy_bits",
    "exact_sum",
    "filter_logits",
    "loader_run",
    "mc_dropout_entropy",
    "next_token_probabilities",
    "run_in_fresh_process",
    "sample_tokens",
    "scatter_add_repeats",
    "seed_worker",
    "spread_by_source",
    "summarize",
    "sums_by_thread_count",
    "sums_in_shuffled_orders",
    "train_model",
    "train_once",
]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {
    "q10-spread-by-source": "mlqa.randomness.plots:spread_figure",
    "q10-sampling": "mlqa.randomness.plots:sampling_figure",
}
