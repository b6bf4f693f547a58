"""Seven families of generative models, each small enough to train on 2-D data in seconds (Q9).

Every model has `fit(data, steps, batch_size, seed)`, `sample(n, seed)` and `evaluations_per_sample` (network
calls to draw one sample); the flow and the autoregressive model also have an exact `log_prob`.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from mlqa.generative.diffusion import DDPMSchedule
from mlqa.generative.nets import fit_loss, mlp, train_steps


class EnergyModel(nn.Module):
    """An energy-based model trained by denoising score matching and sampled with Langevin dynamics (Q9)."""

    name = "energy-based (Langevin)"

    def __init__(self, sigma: float = 0.1, langevin_steps: int = 200, step_size: float = 0.003):
        super().__init__()
        self.energy = mlp(2, 1)
        self.sigma, self.langevin_steps, self.step_size = sigma, langevin_steps, step_size
        self.evaluations_per_sample = langevin_steps

    def score(self, x: torch.Tensor, create_graph: bool = False) -> torch.Tensor:
        """Minus the gradient of the energy: the direction of higher density (Q9)."""
        x = x.requires_grad_(True)
        return -torch.autograd.grad(self.energy(x).sum(), x, create_graph=create_graph)[0]

    def fit(self, data, steps=1000, batch_size=256, seed=0, progress=False):
        """Denoising score matching: the score at a noised point should point back to the clean one (Q9)."""
        def loss(x):
            noise = torch.randn_like(x) * self.sigma
            error = ((self.score(x + noise, create_graph=True) + noise / self.sigma**2) ** 2).sum(1).mean()
            return error * self.sigma**2

        return fit_loss(self, loss, data, steps, batch_size, seed, progress)

    def sample(self, n, seed=0):
        """Langevin dynamics from uniform noise over the data's box (Q9)."""
        g = torch.Generator().manual_seed(seed)
        x = torch.rand(n, 2, generator=g) * 6 - 3
        for _ in range(self.langevin_steps):
            noise = torch.randn(n, 2, generator=g)
            x = (x + 0.5 * self.step_size * self.score(x) + math.sqrt(self.step_size) * noise).detach()
        return x


class VAE(nn.Module):
    """A variational autoencoder with a 2-D latent space and a Gaussian decoder (Q9)."""

    name = "VAE"
    evaluations_per_sample = 1

    def __init__(self, latent: int = 2):
        super().__init__()
        self.encoder, self.decoder = mlp(2, 2 * latent), mlp(latent, 2)
        self.log_var = nn.Parameter(torch.tensor(-2.0))
        self.latent = latent

    def fit(self, data, steps=1000, batch_size=256, seed=0, progress=False):
        """Maximise the evidence lower bound with the reparameterisation trick (Q9)."""
        def loss(x):
            mu, log_var = self.encoder(x).chunk(2, 1)
            z = mu + torch.randn_like(mu) * (0.5 * log_var).exp()
            recon = 0.5 * (((x - self.decoder(z)) ** 2) / self.log_var.exp() + self.log_var).sum(1)
            kl = 0.5 * (mu**2 + log_var.exp() - 1 - log_var).sum(1)
            return (recon + kl).mean()

        return fit_loss(self, loss, data, steps, batch_size, seed, progress)

    @torch.no_grad()
    def sample(self, n, seed=0):
        g = torch.Generator().manual_seed(seed)
        mean = self.decoder(torch.randn(n, self.latent, generator=g))
        return mean + torch.randn(n, 2, generator=g) * (0.5 * self.log_var).exp()


