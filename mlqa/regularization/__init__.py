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
