"""LoRA written out (Hu et al. 2021): a frozen linear layer plus a trainable low-rank update B A (Q18)."""

import math

import torch
from torch import Tensor, nn


class LoRALinear(nn.Module):
    """y = W x + b + (alpha / rank) B A x with W, b frozen, A (rank, in) random, B (out, rank) zero (Q18)."""

    def __init__(self, base: nn.Linear, rank: int, alpha: float):
        super().__init__()
        if rank < 1 or rank > min(base.in_features, base.out_features):
            raise ValueError(f"rank must lie in 1..{min(base.in_features, base.out_features)}, got {rank}")
        self.base = base
        for parameter in base.parameters():
            parameter.requires_grad_(False)
        self.lora_A = nn.Parameter(torch.empty(rank, base.in_features, device=base.weight.device))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, rank, device=base.weight.device))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))  # the same draw as peft's and nn.Linear's default
        self.scaling = alpha / rank

    def forward(self, x: Tensor) -> Tensor:
        """The frozen layer's output plus the scaled low-rank update."""
        return self.base(x) + (x @ self.lora_A.T @ self.lora_B.T) * self.scaling

    def delta_weight(self) -> Tensor:
        """The (out, in) matrix the adapter adds to W: scaling x B A."""
        return self.lora_B @ self.lora_A * self.scaling

    def merged(self) -> nn.Linear:
        """A plain linear layer with W + scaling B A folded in: same outputs, no extra cost at inference."""
        layer = nn.Linear(self.base.in_features, self.base.out_features, bias=self.base.bias is not None,
                          device=self.base.weight.device)
        with torch.no_grad():
            layer.weight.copy_(self.base.weight + self.delta_weight())
            if self.base.bias is not None:
                layer.bias.copy_(self.base.bias)
        return layer


def replace_linears(model: nn.Module, targets: tuple[str, ...], wrap) -> list[str]:
    """Replace every nn.Linear whose own name is in `targets` by `wrap(layer)`; return the full names (Q18)."""
    found = [(name, module) for name, module in model.named_modules()
             if isinstance(module, nn.Linear) and name.rsplit(".", 1)[-1] in targets]
    if not found:
        raise ValueError(f"no nn.Linear named {list(targets)} in {type(model).__name__}")
    for name, layer in found:
        parent_name, _, child = name.rpartition(".")
        setattr(model.get_submodule(parent_name) if parent_name else model, child, wrap(layer))
    return [name for name, _ in found]


def add_lora(
    model: nn.Module, rank: int = 8, alpha: float = 16, targets: tuple[str, ...] = ("query", "value"),
    seed: int = 0,
) -> list[str]:
    """Wrap the linear layers named `targets` in LoRALinear (A drawn with `seed`); return their names (Q18).

    Only the wrapped layers' own weights are frozen here; `freeze_all_but` decides the rest.
    """
    if alpha <= 0:
        raise ValueError(f"alpha must be positive, got {alpha}")
    torch.manual_seed(seed)
    return replace_linears(model, targets, lambda layer: LoRALinear(layer, rank, alpha))


def merge_lora(model: nn.Module) -> nn.Module:
    """Fold every LoRALinear of `model` into a plain nn.Linear, in place; return the model (Q18)."""
    names = [name for name, module in model.named_modules() if isinstance(module, LoRALinear)]
    if not names:
        raise ValueError(f"{type(model).__name__} holds no LoRALinear layer to merge")
    for name in names:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        setattr(parent, child, getattr(parent, child).merged())
    return model


def lora_parameter_count(d_in: int, d_out: int, rank: int, num_layers: int) -> int:
    """Trainable numbers of LoRA on `num_layers` (d_out x d_in) matrices: rank x (d_in + d_out) each (Q18)."""
    if min(d_in, d_out, rank, num_layers) < 1:
        raise ValueError(f"need positive sizes, got d_in={d_in}, d_out={d_out}, rank={rank}, layers={num_layers}")
    return num_layers * rank * (d_in + d_out)
