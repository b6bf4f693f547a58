"""Q27-Q29: proper metrics, the k in k-fold cross-validation, and training/test set discordance."""

from mlqa.evaluation.proper_metrics import (
    SCORING_RULES,
    AxiomReport,
    TriangleCounterexample,
    best_report,
    check_axioms,
    cross_entropy,
    expected_binary_score,
    find_triangle_violation,
    js_distance,
    js_divergence,
    kl_divergence,
    mae,
    mse,
    random_points,
    rmse,
)

__all__ = [
    "SCORING_RULES", "AxiomReport", "TriangleCounterexample", "best_report", "check_axioms", "cross_entropy",
    "expected_binary_score", "find_triangle_violation", "js_distance", "js_divergence", "kl_divergence", "mae",
    "mse", "random_points", "rmse",
]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {
    "q27-scoring-rules": "mlqa.evaluation.plots_metrics:scoring_rules_figure",
}
