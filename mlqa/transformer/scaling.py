"""A toy scaling study: GPTs of growing width on a fixed corpus and step budget, and a power-law fit (Q8)."""

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from tqdm.auto import tqdm

from mlqa.transformer.gpt import GPT, DecoderConfig
from mlqa.transformer.synthetic_language import MarkovLanguage
from mlqa.transformer.train import train_gpt


def non_embedding_parameters(model: GPT) -> int:
    """Parameters outside the token and position tables, as counted by Kaplan et al. (2020) (Q8)."""
    embedding = model.token_embedding.weight.numel() + model.position_embedding.weight.numel()
    return sum(p.numel() for p in model.parameters()) - embedding


@torch.no_grad()
def next_token_loss(model: GPT, rows: torch.Tensor, skip: int) -> float:
    """Mean cross-entropy (nats) of predicting positions >= skip from their prefixes (Q8)."""
    model.eval()
    logits = model(rows[:, :-1])[:, skip - 1 :]
    return F.cross_entropy(logits.flatten(0, 1), rows[:, skip:].flatten()).item()


@dataclass
class PowerLaw:
    """reducible loss = coefficient * N ** (-exponent), fitted in log-log space, with its R² (Q8)."""

    coefficient: float
    exponent: float
    r_squared: float

    def __call__(self, parameters: np.ndarray) -> np.ndarray:
        return self.coefficient * np.asarray(parameters, dtype=float) ** -self.exponent


def fit_power_law(parameters: np.ndarray, reducible_loss: np.ndarray) -> PowerLaw:
    """Least squares line through (log N, log loss) (Q8)."""
    parameters, reducible_loss = np.asarray(parameters, float), np.asarray(reducible_loss, float)
    if len(parameters) != len(reducible_loss) or len(parameters) < 3 or (reducible_loss <= 0).any():
        raise ValueError(f"need >= 3 matching positive points, got {len(parameters)} sizes and losses "
                         f"{reducible_loss.tolist()}")
    x, y = np.log(parameters), np.log(reducible_loss)
    slope, intercept = np.polyfit(x, y, 1)
    residual = y - (slope * x + intercept)
    r_squared = 1 - (residual**2).sum() / ((y - y.mean()) ** 2).sum()
    return PowerLaw(float(np.exp(intercept)), float(-slope), float(r_squared))


@dataclass
class ScalingResult:
    """Sizes, non-embedding parameters, test losses, the entropy floor and the fitted law (Q8)."""

    widths: tuple[int, ...]
    parameters: np.ndarray
    losses: np.ndarray
    floor: float
    law: PowerLaw

    @property
    def reducible(self) -> np.ndarray:
        """Test loss minus the entropy floor."""
        return self.losses - self.floor


def scaling_study(
    language: MarkovLanguage, widths: tuple[int, ...] = (4, 8, 16, 32, 64), steps: int = 150,
    num_train: int = 4000, length: int = 24, lr: float = 1e-2, seed: int = 0,
    device: torch.device | str = "cpu", progress: bool = True,
) -> ScalingResult:
    """Train one-layer GPTs of each width (d_ff = 2 * width) for the same steps on the same corpus (Q8)."""
    if len(widths) < 3 or any(w < 2 or w % 2 for w in widths):
        raise ValueError(f"need >= 3 even widths >= 2, got {widths}")
    train = language.sample(num_train, length, seed).to(device)
    test = language.sample(1000, length, seed + 1)
    floor = language.floor_loss(test)
    parameters, losses = [], []
    for width in tqdm(widths, desc="model sizes", disable=not progress):
        torch.manual_seed(seed)
        config = DecoderConfig(language.vocab_size, d_model=width, num_layers=1, num_heads=2, d_ff=2 * width,
                               max_positions=length, dropout=0.0)
        model = GPT(config).to(device)
        train_gpt(model, train, pad_id=-1, steps=steps, lr=lr, seed=seed, progress=False)
        parameters.append(non_embedding_parameters(model))
        losses.append(next_token_loss(model, test.to(device), language.order))
    parameters, losses = np.array(parameters), np.array(losses)
    return ScalingResult(tuple(widths), parameters, losses, floor, fit_power_law(parameters, losses - floor))