class GAN(nn.Module):
    """A generative adversarial network with the non-saturating generator loss (Q9)."""

    name = "GAN"
    evaluations_per_sample = 1

    def __init__(self, noise_dim: int = 2):
        super().__init__()
        self.generator, self.discriminator = mlp(noise_dim, 2), mlp(2, 1)
        self.noise_dim = noise_dim

    def fit(self, data, steps=1000, batch_size=256, seed=0, progress=False):
        """One discriminator and one generator update per step (Q9)."""
        torch.manual_seed(seed)
        opt_g = torch.optim.Adam(self.generator.parameters(), lr=1e-3, betas=(0.5, 0.999))
        opt_d = torch.optim.Adam(self.discriminator.parameters(), lr=1e-3, betas=(0.5, 0.999))
        bce = nn.functional.binary_cross_entropy_with_logits

        def step(x):
            fake = self.generator(torch.randn(len(x), self.noise_dim))
            real_logits, fake_logits = self.discriminator(x), self.discriminator(fake.detach())
            loss_d = bce(real_logits, torch.ones_like(real_logits)) + bce(fake_logits, torch.zeros_like(fake_logits))
            opt_d.zero_grad()
            loss_d.backward()
            opt_d.step()
            logits = self.discriminator(fake)
            loss_g = bce(logits, torch.ones_like(logits))
            opt_g.zero_grad()
            loss_g.backward()
            opt_g.step()
            return loss_g.item()

        return train_steps(step, data, steps, batch_size, seed, progress, self.name)

    @torch.no_grad()
    def sample(self, n, seed=0):
        g = torch.Generator().manual_seed(seed)
        return self.generator(torch.randn(n, self.noise_dim, generator=g))


class AffineCoupling(nn.Module):
    """x_b' = x_b * exp(s(x_a)) + t(x_a), with x_a passed through unchanged (RealNVP, Dinh et al. 2017) (Q9)."""

    def __init__(self, keep: int):
        super().__init__()
        self.keep = keep
        self.net = mlp(1, 2)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The transformed points and log |det J| per point (Q9)."""
        a, b = x[:, self.keep:self.keep + 1], x[:, 1 - self.keep:2 - self.keep]
        s, t = self.net(a).chunk(2, 1)
        s = torch.tanh(s)
        out = torch.empty_like(x)
        out[:, self.keep:self.keep + 1], out[:, 1 - self.keep:2 - self.keep] = a, b * s.exp() + t
        return out, s.squeeze(1)

    def inverse(self, y: torch.Tensor) -> torch.Tensor:
        a, b = y[:, self.keep:self.keep + 1], y[:, 1 - self.keep:2 - self.keep]
        s, t = self.net(a).chunk(2, 1)
        out = torch.empty_like(y)
        out[:, self.keep:self.keep + 1], out[:, 1 - self.keep:2 - self.keep] = a, (b - t) * (-torch.tanh(s)).exp()
        return out


class RealNVP(nn.Module):
    """A normalising flow of affine couplings: exact likelihood by the change of variables (Q9)."""

    name = "flow (RealNVP)"

    def __init__(self, n_layers: int = 6):
        super().__init__()
        self.layers = nn.ModuleList(AffineCoupling(i % 2) for i in range(n_layers))
        self.evaluations_per_sample = n_layers

    def to_base(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Map data to the base Gaussian; return the base points and the summed log |det J| (Q9)."""
        log_det = torch.zeros(len(x))
        for layer in self.layers:
            x, ld = layer(x)
            log_det = log_det + ld
        return x, log_det

    def log_prob(self, x: torch.Tensor) -> torch.Tensor:
        """Exact log density: base log density of f(x) plus log |det df/dx| (Q9)."""
        z, log_det = self.to_base(x)
        return -0.5 * (z**2).sum(1) - math.log(2 * math.pi) + log_det

    def fit(self, data, steps=1000, batch_size=256, seed=0, progress=False):
        return fit_loss(self, lambda x: -self.log_prob(x).mean(), data, steps, batch_size, seed, progress, lr=2e-3)

    @torch.no_grad()
    def sample(self, n, seed=0):
        z = torch.randn(n, 2, generator=torch.Generator().manual_seed(seed))
        for layer in reversed(self.layers):
            z = layer.inverse(z)
        return z


