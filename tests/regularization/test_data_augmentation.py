"""Q5's train-time augmentation: transforms equal scipy's, the stacked augmenter, and its effect at small data."""

import numpy as np
import pytest
import torch
from scipy import ndimage
from sklearn.datasets import load_digits

from mlqa.regularization import (
    AUGMENTATIONS,
    COMBINED,
    Augmentation,
    augment,
    augmentation_comparison,
    flip_left_right,
    label_preservation,
    oracle_readings,
    scaled,
    shift_rotate,
    stacked_augmenter,
)


@pytest.fixture(scope="module")
def images():
    X, _ = load_digits(return_X_y=True)
    return (X[:40] / 16.0).astype(np.float32)


@pytest.mark.parametrize("dx, dy", [(1, 0), (0, -1), (-2, 1)])
def test_whole_pixel_shifts_equal_scipy(images, dx, dy):
    n = len(images)
    ours = shift_rotate(torch.as_tensor(images), torch.full((n,), float(dx)), torch.full((n,), float(dy)),
                        torch.zeros(n)).numpy()
    ref = ndimage.shift(images.reshape(-1, 8, 8), (0, dy, dx), order=0, mode="constant").reshape(n, 64)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-6)


@pytest.mark.parametrize("degrees", [-15.0, 10.0, 90.0])
def test_rotations_equal_scipy_bilinear(images, degrees):
    n = len(images)
    ours = shift_rotate(torch.as_tensor(images), torch.zeros(n), torch.zeros(n), torch.full((n,), degrees)).numpy()
    ref = ndimage.rotate(images.reshape(-1, 8, 8), degrees, axes=(1, 2), reshape=False, order=1,
                         mode="grid-constant").reshape(n, 64)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-5)


def test_flip_and_identity(images):
    X = torch.as_tensor(images)
    assert torch.equal(flip_left_right(flip_left_right(X)), X)
    assert torch.equal(flip_left_right(X).view(-1, 8, 8)[:, :, 0], X.view(-1, 8, 8)[:, :, 7])
    same = augment(X, 0.0, 0.0, 0.0, 0.0, torch.Generator().manual_seed(0))
    torch.testing.assert_close(same, X, rtol=0, atol=1e-6)
    always = augment(X, 0.0, 0.0, 0.0, 1.0, torch.Generator().manual_seed(0))
    torch.testing.assert_close(always, flip_left_right(X), rtol=0, atol=1e-6)


def test_noise_has_the_asked_spread_and_stays_in_range():
    X = torch.full((2000, 64), 0.5)
    noisy = augment(X, 0.0, 0.0, 0.1, 0.0, torch.Generator().manual_seed(0))
    assert abs(float((noisy - X).std()) - 0.1) < 0.005
    assert float(noisy.min()) >= 0 and float(noisy.max()) <= 1


def test_stacked_augmenter_gives_each_model_its_own_setting(images):
    X = torch.as_tensor(images).expand(3, -1, -1).contiguous()
    out = stacked_augmenter([Augmentation(), Augmentation(flip=1.0), Augmentation(noise=0.2)])(X)
    torch.testing.assert_close(out[0], X[0], rtol=0, atol=1e-6)
    torch.testing.assert_close(out[1], flip_left_right(X[1]), rtol=0, atol=1e-6)
    assert float((out[2] - X[2]).abs().mean()) > 0.05
    first, second = (stacked_augmenter([COMBINED] * 3, seed=0)(X) for _ in range(2))
    assert torch.equal(first, second), "the same seed must draw the same transforms"


def test_bad_input_raises(images):
    with pytest.raises(ValueError, match="flip=1.5"):
        Augmentation(flip=1.5)
    with pytest.raises(ValueError, match=r"\(40, 63\)"):
        flip_left_right(torch.zeros(40, 63))
    with pytest.raises(ValueError, match="one dx, dy and angle per image \\(40\\)"):
        shift_rotate(torch.as_tensor(images), torch.zeros(3), torch.zeros(40), torch.zeros(40))
    with pytest.raises(ValueError, match=r"expected \(2, n, 64\)"):
        stacked_augmenter([Augmentation()] * 2)(torch.zeros(3, 5, 64))
    with pytest.raises(ValueError, match="-1"):
        scaled(COMBINED, -1)
    with pytest.raises(ValueError, match="got none"):
        oracle_readings({})
    with pytest.raises(ValueError, match="0 arms"):
        augmentation_comparison({}, seeds=(0,))


def test_flips_change_labels_far_more_than_small_shifts():
    kept = label_preservation({name: AUGMENTATIONS[name] for name in
                               ("none", "shifts (±0.5 px)", "left-right flips (p 0.5)")})
    assert kept["none"].mean() > 0.97
    assert kept["shifts (±0.5 px)"].mean() > 0.9
    assert kept["left-right flips (p 0.5)"].mean() < kept["none"].mean() - 0.15


@pytest.mark.slow
def test_label_preserving_augmentation_helps_and_flips_hurt_at_small_data(one_thread):
    arms = {name: AUGMENTATIONS[name] for name in ("none", "shifts + rotations + noise", "left-right flips (p 0.5)")}
    results = augmentation_comparison(arms, seeds=(0, 1, 2), device="cpu")
    none, combined, flips = results.values()
    assert (combined.loss_gap < none.loss_gap).all(), (combined.loss_gap, none.loss_gap)
    assert combined.test_acc.mean() > none.test_acc.mean() + 0.01, (combined.test_acc, none.test_acc)
    assert flips.test_acc.mean() < none.test_acc.mean() - 0.02, (flips.test_acc, none.test_acc)
