"""Q16: the RNN encoder-decoder with additive attention (Bahdanau et al., 2015) on digit reversal."""

import pytest
import torch

from mlqa.transformer import (
    AdditiveAttention,
    RNNEncoderDecoder,
    attention_vs_fixed_context,
    reversal_pairs,
    train_reversal,
)


def test_reversal_pairs_are_reversed_digits():
    source, target = reversal_pairs(5, 7, seed=0)
    assert source.shape == target.shape == (5, 7)
    assert torch.equal(target, source.flip(1)) and source.min() >= 2 and source.max() <= 11
    with pytest.raises(ValueError, match="length >= 1"):
        reversal_pairs(5, 0)


def test_additive_weights_are_a_distribution_over_source_positions():
    torch.manual_seed(0)
    attention = AdditiveAttention(8, 6, 5)
    annotations = torch.randn(3, 4, 6)
    context, weights = attention(torch.randn(3, 8), annotations)
    assert weights.shape == (3, 4) and context.shape == (3, 6)
    assert torch.allclose(weights.sum(-1), torch.ones(3))
    assert torch.allclose(context, (weights[:, :, None] * annotations).sum(1))


def test_teacher_forcing_shapes_and_shape_check(one_thread):
    model = RNNEncoderDecoder(hidden=16, embedding=8)
    source, target = reversal_pairs(4, 6)
    logits, weights = model(source, target)
    assert logits.shape == (4, 6, 12) and weights.shape == (4, 6, 6)
    with pytest.raises(ValueError, match="shapes differ"):
        train_reversal(model, source, target[:, :5], steps=1, progress=False)


@pytest.mark.slow
def test_attention_beats_the_fixed_context_and_aligns_backwards(one_thread):
    results, model = attention_vs_fixed_context(length=12, steps=200, seed=1, progress=False)
    with_attention, fixed = results["additive attention"], results["fixed context (no attention)"]
    assert with_attention["sequence accuracy"] > fixed["sequence accuracy"] + 0.3, results
    source, _ = reversal_pairs(50, 12, seed=9)
    _, alignment = model.generate(source, 12)
    mirror = torch.arange(11, -1, -1)
    assert ((alignment.argmax(-1) - mirror).abs() <= 1).float().mean() > 0.8
