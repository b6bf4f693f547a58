"""Part IV, production and deployment: stateless and stateful training (Q20), data-centric AI (Q21),
speeding up inference (Q22) and data distribution shifts (Q23)."""

from mlqa.production.confident_learning import (
    confident_joint,
    find_label_issues,
    out_of_fold_pred_probs,
    precision_recall,
)
from mlqa.production.continual import History, compare_strategies, run_strategy
from mlqa.production.data_centric import NoiseRun, compare_arms, detect, noise_sweep
from mlqa.production.drift_tests import DRIFT_TESTS, TestResult, domain_classifier_test, ks_test, mmd_test
from mlqa.production.inference_model import DigitsModel, train_digits_mlp
from mlqa.production.label_noise import NoisyDigits, inject_label_noise, noisy_digits
from mlqa.production.loop_tiling import matmul, tiling_speedup
from mlqa.production.shift_correction import (
    bbse_class_weights,
    density_ratio_weights,
    effective_sample_size,
    em_target_priors,
    reweight_probs,
)
from mlqa.production.shifts import SHIFT_KINDS, Sample, draw
from mlqa.production.speedups import SpeedUp, fusion, onnx_runtime, quantise, throughput_by_batch, vectorisation
from mlqa.production.stateful_references import run_reference
from mlqa.production.stream import Window, wave_stream

__all__ = [
    "confident_joint", "find_label_issues", "out_of_fold_pred_probs", "precision_recall",
    "NoiseRun", "compare_arms", "detect", "noise_sweep",
    "NoisyDigits", "inject_label_noise", "noisy_digits",
    "DRIFT_TESTS", "TestResult", "domain_classifier_test", "ks_test", "mmd_test",
    "bbse_class_weights", "density_ratio_weights", "effective_sample_size", "em_target_priors", "reweight_probs",
    "SHIFT_KINDS", "Sample", "draw",
    "DigitsModel", "train_digits_mlp", "matmul", "tiling_speedup",
    "SpeedUp", "fusion", "onnx_runtime", "quantise", "throughput_by_batch", "vectorisation",
    "History", "compare_strategies", "run_strategy", "run_reference", "Window", "wave_stream",
]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {
    "q20-drifting-stream": "mlqa.production.continual_plots:stream_figure",
    "q21-label-issues": "mlqa.production.plots:label_noise_figure",
    "q22-batching": "mlqa.production.inference_plots:throughput_figure",
    "q23-shifts": "mlqa.production.shift_plots:shifts_figure",
}