class Autoregressive(nn.Module):
    """p(x1) p(x2 | x1) over a grid of bins: an exact, piecewise-constant density (Q9)."""

    name = "autoregressive"
    evaluations_per_sample = 2

    def __init__(self, bins: int = 64, low: float = -3.0, high: float = 3.0):
        super().__init__()
        self.bins, self.low, self.high = bins, low, high
        self.first = nn.Parameter(torch.zeros(bins))
        self.second = nn.Sequential(nn.Embedding(bins, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                                    nn.Linear(64, bins))

    @property
    def bin_width(self) -> float:
        return (self.high - self.low) / self.bins

    def to_bins(self, x: torch.Tensor) -> torch.Tensor:
        return ((x - self.low) / self.bin_width).long().clamp(0, self.bins - 1)

    def log_prob(self, x: torch.Tensor) -> torch.Tensor:
        """Exact log density of the binned model at x (log of bin probabilities over bin area) (Q9)."""
        b = self.to_bins(x)
        log_p1 = self.first.log_softmax(0)[b[:, 0]]
        log_p2 = self.second(b[:, 0]).log_softmax(1).gather(1, b[:, 1:2]).squeeze(1)
        return log_p1 + log_p2 - 2 * math.log(self.bin_width)

    def fit(self, data, steps=1000, batch_size=256, seed=0, progress=False):
        return fit_loss(self, lambda x: -self.log_prob(x).mean(), data, steps, batch_size, seed, progress, lr=5e-3)

    @torch.no_grad()
    def sample(self, n, seed=0):
        """Draw x1's bin, then x2's bin given it, then a uniform point inside the chosen cell (Q9)."""
        g = torch.Generator().manual_seed(seed)
        b1 = torch.multinomial(self.first.softmax(0), n, replacement=True, generator=g)
        b2 = torch.multinomial(self.second(b1).softmax(1), 1, generator=g).squeeze(1)
        cells = torch.stack([b1, b2], 1).float() + torch.rand(n, 2, generator=g)
        return self.low + cells * self.bin_width


class Diffusion(nn.Module):
    """A denoising diffusion model (DDPM, Ho et al. 2020) with a cosine noise schedule (Q9)."""

    name = "diffusion (DDPM)"

    def __init__(self, timesteps: int = 100, sampling_steps: int | None = None):
        super().__init__()
        self.schedule = DDPMSchedule(timesteps)
        self.eps_model = mlp(2 + 16, 2, hidden=128, depth=4)
        self.register_buffer("frequencies", torch.exp(torch.linspace(0, math.log(100), 8)))
        self.sampling_steps = sampling_steps
        self.evaluations_per_sample = sampling_steps or timesteps
        if sampling_steps:
            self.name = f"diffusion, {sampling_steps}-step DDIM"

    def predict_noise(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        """The noise the network sees in x at step t, with t given as sinusoidal features (Q9)."""
        angles = (t.float() / self.schedule.timesteps)[:, None] * self.frequencies
        return self.eps_model(torch.cat([x, angles.sin(), angles.cos()], 1))

    def fit(self, data, steps=1000, batch_size=256, seed=0, progress=False):
        """Learn to predict the noise that was added at a random step (Q9)."""
        def loss(x):
            t = torch.randint(0, self.schedule.timesteps, (len(x),))
            noise = torch.randn_like(x)
            return ((self.predict_noise(self.schedule.add_noise(x, noise, t), t) - noise) ** 2).mean()

        return fit_loss(self, loss, data, steps, batch_size, seed, progress)

    @torch.no_grad()
    def sample(self, n, seed=0):
        g = torch.Generator().manual_seed(seed)
        x = torch.randn(n, 2, generator=g)
        if self.sampling_steps:
            return self.schedule.ddim_sample(self.predict_noise, x, self.sampling_steps)
        for t in reversed(range(self.schedule.timesteps)):
            eps = self.predict_noise(x, torch.full((n,), t))
            x = self.schedule.step(eps, t, x, noise=torch.randn(n, 2, generator=g))
        return x


def sample_single_gaussian(data: torch.Tensor, n: int, seed: int = 0) -> torch.Tensor:
    """The baseline: samples of one Gaussian fitted to the data's mean and covariance (Q9)."""
    dist = torch.distributions.MultivariateNormal(data.mean(0), torch.cov(data.T))
    torch.manual_seed(seed)
    return dist.sample((n,))


FAMILIES = {
    "energy": EnergyModel,
    "vae": VAE,
    "gan": GAN,
    "flow": RealNVP,
    "autoregressive": Autoregressive,
    "diffusion": Diffusion,
    "ddim": lambda: Diffusion(sampling_steps=20),
}
