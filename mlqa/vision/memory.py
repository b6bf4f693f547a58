"""Training memory of the model state: parameters, gradients and Adam's two moments per parameter (Q11).

Activations are left out: they depend on the batch size, while these three depend only on the count.
"""

from __future__ import annotations

import torch
from torch import nn

BYTES_PER_VALUE: dict[str, int] = {"fp32": 4, "bf16": 2, "int8": 1}
DTYPES: dict[str, torch.dtype] = {"fp32": torch.float32, "bf16": torch.bfloat16, "int8": torch.int8}


def training_memory(num_parameters: int, precision: str = "fp32", optimizer: str = "adam") -> dict[str, int]:
    """Bytes for parameters, gradients and optimizer state when every value is stored at `precision` (Q11)."""
    if precision not in BYTES_PER_VALUE:
        raise ValueError(f"precision must be one of {sorted(BYTES_PER_VALUE)}, got {precision!r}")
    states = {"sgd": 0, "momentum": 1, "adam": 2}
    if optimizer not in states:
        raise ValueError(f"optimizer must be one of {sorted(states)}, got {optimizer!r}")
    if num_parameters < 0:
        raise ValueError(f"num_parameters must be >= 0, got {num_parameters}")
    width = BYTES_PER_VALUE[precision]
    memory = {"parameters": num_parameters * width, "gradients": num_parameters * width,
              "optimizer state": states[optimizer] * num_parameters * width}
    return memory | {"total": sum(memory.values())}


def measured_training_memory(model: nn.Module, precision: str = "fp32") -> dict[str, int]:
    """Bytes actually held after one Adam step on a copy of the model at `precision` (fp32 or bf16) (Q11)."""
    if precision not in ("fp32", "bf16"):
        raise ValueError(f"PyTorch trains fp32 or bf16 tensors, not {precision!r}")
    import copy

    model = copy.deepcopy(model).to(DTYPES[precision])
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(parameters)
    for p in parameters:
        p.grad = torch.zeros_like(p)
    optimizer.step()
    state = [t for p in parameters for key, t in optimizer.state[p].items() if key != "step"]
    memory = {"parameters": sum(p.nbytes for p in parameters), "gradients": sum(p.grad.nbytes for p in parameters),
              "optimizer state": sum(t.nbytes for t in state)}
    return memory | {"total": sum(memory.values())}
