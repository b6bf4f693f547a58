"""Q9: generative model families side by side on 2-D toy data, measured the same way."""

from mlqa.generative.compare import FamilyResult, compare_families, measure
from mlqa.generative.data import gaussian_ring, make_dataset, ring_centers, two_moons
from mlqa.generative.diffusion import DDPMSchedule
from mlqa.generative.families import (
    FAMILIES,
    GAN,
    VAE,
    AffineCoupling,
    Autoregressive,
    Diffusion,
    EnergyModel,
    RealNVP,
    sample_single_gaussian,
)
from mlqa.generative.metrics import mmd_rbf, modes_covered, sliced_wasserstein

__all__ = [
    "FAMILIES",
    "GAN",
    "VAE",
    "AffineCoupling",
    "Autoregressive",
    "DDPMSchedule",
    "Diffusion",
    "EnergyModel",
    "FamilyResult",
    "RealNVP",
    "compare_families",
    "gaussian_ring",
    "make_dataset",
    "measure",
    "mmd_rbf",
    "modes_covered",
    "ring_centers",
    "sample_single_gaussian",
    "sliced_wasserstein",
    "two_moons",
]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {"q09-samples": "mlqa.generative.plots:samples_figure"}
