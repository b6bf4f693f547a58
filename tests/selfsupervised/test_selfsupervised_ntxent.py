"""Our NT-Xent loss against pytorch-metric-learning's NTXentLoss on the same inputs (Q2)."""

import pytest
import torch
from pytorch_metric_learning.losses import NTXentLoss

from mlqa.selfsupervised import nt_xent_loss


@pytest.mark.parametrize("temperature", [0.05, 0.2, 0.5, 1.0])
@pytest.mark.parametrize("n, dim", [(2, 3), (16, 8), (64, 32)])
def test_nt_xent_matches_pytorch_metric_learning(n, dim, temperature):
    generator = torch.Generator().manual_seed(n * 100 + dim)
    z1 = torch.randn(n, dim, dtype=torch.float64, generator=generator)
    z2 = z1 + 0.5 * torch.randn(n, dim, dtype=torch.float64, generator=generator)
    labels = torch.arange(n).repeat(2)  # view i of image k and view j of image k are the positive pair
    reference = NTXentLoss(temperature=temperature)(torch.cat([z1, z2]), labels)
    ours = nt_xent_loss(z1, z2, temperature)
    torch.testing.assert_close(ours, reference, rtol=1e-10, atol=1e-10)  # float64: equal up to rounding


def test_nt_xent_matches_in_float32_within_1e5():
    generator = torch.Generator().manual_seed(0)
    z1, z2 = torch.randn(2, 128, 64, generator=generator)
    reference = NTXentLoss(temperature=0.2)(torch.cat([z1, z2]), torch.arange(128).repeat(2))
    assert abs(nt_xent_loss(z1, z2, 0.2).item() - reference.item()) < 1e-5


def test_aligned_views_cost_less_than_unrelated_ones():
    generator = torch.Generator().manual_seed(1)
    z1, other = torch.randn(2, 32, 16, generator=generator)
    assert nt_xent_loss(z1, z1 * 2.0) < nt_xent_loss(z1, other) - 1.0  # cosine similarity ignores the scale


def test_nt_xent_rejects_bad_input():
    with pytest.raises(ValueError, match=r"\(4, 3\) and \(5, 3\)"):
        nt_xent_loss(torch.zeros(4, 3), torch.zeros(5, 3))
    with pytest.raises(ValueError, match="-0.1"):
        nt_xent_loss(torch.zeros(4, 3), torch.zeros(4, 3), temperature=-0.1)
