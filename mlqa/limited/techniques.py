"""The registry of limited-label techniques: name -> "module:function" (Q30).

Every function has the signature
`run(labels_per_class: int = ..., seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> TechniqueResult`.
"""

from __future__ import annotations

from importlib import import_module
from typing import Callable

from mlqa.limited.data import TechniqueResult

TECHNIQUES: dict[str, str] = {
    "learning-curves": "mlqa.limited.learning_curves:run",
    "augmentation": "mlqa.limited.augmentation:run",
    "transfer": "mlqa.limited.transfer:run",
    "self-supervised": "mlqa.limited.self_supervised:run",
    "active-learning": "mlqa.limited.active_learning:run",
    "few-shot": "mlqa.limited.few_shot:run",
    "meta-learning": "mlqa.limited.meta_learning:run",
    "weak-supervision": "mlqa.limited.weak_supervision:run",
    "semi-supervised": "mlqa.limited.semi_supervised:run",
    "self-training": "mlqa.limited.distillation:run",
    "multi-task": "mlqa.limited.multi_task:run",
    "multi-modal": "mlqa.limited.multi_modal:run",
    "inductive-bias": "mlqa.limited.inductive_bias:run",
}


def get_technique(name: str) -> Callable[..., TechniqueResult]:
    """Import and return the `run` function registered under `name` (Q30)."""
    if name not in TECHNIQUES:
        raise ValueError(f"unknown technique {name!r}; known techniques: {', '.join(TECHNIQUES)}")
    module_name, function_name = TECHNIQUES[name].split(":")
    return getattr(import_module(module_name), function_name)
