"""Q12: fully connected layers as convolutions and back, and a convolution as a matrix product."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from mlqa.vision.conv_forms import conv_forms, time_forms
from mlqa.vision.equivalence import (
    conv1x1_as_linear,
    conv1x1_linear_differences,
    fc_conv_differences,
    im2col_conv2d,
    linear_as_conv,
    toeplitz_matrix,
    toeplitz_weight_index,
)

TOLERANCE = 1e-5  # relative to the largest magnitude; float32 rounding of sums over at most a few hundred terms


@pytest.mark.parametrize("shape", [(3, 8, 8), (1, 5, 7), (16, 2, 3)])
def test_linear_equals_whole_input_convolution(shape):
    differences = fc_conv_differences(shape, out_features=6, seed=1)
    assert max(differences.values()) < TOLERANCE, differences


@pytest.mark.parametrize("size", [1, 4, 9])
def test_conv1x1_equals_linear_per_pixel(size):
    differences = conv1x1_linear_differences(12, 5, size, seed=2)
    assert max(differences.values()) < TOLERANCE, differences


def test_a_wrong_reshape_is_caught():
    linear = nn.Linear(3 * 4 * 4, 2)
    conv = linear_as_conv(linear, (3, 4, 4))
    with torch.no_grad():
        conv.weight.copy_(linear.weight.view(2, 4, 4, 3).permute(0, 3, 1, 2))  # channels-last order: wrong
    x = torch.randn(2, 3, 4, 4)
    assert not torch.allclose(conv(x).flatten(1), linear(x.flatten(1)), atol=1e-3)


@pytest.mark.parametrize("stride,padding", [(1, 0), (2, 1), (3, 2)])
def test_im2col_and_toeplitz_equal_conv2d(stride, padding):
    torch.manual_seed(0)
    images, weight, bias = torch.randn(2, 3, 9, 7), torch.randn(4, 3, 3, 3), torch.randn(4)
    reference = F.conv2d(images, weight, bias, stride=stride, padding=padding)
    torch.testing.assert_close(im2col_conv2d(images, weight, bias, stride=stride, padding=padding), reference,
                               rtol=1e-5, atol=1e-5)
    matrix = toeplitz_matrix(weight, (9, 7), stride=stride, padding=padding)
    by_matrix = (images.flatten(1) @ matrix.T).view_as(reference) + bias[:, None, None]
    torch.testing.assert_close(by_matrix, reference, rtol=1e-5, atol=1e-5)


def test_toeplitz_structure_shows_sharing_and_locality():
    index = toeplitz_weight_index(3, 6)
    assert index.shape == (16, 36)
    assert set(index[index >= 0].tolist()) == set(range(9))  # nine weights shared by every output
    for row in index:
        assert sorted(row[row >= 0].tolist()) == list(range(9))  # each output sees nine inputs, each weight once
    assert (index >= 0).float().mean() == 9 / 36  # the rest of the row is zero: local connectivity


def test_conv_forms_agree_and_count():
    forms = conv_forms(4, 6, 3, 8)
    x = torch.randn(5, 4, 8, 8)
    outputs = [form.apply(x) for form in forms]
    for output in outputs[1:3]:
        torch.testing.assert_close(output, outputs[0], rtol=1e-5, atol=1e-5)
    assert [form.learned_parameters for form in forms[:3]] == [6 * 4 * 9 + 6] * 3
    assert forms[2].stored_values == forms[3].stored_values == 6 * 36 * (4 * 64 + 1)
    assert set(time_forms(forms, x, repeats=2)) == {form.name for form in forms}


def test_bad_input_raises():
    with pytest.raises(ValueError, match="48 values"):
        linear_as_conv(nn.Linear(50, 2), (3, 4, 4))
    with pytest.raises(ValueError, match="1×1"):
        conv1x1_as_linear(nn.Conv2d(3, 3, 3))
    with pytest.raises(ValueError, match="does not fit"):
        toeplitz_matrix(torch.randn(1, 1, 5, 5), (3, 3))
    with pytest.raises(ValueError, match="channels"):
        im2col_conv2d(torch.randn(1, 2, 5, 5), torch.randn(1, 3, 3, 3))
