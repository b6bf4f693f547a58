"""Hinton et al. (2015) distillation loss: KL at temperature T times T^2, plus cross-entropy."""

import pytest
import torch
import torch.nn.functional as F

from mlqa.regularization import distillation_loss


def test_matches_kl_div_and_cross_entropy():
    torch.manual_seed(0)
    student, teacher, labels = torch.randn(32, 10), torch.randn(32, 10), torch.randint(0, 10, (32,))
    T, alpha = 3.0, 0.7
    reference = (alpha * T ** 2 * F.kl_div(F.log_softmax(student / T, 1), F.softmax(teacher / T, 1),
                                           reduction="batchmean") + (1 - alpha) * F.cross_entropy(student, labels))
    assert torch.allclose(distillation_loss(student, teacher, labels, T, alpha).mean(), reference, atol=1e-5)
    assert torch.allclose(distillation_loss(student, teacher, labels, T, 0.0),
                          F.cross_entropy(student, labels, reduction="none"), atol=1e-6)
    soft_only = T ** 2 * F.kl_div(F.log_softmax(student / T, 1), F.softmax(teacher / T, 1), reduction="batchmean")
    assert torch.allclose(distillation_loss(student, teacher, None, T).mean(), soft_only, atol=1e-5)


def test_t_squared_keeps_the_soft_gradient_size_independent_of_t():
    torch.manual_seed(0)
    teacher, labels = torch.randn(256, 10), torch.randint(0, 10, (256,))
    norms = {}
    for T in (4.0, 16.0):
        torch.manual_seed(1)
        student = torch.randn(256, 10).requires_grad_()
        distillation_loss(student, teacher, labels, T, 1.0).mean().backward()
        norms[T] = float(student.grad.norm())
    assert 0.8 < norms[16.0] / norms[4.0] < 1.25  # without T^2 the ratio would be about 1/16
    with pytest.raises(ValueError, match="T > 0"):
        distillation_loss(teacher, teacher, labels, 0.0)
