"""Q30: learning with limited labeled data, every technique on one protocol."""

from mlqa.limited.data import Split, TechniqueResult, digits_split, split_labels
from mlqa.limited.learning_curves import fit_power_law
from mlqa.limited.nets import accuracy, encode, mlp_body, mlp_classifier, train_classifier
from mlqa.limited.self_supervised import pretrain_fill_in, probe_accuracy
from mlqa.limited.semi_supervised import label_spreading_predict
from mlqa.limited.techniques import TECHNIQUES, get_technique
from mlqa.limited.transfer import best_rates, style_transfer_experiment, thick_pen

__all__ = ["Split", "TechniqueResult", "digits_split", "split_labels", "TECHNIQUES", "get_technique",
           "accuracy", "encode", "mlp_body", "mlp_classifier", "train_classifier",
           "probe_accuracy", "pretrain_fill_in", "fit_power_law", "label_spreading_predict", "best_rates",
           "style_transfer_experiment",
           "thick_pen"]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {"q30-which-technique": "mlqa.limited.guide:guide_figure"}
