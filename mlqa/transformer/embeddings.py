"""Position encodings and the input checks every model runs first (Q17)."""

import torch
from torch import Tensor


def sinusoidal_positions(num_positions: int, d_model: int) -> Tensor:
    """Fixed sine/cosine position codes of Vaswani et al. (2017), laid out [sin | cos] (Q17).

    The paper interleaves sines and cosines; putting all sines first (as Marian does) only permutes the
    feature dimensions, which the next linear layer absorbs.
    """
    if d_model % 2 != 0:
        raise ValueError(f"sinusoidal positions need an even d_model, got {d_model}")
    position = torch.arange(num_positions, dtype=torch.float64)[:, None]
    frequency = 10000.0 ** (-torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)
    angle = position * frequency
    return torch.cat([angle.sin(), angle.cos()], dim=-1).float()


def check_inputs(
    input_ids: Tensor,
    attention_mask: Tensor | None,
    vocab_size: int,
    max_positions: int,
    past_length: int = 0,
    name: str = "input_ids",
) -> None:
    """Raise ValueError naming the sizes when ids, length or mask do not fit the model (Q17)."""
    if input_ids.dim() != 2:
        raise ValueError(f"{name} must be (batch, seq), got shape {tuple(input_ids.shape)}")
    seq = input_ids.size(1)
    if past_length + seq > max_positions:
        raise ValueError(
            f"{name} reach position {past_length + seq} but the position table has {max_positions} rows"
        )
    if input_ids.numel() and (input_ids.min() < 0 or input_ids.max() >= vocab_size):
        raise ValueError(
            f"{name} must lie in [0, {vocab_size}), got values from {int(input_ids.min())} to {int(input_ids.max())}"
        )
    if attention_mask is not None and attention_mask.shape != input_ids.shape:
        raise ValueError(
            f"attention mask of shape {tuple(attention_mask.shape)} does not match {name} of shape "
            f"{tuple(input_ids.shape)}"
        )
