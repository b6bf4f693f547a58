"""Each source of randomness in training, isolated: one seed per source, all others held fixed (Q10)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass, replace

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from mlqa.randomness.data import digits_tensors
from mlqa.utils import torch_threads

# The seeded choices of one training run, in the order a reader meets them.
SOURCES = ("split", "init", "order", "dropout")
SOURCE_NAMES = {"split": "train/test split", "init": "weight initialisation", "order": "data order (shuffling)",
                "dropout": "dropout masks", "all": "all four together"}


@dataclass(frozen=True)
class SeedPlan:
    """One seed for each source of randomness of a training run (Q10)."""

    split: int = 0
    init: int = 0
    order: int = 0
    dropout: int = 0

    def varying(self, source: str, seed: int) -> SeedPlan:
        """The same plan with only `source` (or 'all' sources) set to `seed` (Q10)."""
        if source == "all":
            return SeedPlan(seed, seed, seed, seed)
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}; known: {', '.join(SOURCES)} or 'all'")
        return replace(self, **{source: seed})


@dataclass(frozen=True)
class RunResult:
    """Test accuracy of one training run and a fingerprint of its final weights (Q10)."""

    accuracy: float
    weights_sha: str


def make_mlp(init_seed: int, hidden: int = 64, dropout: float = 0.3) -> nn.Sequential:
    """A small MLP for 8x8 digits whose initial weights depend only on `init_seed` (Q10)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(init_seed)
        return nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden, 10))


def weights_fingerprint(model: nn.Module) -> str:
    """A short hash of every parameter's bits: equal only for bit-identical weights (Q10)."""
    digest = hashlib.sha256()
    for p in model.parameters():
        digest.update(p.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()[:16]


def train_once(plan: SeedPlan = SeedPlan(), epochs: int = 15, batch_size: int = 64, lr: float = 0.05,
               device: str | torch.device = "cpu") -> RunResult:
    """Train the MLP with SGD on digits, each random choice drawn from its own seed in `plan` (Q10)."""
    return train_model(plan, epochs, batch_size, lr, device)[1]


def train_model(plan: SeedPlan = SeedPlan(), epochs: int = 15, batch_size: int = 64, lr: float = 0.05,
                device: str | torch.device = "cpu") -> tuple[nn.Module, RunResult]:
    """`train_once`, also returning the trained model (in eval mode) (Q10)."""
    if torch.device(device).type == "cpu" and torch.get_num_threads() > 1:
        # A model this small trains fastest on one thread (and the thread count is studied separately).
        with torch_threads(1):
            return train_model(plan, epochs, batch_size, lr, device)
    if epochs < 1 or batch_size < 1:
        raise ValueError(f"epochs and batch_size must be positive, got {epochs} and {batch_size}")
    X_train, y_train, X_test, y_test = (t.to(device) for t in digits_tensors(plan.split))
    model = make_mlp(plan.init).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    order = torch.Generator().manual_seed(plan.order)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(plan.dropout)  # after this, only dropout draws from the global generator
        if torch.device(device).type == "cuda":
            torch.cuda.manual_seed_all(plan.dropout)
        model.train()
        for _ in range(epochs):
            for batch in torch.randperm(len(X_train), generator=order).split(batch_size):
                batch = batch.to(device)
                loss = nn.functional.cross_entropy(model(X_train[batch]), y_train[batch])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
    model.eval()
    with torch.no_grad():
        accuracy = (model(X_test).argmax(1) == y_test).float().mean().item()
    return model, RunResult(accuracy, weights_fingerprint(model))


def mc_dropout_entropy(model: nn.Module, X: torch.Tensor, n_samples: int = 30, seed: int = 0) -> torch.Tensor:
    """Predictive entropy per example with dropout left on at inference (Monte Carlo dropout) (Q10)."""
    if n_samples < 2:
        raise ValueError(f"Monte Carlo dropout needs at least 2 samples, got {n_samples}")
    model.train()
    try:
        with torch.no_grad(), torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            probs = torch.stack([model(X).softmax(-1) for _ in range(n_samples)]).mean(0)
    finally:
        model.eval()
    return -(probs * probs.clamp_min(1e-12).log()).sum(-1)


def spread_by_source(seeds: range | list[int] = range(5), sources=(*SOURCES, "all"), progress: bool = True,
                     **train_kwargs) -> dict[str, list[float]]:
    """Test accuracies with one source varied over `seeds` and the others held at seed 0 (Q10)."""
    if len(seeds) < 2:
        raise ValueError(f"a spread needs at least 2 seeds, got {len(seeds)}")
    jobs = [(s, seed) for s in sources for seed in seeds]
    results: dict[str, list[float]] = {s: [] for s in sources}
    for source, seed in tqdm(jobs, desc="training runs", disable=not progress):
        results[source].append(train_once(SeedPlan().varying(source, seed), **train_kwargs).accuracy)
    return results


def run_in_fresh_process(env: dict[str, str] | None = None, plan: SeedPlan = SeedPlan(), timeout: float = 120,
                         **train_kwargs) -> RunResult:
    """`train_once` in a new Python process with extra environment variables, e.g. other CPU kernels (Q10)."""
    payload = json.dumps({"plan": asdict(plan), "kwargs": train_kwargs})
    code = ("import json,sys; from mlqa.randomness.sources import SeedPlan, train_once; "
            "a=json.loads(sys.argv[1]); r=train_once(SeedPlan(**a['plan']), **a['kwargs']); "
            "print(json.dumps([r.accuracy, r.weights_sha]))")
    done = subprocess.run([sys.executable, "-c", code, payload], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
    if done.returncode != 0:
        raise RuntimeError(f"the training process failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    accuracy, sha = json.loads(done.stdout.strip().splitlines()[-1])
    return RunResult(accuracy, sha)


def cpu_capability() -> str:
    """The SIMD level PyTorch's CPU kernels use here, e.g. 'AVX512' or 'DEFAULT' (Q10)."""
    return torch.backends.cpu.get_cpu_capability()


def summarize(spread: dict[str, list[float]]) -> dict[str, tuple[float, float]]:
    """Mean and standard deviation (ddof=1) of each source's accuracies (Q10)."""
    return {s: (float(np.mean(a)), float(np.std(a, ddof=1))) for s, a in spread.items()}
