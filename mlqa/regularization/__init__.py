"""Q6 (and later Q4, Q5): reducing overfitting with model modifications, every method on one setup."""

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
from mlqa.regularization.training import StackedHistory, StackedMLP, fit_stacked, one_thread, stack_splits
from mlqa.regularization.weight_decay import l2_vs_decoupled, train_linear

__all__ = ["OverfitSplit", "digits_overfit_split", "distillation_loss", "InvertedDropout", "inverted_dropout",
           "stacked_dropout", "EarlyStopping", "bootstrap_indices", "ensemble_predict", "fit_members",
           "inference_seconds", "kfold_train_indices", "majority_vote", "GRIDS", "SETUP", "TUNED", "MethodResult",
           "compare_methods", "dropout_sweep", "tune_knobs", "l1_unstructured_mask", "stacked_masks",
           "StackedHistory", "StackedMLP", "fit_stacked", "one_thread", "stack_splits", "l2_vs_decoupled",
           "train_linear"]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {"q06-overfitting-gap": "mlqa.regularization.plots:overfitting_figure",
                           "q06-dropout-sweep": "mlqa.regularization.plots:dropout_figure"}

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
from mlqa.regularization.data_side import DataSideRow, data_side_table, pretraining_comparison  # noqa: E402
from mlqa.regularization.learning_curve import (  # noqa: E402
                                                CURVE_MODELS,
                                                DIGIT_SIZES,
                                                LearningCurve,
                                                absolute_train_sizes,
                                                digits_learning_curves,
                                                learning_curve_scores,
)

__all__ += ["AUGMENTATIONS", "COMBINED", "augmentation_comparison", "label_preservation", "oracle_readings",
            "scaled", "Augmentation", "augment", "flip_left_right", "shift_rotate", "stacked_augmenter", "DataSideRow",
            "data_side_table", "pretraining_comparison", "CURVE_MODELS", "DIGIT_SIZES", "LearningCurve",
            "absolute_train_sizes", "digits_learning_curves", "learning_curve_scores"]
FIGURES.update({"q05-learning-curves": "mlqa.regularization.plots_data:learning_curve_figure",
                "q05-augmentation-gallery": "mlqa.regularization.plots_data:gallery_figure",
                "q05-augmentation-effect": "mlqa.regularization.plots_data:augmentation_figure"})
