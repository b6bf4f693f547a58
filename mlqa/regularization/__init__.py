"""Q4, Q5, Q6: lottery tickets, reducing overfitting with data, and with model modifications (one setup for Q6)."""

from mlqa.regularization.data import OverfitSplit, digits_overfit_split
from mlqa.regularization.distillation import distillation_loss
from mlqa.regularization.dropout import InvertedDropout, inverted_dropout, stacked_dropout
from mlqa.regularization.early_stopping import EarlyStopping
from mlqa.regularization.ensembles import (
                                           bootstrap_indices,
                                           ensemble_predict,
                                           fit_members,
                                           inference_seconds,
                                           kfold_train_indices,
                                           majority_vote,
)
from mlqa.regularization.overfitting import (
                                           GRIDS,
                                           SETUP,
                                           TUNED,
                                           MethodResult,
                                           compare_methods,
                                           dropout_sweep,
                                           tune_knobs,
)
from mlqa.regularization.pruning import l1_unstructured_mask, stacked_masks
from mlqa.regularization.training import StackedHistory, StackedMLP, fit_stacked, stack_splits
from mlqa.regularization.weight_decay import l2_vs_decoupled, train_linear

__all__ = ["OverfitSplit", "digits_overfit_split", "distillation_loss", "InvertedDropout", "inverted_dropout",
           "stacked_dropout", "EarlyStopping", "bootstrap_indices", "ensemble_predict", "fit_members",
           "inference_seconds", "kfold_train_indices", "majority_vote", "GRIDS", "SETUP", "TUNED", "MethodResult",
           "compare_methods", "dropout_sweep", "tune_knobs", "l1_unstructured_mask", "stacked_masks",
           "StackedHistory", "StackedMLP", "fit_stacked", "stack_splits", "l2_vs_decoupled",
           "train_linear"]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {"q06-overfitting-gap": "mlqa.regularization.plots:overfitting_figure",
                           "q06-dropout-sweep": "mlqa.regularization.plots:dropout_figure"}

# Q4: the lottery ticket hypothesis
from mlqa.regularization.dead_units import (  # noqa: E402 (this block is Q4's, kept apart for merging)
                                           DeadUnitFate,
                                           dead_unit_fate,
                                           dead_units,
                                           pruned_fraction_of_units,
                                           remove_units,
                                           unit_weight_fraction,
)
from mlqa.regularization.lottery import (  # noqa: E402
                                           TICKET_ARMS,
                                           LotteryResult,
                                           LotterySetup,
                                           batch_orders,
                                           dense_weight_count,
                                           error_barrier,
                                           interpolation_accuracy,
                                           iterative_l1_mask,
                                           lottery_experiment,
                                           lottery_split,
                                           random_unstructured_mask,
                                           small_dense_accuracy,
                                           sparsity,
                                           sparsity_schedule,
                                           train_masked,
)

__all__ += ["DeadUnitFate", "dead_unit_fate", "dead_units", "pruned_fraction_of_units", "remove_units",
            "unit_weight_fraction", "TICKET_ARMS", "LotteryResult", "LotterySetup", "batch_orders",
            "dense_weight_count", "error_barrier", "interpolation_accuracy", "iterative_l1_mask", "lottery_experiment",
            "lottery_split", "random_unstructured_mask", "small_dense_accuracy", "sparsity", "sparsity_schedule",
            "train_masked"]
FIGURES.update({"q04-accuracy-vs-sparsity": "mlqa.regularization.plots_lottery:accuracy_figure",
                "q04-first-layer-masks": "mlqa.regularization.plots_lottery:first_layer_figure"})

# Q5: reducing overfitting with data
from mlqa.regularization.augmentation_effect import (  # noqa: E402
                                                     AUGMENTATIONS,
                                                     COMBINED,
                                                     augmentation_comparison,
                                                     label_preservation,
                                                     oracle_readings,
                                                     scaled,
)
from mlqa.regularization.data_augmentation import (  # noqa: E402
                                                   Augmentation,
                                                   augment,
                                                   flip_left_right,
                                                   shift_rotate,
                                                   stacked_augmenter,
)
from mlqa.regularization.learning_curve import (  # noqa: E402
                                                CURVE_MODELS,
                                                DIGIT_SIZES,
                                                LearningCurve,
                                                absolute_train_sizes,
                                                digits_learning_curves,
                                                learning_curve_scores,
)

__all__ += ["AUGMENTATIONS", "COMBINED", "augmentation_comparison", "label_preservation", "oracle_readings",
            "scaled", "Augmentation", "augment", "flip_left_right", "shift_rotate", "stacked_augmenter",
            "CURVE_MODELS", "DIGIT_SIZES", "LearningCurve", "absolute_train_sizes", "digits_learning_curves",
            "learning_curve_scores"]
FIGURES.update({"q05-learning-curves": "mlqa.regularization.plots_data:learning_curve_figure",
                "q05-augmentation-gallery": "mlqa.regularization.plots_data:gallery_figure",
                "q05-augmentation-effect": "mlqa.regularization.plots_data:augmentation_figure"})
