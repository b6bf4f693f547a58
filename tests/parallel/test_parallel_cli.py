"""`python -m mlqa.parallel` trains like one device, lists its strategies and rejects bad input clearly (Q7)."""

import os
import re
import shutil
import subprocess
import sys

import pytest
import torch

from mlqa.parallel import STRATEGIES
from mlqa.parallel.__main__ import main

CHECK_LINE = re.compile(r"^max abs param diff vs single device: (\S+)$")


def run_cli(*args: str, torchrun: int = 0, timeout: float = 180) -> subprocess.CompletedProcess:
    if torchrun:
        command = [shutil.which("torchrun") or "torchrun", "--standalone", f"--nproc-per-node={torchrun}",
                   "-m", "mlqa.parallel", *args]
    else:
        command = [sys.executable, "-m", "mlqa.parallel", *args]
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "OMP_NUM_THREADS": "1"}
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)


def last_line_diff(proc: subprocess.CompletedProcess) -> float:
    assert proc.returncode == 0, proc.stderr
    match = CHECK_LINE.match(proc.stdout.strip().splitlines()[-1])
    assert match, proc.stdout
    return float(match.group(1))


@pytest.mark.parametrize("strategy, world_size, optimizer", [("tensor", 2, "adam"), ("model", 4, "sgd")])
def test_check_matches_one_device(strategy, world_size, optimizer):
    proc = run_cli("--strategy", strategy, "--world-size", str(world_size), "--steps", "3",
                   "--optimizer", optimizer, "--check")
    assert last_line_diff(proc) < 1e-5
    assert f"strategy {strategy}: {world_size} ranks" in proc.stdout


@pytest.mark.skipif(shutil.which("torchrun") is None, reason="torchrun is not on PATH")
def test_same_module_under_torchrun():
    proc = run_cli("--strategy", "tensor", "--steps", "2", "--optimizer", "adam", "--check", torchrun=2)
    assert last_line_diff(proc) < 1e-5
    assert proc.stdout.count("max abs param diff") == 1  # only rank 0 reports


def run_main(capsys, *args: str) -> tuple[int, str, str]:
    """The CLI's entry point in this process (faster than a subprocess): exit code, stdout, stderr."""
    try:
        code = main(list(args))
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_every_strategy(capsys):
    code, out, _ = run_main(capsys, "--help")
    assert code == 0
    for name in STRATEGIES:
        assert re.search(rf"^\s+{re.escape(name)}\s", out, re.MULTILINE), name


def test_unknown_strategy(capsys):
    code, _, err = run_main(capsys, "--strategy", "warp-drive")
    assert code == 2
    assert "unknown strategy 'warp-drive'" in err and "tensor" in err


def test_world_size_not_dividing_heads(capsys):
    code, _, err = run_main(capsys, "--strategy", "tensor", "--world-size", "3", "--steps", "1")
    assert code == 1
    assert "n_heads=4 is not divisible by the world size 3" in err


@pytest.mark.skipif("dp-naive" not in STRATEGIES, reason="data parallelism is not registered")
def test_world_size_not_dividing_batch(capsys):
    code, _, err = run_main(capsys, "--strategy", "dp-naive", "--world-size", "3", "--steps", "1")
    assert code == 1
    assert re.search(r"batch size 32 .*world size 3", err), err


def test_more_ranks_than_gpus_under_nccl(capsys):
    ranks = torch.cuda.device_count() + 1
    code, _, err = run_main(capsys, "--strategy", "tensor", "--world-size", str(ranks), "--backend", "nccl")
    assert code == 2
    assert f"world_size={ranks} but {ranks - 1} CUDA GPU(s)" in err
