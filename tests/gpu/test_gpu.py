"""GPU checks, run with `pytest -m gpu` (scripts/gpu-check.sh): every notebook under nbval with
MLQA_DEVICE=cuda, and mlqa.parallel's launcher with NCCL at a world size equal to the GPUs present.

Skipped without CUDA, and skipped unless `-m` selects the gpu marker, so a plain `pytest` never runs them.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from mlqa.parallel import check_against_single_device, choose_backend, launch, run_strategy, sum_of_ranks

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("q*.ipynb"))
GPUS = torch.cuda.device_count() if torch.cuda.is_available() else 0

pytestmark = [pytest.mark.gpu, pytest.mark.skipif(GPUS == 0, reason="no CUDA GPU on this machine")]


@pytest.fixture(autouse=True)
def only_when_selected(request):
    """Run only under `-m gpu`: a plain `pytest` on a GPU machine must not rerun every notebook."""
    expression = request.config.getoption("markexpr", default="") or ""
    if "gpu" not in expression or "not gpu" in expression:
        pytest.skip("GPU checks run only with `pytest -m gpu` (scripts/gpu-check.sh)")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_cuda(notebook):
    env = {**os.environ, "MLQA_DEVICE": "cuda"}
    done = subprocess.run([sys.executable, "-m", "pytest", str(notebook), "-n", "0", "-m", "", "--nbval-lax",
                           "--nbval-current-env", "-p", "no:cacheprovider", "-q"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]


def test_launcher_uses_nccl_on_every_gpu():
    assert choose_backend(GPUS) == "nccl"
    assert launch(sum_of_ranks, GPUS) == [(rank, GPUS, float(sum(range(GPUS)))) for rank in range(GPUS)]


@pytest.mark.parametrize("strategy", ["dp-bucketed", "zero3", "ddp", "fsdp2", "tensor", "model", "1f1b"])
def test_strategies_train_like_one_device_under_nccl(strategy):
    if strategy in ("model", "1f1b") and not 2 <= GPUS <= 4:
        pytest.skip(f"{strategy} needs 2 to 4 ranks for the 4-layer reference MLP; {GPUS} GPU(s) here")
    if strategy == "tensor" and 4 % GPUS:
        pytest.skip(f"the reference block's 4 heads do not split over {GPUS} GPUs")
    result = run_strategy(strategy, GPUS, steps=3, optimizer="adam")
    assert result.backend == "nccl"
    assert check_against_single_device(result) < 1e-4  # GPU kernels sum in another order than the CPU reference
