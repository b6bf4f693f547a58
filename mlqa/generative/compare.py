"""Train every family on the same data with the same budget and measure their samples (Q9)."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from tqdm.auto import tqdm

from mlqa.generative.data import make_dataset
from mlqa.generative.families import FAMILIES, sample_single_gaussian
from mlqa.generative.metrics import mmd_rbf, modes_covered, sliced_wasserstein


@dataclass(frozen=True)
class FamilyResult:
    """One family's measurements on held-out data (Q9)."""

    family: str
    name: str
    sliced_wasserstein: float
    mmd: float
    modes: int
    good_share: float
    test_log_likelihood: float | None
    evaluations_per_sample: int
    train_seconds: float


def measure(family: str, name: str, samples: torch.Tensor, test: torch.Tensor, log_likelihood=None,
            evaluations: int = 0, seconds: float = 0.0) -> FamilyResult:
    """Distances, modes covered and the share of good samples, against held-out points (Q9)."""
    modes, good = modes_covered(samples)
    return FamilyResult(family, name, sliced_wasserstein(samples, test), mmd_rbf(samples, test), modes, good,
                        log_likelihood, evaluations, seconds)


def compare_families(data: str = "ring", families=tuple(FAMILIES), steps: int = 1000, n_train: int = 4000,
                     n_samples: int = 1000, seed: int = 0, progress: bool = True):
    """Fit each family with the same data, steps and batch size; return results and samples by family (Q9)."""
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        raise ValueError(f"unknown families {unknown}; known: {', '.join(FAMILIES)}")
    train, test = make_dataset(data, n_train, seed), make_dataset(data, n_samples, seed + 1000)
    baseline = sample_single_gaussian(train, n_samples, seed)
    results = [measure("gaussian", "single Gaussian (baseline)", baseline, test, evaluations=1)]
    samples = {"gaussian": baseline}
    trained = {}
    for family in tqdm(families, desc="families", disable=not progress):
        if family == "ddim" and "diffusion" in trained:
            model = FAMILIES["ddim"]()
            model.load_state_dict(trained["diffusion"].state_dict())  # the same network, a few-step sampler
            seconds = 0.0
        else:
            torch.manual_seed(seed)
            model = FAMILIES[family]()
            _, seconds = model.fit(train, steps=steps, seed=seed)
        trained[family] = model
        samples[family] = model.sample(n_samples, seed).detach()
        with torch.no_grad():
            log_lik = float(model.log_prob(test).mean()) if hasattr(model, "log_prob") else None
        results.append(measure(family, model.name, samples[family], test, log_lik, model.evaluations_per_sample,
                               seconds))
    return results, samples, test
