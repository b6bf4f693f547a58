"""Q27-Q29: proper metrics, the k in k-fold cross-validation, and training/test set discordance."""

from mlqa.evaluation.cross_validation import (
    BudgetChoice,
    KFoldStudy,
    choose_k,
    fold_ensemble_errors,
    fold_indices,
    kfold_mse,
    kfold_study,
    loo_and_kfold_accuracy,
    majority_class_loo_accuracy,
    repeated_kfold_mse,
    ridge_fit,
)
from mlqa.evaluation.discordance import (
    PermutationTest,
    RemedyResult,
    adversarial_auc,
    adversarial_permutation_test,
    adversarial_probabilities,
    compare_remedies,
    drift_importance,
    importance_weights,
    ks_drift_pvalues,
)
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
from mlqa.evaluation.simulation import (
    DriftSplit,
    GaussianClassTask,
    LinearTask,
    drifted_split,
    gaussian_class_task,
    linear_task,
)

__all__ = [
    "SCORING_RULES", "AxiomReport", "TriangleCounterexample", "best_report", "check_axioms", "cross_entropy",
    "expected_binary_score", "find_triangle_violation", "js_distance", "js_divergence", "kl_divergence", "mae",
    "mse", "random_points", "rmse",
    "BudgetChoice", "KFoldStudy", "choose_k", "fold_ensemble_errors", "fold_indices", "kfold_mse", "kfold_study",
    "loo_and_kfold_accuracy", "majority_class_loo_accuracy", "repeated_kfold_mse", "ridge_fit",
    "PermutationTest", "RemedyResult", "adversarial_auc", "adversarial_permutation_test",
    "adversarial_probabilities", "compare_remedies", "drift_importance", "importance_weights", "ks_drift_pvalues",
    "DriftSplit", "GaussianClassTask", "LinearTask", "drifted_split", "gaussian_class_task", "linear_task",
]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {
    "q27-scoring-rules": "mlqa.evaluation.plots_metrics:scoring_rules_figure",
    "q28-kfold-bias-variance": "mlqa.evaluation.plots_metrics:kfold_figure",
    "q29-adversarial-validation": "mlqa.evaluation.plots_metrics:adversarial_validation_figure",
}
