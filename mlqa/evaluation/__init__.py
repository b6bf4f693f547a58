"""Q24-Q26: Poisson and ordinal regression, confidence intervals, conformal prediction."""

from mlqa.evaluation.confidence_intervals import (
    BOOTSTRAP_METHODS,
    INTERVAL_METHODS,
    RandomFeatureClassifier,
    all_intervals,
    bootstrap_test_set_interval,
    bootstrap_training_scores,
    coverage,
    interval_coverage,
    normal_approximation_interval,
    normal_interval_exact_coverage,
    percentile_interval,
    seed_accuracies,
    t_interval,
)
from mlqa.evaluation.ordinal import (
    ORDINAL_METHODS,
    CoralLinear,
    OrdinalModel,
    compare_ordinal_methods,
    coral_loss,
    corn_loss,
    count_models_mae,
    is_rank_consistent,
    levels_from_labels,
    rank_probabilities,
)
from mlqa.evaluation.poisson import PoissonRegressor, poisson_deviance

__all__ = [
    "BOOTSTRAP_METHODS",
    "INTERVAL_METHODS",
    "ORDINAL_METHODS",
    "CoralLinear",
    "OrdinalModel",
    "PoissonRegressor",
    "RandomFeatureClassifier",
    "all_intervals",
    "bootstrap_test_set_interval",
    "bootstrap_training_scores",
    "compare_ordinal_methods",
    "coral_loss",
    "corn_loss",
    "count_models_mae",
    "coverage",
    "interval_coverage",
    "is_rank_consistent",
    "levels_from_labels",
    "normal_approximation_interval",
    "normal_interval_exact_coverage",
    "percentile_interval",
    "poisson_deviance",
    "rank_probabilities",
    "seed_accuracies",
    "t_interval",
]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {
    "q24-poisson-vs-least-squares": "mlqa.evaluation.plots_intervals:poisson_vs_least_squares_figure",
    "q24-ordinal-errors": "mlqa.evaluation.plots_intervals:ordinal_errors_figure",
    "q25-intervals": "mlqa.evaluation.plots_intervals:intervals_figure",
    "q25-coverage": "mlqa.evaluation.plots_intervals:coverage_figure",
}
