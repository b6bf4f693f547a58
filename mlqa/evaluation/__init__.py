"""Q24-Q26: Poisson and ordinal regression, confidence intervals, conformal prediction."""

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
    "ORDINAL_METHODS",
    "CoralLinear",
    "OrdinalModel",
    "PoissonRegressor",
    "compare_ordinal_methods",
    "coral_loss",
    "corn_loss",
    "count_models_mae",
    "is_rank_consistent",
    "levels_from_labels",
    "poisson_deviance",
    "rank_probabilities",
]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {
    "q24-poisson-vs-least-squares": "mlqa.evaluation.plots_intervals:poisson_vs_least_squares_figure",
    "q24-ordinal-errors": "mlqa.evaluation.plots_intervals:ordinal_errors_figure",
}
