"""Q10: our top-k and top-p filters equal Hugging Face's logits processors; seeded sampling repeats."""

import pytest
import torch
from transformers.generation.logits_process import TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper

from mlqa.randomness import TOY_LOGITS, entropy_bits, filter_logits, next_token_probabilities, sample_tokens


@pytest.mark.parametrize("top_k", [1, 3, 7, 10])
def test_top_k_equals_hugging_face(top_k):
    logits = torch.randn(4, 50, generator=torch.Generator().manual_seed(top_k))
    expected = TopKLogitsWarper(top_k)(None, logits.clone())
    assert torch.equal(filter_logits(logits, top_k=top_k), expected)


@pytest.mark.parametrize("top_p", [0.1, 0.5, 0.8, 0.95, 0.999])
def test_top_p_equals_hugging_face(top_p):
    logits = torch.randn(4, 50, generator=torch.Generator().manual_seed(int(top_p * 1000))) * 2
    expected = TopPLogitsWarper(top_p)(None, logits.clone())
    ours = filter_logits(logits, top_p=top_p)
    assert torch.equal(torch.isinf(ours), torch.isinf(expected))
    assert torch.equal(ours[~torch.isinf(ours)], expected[~torch.isinf(expected)])


def test_temperature_equals_hugging_face():
    logits = torch.randn(2, 20, generator=torch.Generator().manual_seed(0))
    expected = TemperatureLogitsWarper(0.7)(None, logits.clone()).softmax(-1)
    assert torch.allclose(next_token_probabilities(logits, temperature=0.7), expected, atol=1e-7)


def test_seeded_sampling_repeats_and_temperature_zero_is_greedy():
    assert torch.equal(sample_tokens(TOY_LOGITS, 100, seed=5), sample_tokens(TOY_LOGITS, 100, seed=5))
    assert not torch.equal(sample_tokens(TOY_LOGITS, 100, seed=5), sample_tokens(TOY_LOGITS, 100, seed=6))
    assert set(sample_tokens(TOY_LOGITS, 50, temperature=0).tolist()) == {int(TOY_LOGITS.argmax())}


def test_entropy_falls_with_temperature_and_filters():
    h = [entropy_bits(next_token_probabilities(TOY_LOGITS, t)) for t in (2.0, 1.0, 0.5, 0.1)]
    assert h == sorted(h, reverse=True)
    assert entropy_bits(next_token_probabilities(TOY_LOGITS, 1.0, top_k=3)) < h[1]


def test_bad_sampling_settings_are_refused():
    with pytest.raises(ValueError, match="top_p must be in"):
        filter_logits(TOY_LOGITS, top_p=1.5)
    with pytest.raises(ValueError, match="temperature must be >= 0"):
        next_token_probabilities(TOY_LOGITS, temperature=-1)
    with pytest.raises(ValueError, match="one vector"):
        sample_tokens(TOY_LOGITS[None], 3)
