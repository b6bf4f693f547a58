"""Part IV, production and deployment: data-centric AI (Q21)."""

from mlqa.production.confident_learning import (
    confident_joint,
    find_label_issues,
    out_of_fold_pred_probs,
    precision_recall,
)
from mlqa.production.data_centric import NoiseRun, compare_arms, detect, noise_sweep
from mlqa.production.label_noise import NoisyDigits, inject_label_noise, noisy_digits

__all__ = [
    "confident_joint", "find_label_issues", "out_of_fold_pred_probs", "precision_recall",
    "NoiseRun", "compare_arms", "detect", "noise_sweep",
    "NoisyDigits", "inject_label_noise", "noisy_digits",
]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {"q21-label-issues": "mlqa.production.plots:label_noise_figure"}
