"""Inverted dropout: nn.Dropout's output under one seed, the identity in eval mode, unbiased in train mode."""

import pytest
import torch

from mlqa.regularization import InvertedDropout, inverted_dropout, stacked_dropout


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_same_output_as_nn_dropout_under_a_fixed_seed(p):
    x = torch.randn(64, 33)
    torch.manual_seed(7)
    expected = torch.nn.Dropout(p).train()(x)
    torch.manual_seed(7)
    ours = InvertedDropout(p).train()(x)
    assert torch.equal(ours, expected)  # tolerance: exact on the CPU


def test_eval_mode_is_the_identity_and_training_keeps_the_mean():
    x = torch.full((200_000,), 2.0)
    assert torch.equal(InvertedDropout(0.5).eval()(x), x)
    dropped = inverted_dropout(x, 0.5)
    assert abs(float(dropped.mean()) - 2.0) < 0.02  # survivors are scaled by 1 / (1 - p)
    assert abs(float((dropped == 0).float().mean()) - 0.5) < 0.01


def test_stacked_dropout_uses_each_models_rate():
    x = torch.ones(3, 100_000)
    out = stacked_dropout(x, torch.tensor([0.0, 0.3, 0.7]))
    assert torch.allclose((out == 0).float().mean(1), torch.tensor([0.0, 0.3, 0.7]), atol=0.01)
    assert torch.allclose(out.mean(1), torch.ones(3), atol=0.03)
    with pytest.raises(ValueError, match="one rate"):
        stacked_dropout(x, torch.tensor([0.1, 0.2]))
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        inverted_dropout(x, 1.0)
