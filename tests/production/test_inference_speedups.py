"""Q22: each speed-up computes the same thing (or states its accuracy cost); no timing is asserted here."""

import numpy as np
import pytest
import torch

from mlqa.production.inference_model import train_digits_mlp
from mlqa.production.loop_tiling import matmul
from mlqa.production.speedups import fusion, median_seconds, onnx_runtime, quantise, vectorisation


@pytest.fixture(scope="module")
def digits():
    return train_digits_mlp(hidden=128, epochs=5)


@pytest.mark.parametrize("tile", [None, 7, 32])
def test_matmul_kernels_equal_numpy(tile):
    rng = np.random.default_rng(0)
    A, B = rng.standard_normal((50, 50)), rng.standard_normal((50, 50))
    assert np.allclose(matmul(A, B, tile), A @ B, atol=1e-10)


def test_bad_input_names_the_values():
    with pytest.raises(ValueError, match=r"\(3, 3\).*\(3, 4\)"):
        matmul(np.zeros((3, 3)), np.zeros((3, 4)))
    with pytest.raises(ValueError, match="repeat"):
        median_seconds(lambda: None, repeat=0)


def test_vectorised_and_fused_match_the_loops(digits):
    _, difference = vectorisation(digits, n_samples=2)
    assert difference < 1e-5
    _, differences = fusion()
    assert all(d < 1e-4 for d in differences.values()), differences


def test_quantised_model_is_smaller_and_about_as_accurate(digits):
    quantised, speed, sizes = quantise(digits)
    assert sizes["int8"] < 0.35 * sizes["float32"]
    assert speed.accuracy_change > -0.02
    with torch.no_grad():
        assert torch.equal(quantised(digits.X_test).argmax(1)[:5], quantised(digits.X_test[:5]).argmax(1))


def test_onnx_runtime_outputs_match_torch(digits, tmp_path):
    _, difference = onnx_runtime(digits, tmp_path / "mlp.onnx")
    assert difference < 1e-4
