"""The DDPM noise schedule, forward noising, reverse step and a few-step DDIM sampler (Q9)."""

from __future__ import annotations

import math
from typing import Callable

import torch


class DDPMSchedule:
    """Cosine-schedule DDPM arithmetic (Nichol & Dhariwal 2021), as diffusers' 'squaredcos_cap_v2' (Q9)."""

    def __init__(self, timesteps: int = 100, max_beta: float = 0.999):
        if timesteps < 2:
            raise ValueError(f"a diffusion needs at least 2 timesteps, got {timesteps}")
        self.timesteps = timesteps

        def alpha_bar(t: float) -> float:
            return math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2

        self.betas = torch.tensor([min(1 - alpha_bar((i + 1) / timesteps) / alpha_bar(i / timesteps), max_beta)
                                   for i in range(timesteps)], dtype=torch.float32)
        self.alphas = 1.0 - self.betas
        self.alphas_cumprod = torch.cumprod(self.alphas, 0)

    def add_noise(self, x0: torch.Tensor, noise: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        """x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) noise (Q9)."""
        abar = self.alphas_cumprod[t].reshape(-1, *([1] * (x0.ndim - 1)))
        return abar.sqrt() * x0 + (1 - abar).sqrt() * noise

    def posterior(self, eps: torch.Tensor, t: int, x: torch.Tensor) -> tuple[torch.Tensor, float]:
        """Mean and variance of q(x_{t-1} | x_t, predicted x_0) (Q9)."""
        abar_t = self.alphas_cumprod[t]
        abar_prev = self.alphas_cumprod[t - 1] if t > 0 else torch.tensor(1.0)
        alpha_t = abar_t / abar_prev  # from the cumulative products, so that t = 0 returns the predicted x_0
        beta_t = 1 - alpha_t
        x0 = (x - (1 - abar_t).sqrt() * eps) / abar_t.sqrt()
        mean = (abar_prev.sqrt() * beta_t / (1 - abar_t)) * x0 + (alpha_t.sqrt() * (1 - abar_prev) / (1 - abar_t)) * x
        variance = float(((1 - abar_prev) / (1 - abar_t) * beta_t).clamp(min=1e-20))
        return mean, variance

    def step(self, eps: torch.Tensor, t: int, x: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        """One reverse step x_t -> x_{t-1}, adding `noise` scaled by the posterior std except at t = 0 (Q9)."""
        if not 0 <= t < self.timesteps:
            raise ValueError(f"timestep {t} outside 0..{self.timesteps - 1}")
        mean, variance = self.posterior(eps, t, x)
        return mean + (variance**0.5 * noise if t > 0 else 0.0)

    def ddim_sample(self, predict_noise: Callable, x: torch.Tensor, steps: int, clip: float = 4.0) -> torch.Tensor:
        """Deterministic DDIM sampling (Song et al. 2021) on `steps` evenly spaced timesteps (Q9).

        The predicted x_0 is clipped to [-clip, clip]: at the noisiest step sqrt(abar_t) is tiny, and dividing
        by it would blow up any error of the noise prediction.
        """
        if not 1 <= steps <= self.timesteps:
            raise ValueError(f"steps must be in 1..{self.timesteps}, got {steps}")
        times = torch.linspace(self.timesteps - 1, 0, steps).round().long().tolist()
        for i, t in enumerate(times):
            abar_t = self.alphas_cumprod[t]
            abar_next = self.alphas_cumprod[times[i + 1]] if i + 1 < len(times) else torch.tensor(1.0)
            eps = predict_noise(x, torch.full((len(x),), t))
            x0 = ((x - (1 - abar_t).sqrt() * eps) / abar_t.sqrt()).clamp(-clip, clip)
            eps = (x - abar_t.sqrt() * x0) / (1 - abar_t).sqrt()
            x = abar_next.sqrt() * x0 + (1 - abar_next).sqrt() * eps
        return x
