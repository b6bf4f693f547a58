"""Knowledge distillation (Hinton, Vinyals & Dean 2015): soft targets at temperature T, scaled by T^2 (Q6)."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def distillation_loss(student_logits: torch.Tensor, teacher_logits: torch.Tensor, labels: torch.Tensor | None,
                      temperature: float = 4.0, alpha: float | torch.Tensor = 0.9) -> torch.Tensor:
    """Per-sample alpha * T^2 * KL(teacher_T || student_T) + (1 - alpha) * cross-entropy with the labels (Q6).

    Logits have classes on the last dim; any leading dims (models, samples) are kept. The T^2 factor keeps the
    soft term's gradients the same size whatever T is, since softening divides them by T^2. `alpha` may be a
    tensor with one weight per model (dim 0); alpha = 0 is plain cross-entropy, a student trained alone.
    `labels=None` returns the soft term T^2 * KL alone (for samples without labels).
    """
    if student_logits.shape != teacher_logits.shape or temperature <= 0:
        raise ValueError(f"need equal logit shapes and T > 0, got {tuple(student_logits.shape)}, "
                         f"{tuple(teacher_logits.shape)}, T={temperature}")
    soft_targets = F.log_softmax(teacher_logits / temperature, dim=-1)
    soft_student = F.log_softmax(student_logits / temperature, dim=-1)
    kl = (soft_targets.exp() * (soft_targets - soft_student)).sum(-1)
    if labels is None:
        return temperature ** 2 * kl
    ce = -F.log_softmax(student_logits, dim=-1).gather(-1, labels.unsqueeze(-1)).squeeze(-1)
    alpha = torch.as_tensor(alpha, dtype=kl.dtype, device=kl.device)
    alpha = alpha.view(-1, *([1] * (kl.dim() - 1))) if alpha.dim() == 1 else alpha
    return alpha * temperature ** 2 * kl + (1 - alpha) * ce
