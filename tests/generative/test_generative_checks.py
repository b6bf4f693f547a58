"""Q9: our DDPM arithmetic equals diffusers', the flow's log-determinant equals autograd's, metrics behave."""

import pytest
import torch
from diffusers import DDPMScheduler

from mlqa.generative import (
    AffineCoupling,
    DDPMSchedule,
    RealNVP,
    gaussian_ring,
    make_dataset,
    mmd_rbf,
    modes_covered,
    ring_centers,
    sliced_wasserstein,
)


@pytest.fixture(scope="module")
def pair():
    return DDPMSchedule(100), DDPMScheduler(num_train_timesteps=100, beta_schedule="squaredcos_cap_v2",
                                            clip_sample=False, variance_type="fixed_small")


def test_cosine_schedule_equals_diffusers(pair):
    ours, theirs = pair
    assert torch.allclose(ours.betas, theirs.betas, atol=1e-7)
    assert torch.allclose(ours.alphas_cumprod, theirs.alphas_cumprod, atol=1e-7)


def test_forward_noising_equals_diffusers(pair):
    ours, theirs = pair
    g = torch.Generator().manual_seed(0)
    x0, noise, t = torch.randn(64, 2, generator=g), torch.randn(64, 2, generator=g), torch.randint(0, 100, (64,))
    assert torch.allclose(ours.add_noise(x0, noise, t), theirs.add_noise(x0, noise, t), atol=1e-6)


@pytest.mark.parametrize("t", [99, 50, 1, 0])
def test_reverse_step_equals_diffusers(pair, t):
    ours, theirs = pair
    g = torch.Generator().manual_seed(t)
    x, eps = torch.randn(32, 2, generator=g), torch.randn(32, 2, generator=g)
    expected = theirs.step(eps, t, x, generator=torch.Generator().manual_seed(7)).prev_sample
    noise = torch.randn(32, 2, generator=torch.Generator().manual_seed(7))
    assert torch.allclose(ours.step(eps, t, x, noise), expected, atol=1e-5)


def test_coupling_log_determinant_equals_autograd_jacobian():
    torch.manual_seed(0)
    for keep in (0, 1):
        layer = AffineCoupling(keep)
        for p in layer.parameters():
            p.data.normal_(0, 0.5)
        x = torch.randn(5, 2)
        _, log_det = layer(x)
        for i in range(len(x)):
            jac = torch.autograd.functional.jacobian(lambda v, layer=layer: layer(v[None])[0][0], x[i])
            assert torch.allclose(log_det[i], torch.linalg.slogdet(jac).logabsdet, atol=1e-5)


def test_flow_inverts_and_its_density_integrates_to_one():
    torch.manual_seed(0)
    flow = RealNVP()
    for p in flow.parameters():
        p.data.normal_(0, 0.3)
    x = torch.randn(100, 2)
    z, _ = flow.to_base(x)
    back = z
    for layer in reversed(flow.layers):
        back = layer.inverse(back)
    assert torch.allclose(back, x, atol=1e-4)
    grid = torch.linspace(-8, 8, 401)
    xx, yy = torch.meshgrid(grid, grid, indexing="ij")
    with torch.no_grad():
        density = flow.log_prob(torch.stack([xx.flatten(), yy.flatten()], 1)).exp()
    assert abs(float(density.sum() * (grid[1] - grid[0]) ** 2) - 1.0) < 0.02


def test_metrics_separate_the_ring_from_a_blob_and_count_modes():
    a, b = gaussian_ring(1000, 0), gaussian_ring(1000, 1)
    blob = torch.randn(1000, 2)
    assert sliced_wasserstein(a, b) < 0.1 < sliced_wasserstein(a, blob)
    assert mmd_rbf(a, b) < 0.01 < mmd_rbf(a, blob)
    assert modes_covered(a) == (8, pytest.approx(1.0, abs=0.01))
    assert modes_covered(ring_centers()[[0, 1]].repeat(500, 1))[0] == 2


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="unknown data set 'spiral'"):
        make_dataset("spiral", 10)
    with pytest.raises(ValueError, match="same"):
        sliced_wasserstein(torch.zeros(5, 2), torch.zeros(6, 2))
    with pytest.raises(ValueError, match="steps must be in 1..100"):
        DDPMSchedule(100).ddim_sample(lambda x, t: x, torch.zeros(2, 2), 0)
