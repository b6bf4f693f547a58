"""Each inference speed-up the chapter names, measured side by side on the CPU, with its accuracy cost (Q22).

Times are medians of repeated calls measured in one run, on one thread (so that the comparison is per core and
other processes disturb it less); only their ratios mean anything, and they vary between machines, so nothing here
asserts a time.
"""

from __future__ import annotations

import io
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch
from torch import nn

from mlqa.production.inference_model import DigitsModel
from mlqa.utils import torch_threads


@dataclass
class SpeedUp:
    """One technique: seconds before and after, and the change in test accuracy (0 where exact) (Q22)."""

    name: str
    baseline_seconds: float
    fast_seconds: float
    accuracy_change: float = 0.0

    @property
    def speedup(self) -> float:
        """How many times faster the technique is (Q22)."""
        return self.baseline_seconds / self.fast_seconds


def median_seconds(fn: Callable[[], object], repeat: int = 7, warmup: int = 1) -> float:
    """Median wall time of `fn()` over `repeat` calls after `warmup` calls (Q22)."""
    if repeat < 1:
        raise ValueError(f"repeat must be >= 1, got {repeat}")
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


@torch_threads()
def throughput_by_batch(digits: DigitsModel, batch_sizes: tuple[int, ...] = (1, 4, 16, 64, 256)) -> dict[int, float]:
    """Samples per second when the test set is fed in batches of each size (Q22)."""
    X = digits.X_test[:256]
    result = {}
    with torch.inference_mode():
        for size in batch_sizes:
            batches = X.split(size)
            seconds = median_seconds(lambda batches=batches: [digits.model(b) for b in batches], repeat=3)
            result[size] = len(X) / seconds
    return result


def _manual_mlp(model: nn.Sequential, x: torch.Tensor) -> torch.Tensor:
    """The MLP one sample at a time with Python loops over the hidden units' dot products (Q22)."""
    h = x
    for layer in model:
        if isinstance(layer, nn.Linear):
            h = torch.stack([(layer.weight[j] * h).sum() + layer.bias[j] for j in range(layer.out_features)])
        else:
            h = torch.relu(h)
    return h


@torch_threads()
def vectorisation(digits: DigitsModel, n_samples: int = 4) -> tuple[SpeedUp, float]:
    """Python loops over units against one tensor call, on `n_samples` inputs; also their largest difference (Q22)."""
    X = digits.X_test[:n_samples]
    with torch.inference_mode():
        looped = torch.stack([_manual_mlp(digits.model, x) for x in X])
        difference = float((looped - digits.model(X)).abs().max())
        slow = median_seconds(lambda: [_manual_mlp(digits.model, x) for x in X], repeat=1, warmup=0)
        fast = median_seconds(lambda: digits.model(X))
    return SpeedUp("vectorisation", slow, fast), difference


def _unfused_layer_norm(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    mean = x.mean(-1, keepdim=True)
    centred = x - mean
    variance = (centred * centred).mean(-1, keepdim=True)
    return centred / torch.sqrt(variance + eps) * weight + bias


def _unfused_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    scores = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5
    return torch.softmax(scores, dim=-1) @ v


@torch_threads()
def fusion(seed: int = 0) -> tuple[list[SpeedUp], dict[str, float]]:
    """Fused kernels (layer_norm, scaled_dot_product_attention) against the same maths as separate ops (Q22)."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(256, 64, 512, generator=generator)
    weight, bias = torch.randn(512, generator=generator), torch.randn(512, generator=generator)
    q, k, v = (torch.randn(8, 8, 256, 64, generator=generator) for _ in range(3))
    pairs = {"fusion: layer norm": (lambda: _unfused_layer_norm(x, weight, bias),
                                    lambda: nn.functional.layer_norm(x, (512,), weight, bias)),
             "fusion: attention": (lambda: _unfused_attention(q, k, v),
                                   lambda: nn.functional.scaled_dot_product_attention(q, k, v))}
    results, differences = [], {}
    with torch.inference_mode():
        for name, (unfused, fused) in pairs.items():
            differences[name] = float((unfused() - fused()).abs().max())
            results.append(SpeedUp(name, median_seconds(unfused, repeat=5), median_seconds(fused, repeat=5)))
    return results, differences


@torch_threads()
def quantise(digits: DigitsModel) -> tuple[nn.Module, SpeedUp, dict[str, int]]:
    """Dynamic int8 quantisation of the linear layers: the model, speed and accuracy change, sizes in bytes (Q22)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao.quantization is deprecated in favour of torchao
        quantised = torch.ao.quantization.quantize_dynamic(digits.model, {nn.Linear}, dtype=torch.qint8)
    X = digits.X_test.repeat(4, 1)
    with torch.inference_mode():
        speed = SpeedUp("dynamic int8 quantisation", median_seconds(lambda: digits.model(X)),
                        median_seconds(lambda: quantised(X)), digits.accuracy(quantised) - digits.accuracy())
    return quantised, speed, {"float32": _state_bytes(digits.model), "int8": _state_bytes(quantised)}


def _state_bytes(model: nn.Module) -> int:
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.getbuffer().nbytes


@torch_threads()
def onnx_runtime(digits: DigitsModel, path: str | Path) -> tuple[SpeedUp, float]:
    """Export to ONNX, run with onnxruntime: its speed against torch and the largest output difference (Q22)."""
    import onnxruntime

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(digits.model, (digits.X_test[:1],), str(path), dynamo=False, input_names=["x"],
                          output_names=["logits"], dynamic_axes={"x": {0: "batch"}})
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    X = digits.X_test.repeat(4, 1)
    inputs = {"x": X.numpy()}
    with torch.inference_mode():
        reference = digits.model(X).numpy()
        difference = float(np.abs(session.run(None, inputs)[0] - reference).max())
        speed = SpeedUp("ONNX Runtime", median_seconds(lambda: digits.model(X)),
                        median_seconds(lambda: session.run(None, inputs)))
    return speed, difference
