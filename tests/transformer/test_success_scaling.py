"""Q8: the Markov-chain language, its entropy floor, the power-law fit and the scaling study."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy import stats

from mlqa.transformer import (
    GPT,
    DecoderConfig,
    MarkovLanguage,
    fit_power_law,
    non_embedding_parameters,
    random_language,
    scaling_study,
)

pytestmark = pytest.mark.usefixtures("one_thread")  # see tests/conftest.py


def test_transition_rows_are_distributions_and_samples_follow_them():
    language = random_language(vocab_size=5, order=1, concentration=0.5, seed=0)
    assert language.transitions.shape == (5, 5)
    np.testing.assert_allclose(language.transitions.sum(axis=1), 1, atol=1e-12)
    rows = language.sample(2000, 30, seed=1).numpy()
    counts = np.zeros((5, 5))
    np.add.at(counts, (rows[:, :-1].ravel(), rows[:, 1:].ravel()), 1)
    empirical = counts / counts.sum(axis=1, keepdims=True)
    # ~11,600 transitions per row on average: the standard error of each probability is below 0.005
    np.testing.assert_allclose(empirical, language.transitions, atol=0.02)


def test_order_two_context_codes():
    language = MarkovLanguage(3, 2, np.full((9, 3), 1 / 3))
    codes = language.context_codes(np.array([[2, 1, 0, 2]]))
    assert codes.tolist() == [[7, 3, 2]]


def test_floor_is_the_true_models_expected_loss():
    language = random_language(vocab_size=8, order=2, concentration=0.3, seed=3)
    rows = language.sample(3000, 12, seed=4)
    codes = torch.from_numpy(language.context_codes(rows.numpy())[:, :-1])
    true_logits = torch.from_numpy(np.log(np.clip(language.transitions, 1e-30, None)))[codes]
    realised = F.cross_entropy(true_logits.flatten(0, 1), rows[:, 2:].flatten()).item()
    # the floor is the expectation of the realised loss over 30,000 tokens: they agree to sampling error
    assert language.floor_loss(rows) == pytest.approx(realised, abs=0.03)


def test_bad_language_arguments():
    with pytest.raises(ValueError, match="concentration"):
        random_language(4, 1, 0.0)
    with pytest.raises(ValueError, match="length > order"):
        random_language(4, 2).sample(3, 2)


def test_power_law_recovers_a_known_law_and_matches_scipy():
    n = np.array([100, 300, 1000, 3000, 10000])
    law = fit_power_law(n, 5.0 * n**-0.4)
    assert law.exponent == pytest.approx(0.4, abs=1e-10) and law.coefficient == pytest.approx(5.0, rel=1e-9)
    assert law.r_squared == pytest.approx(1.0, abs=1e-12)
    noisy = 5.0 * n**-0.4 * np.exp(np.random.default_rng(0).normal(0, 0.1, 5))
    reference, fitted = stats.linregress(np.log(n), np.log(noisy)), fit_power_law(n, noisy)
    # the same least-squares line as scipy, to rounding (largest difference below 1e-10)
    assert fitted.exponent == pytest.approx(-reference.slope, abs=1e-10)
    assert fitted.r_squared == pytest.approx(reference.rvalue**2, abs=1e-10)
    with pytest.raises(ValueError, match="positive"):
        fit_power_law(n[:3], np.array([1.0, 0.5, -0.1]))


def test_non_embedding_parameters_exclude_both_tables():
    model = GPT(DecoderConfig(32, d_model=8, num_layers=1, num_heads=2, d_ff=16, max_positions=24, dropout=0.0))
    total = sum(p.numel() for p in model.parameters())
    assert non_embedding_parameters(model) == total - 32 * 8 - 24 * 8
    # attention 4 * (8*8 + 8), feed-forward 8*16 + 16 + 16*8 + 8, three LayerNorms of 2 * 8
    assert non_embedding_parameters(model) == 4 * 72 + 280 + 3 * 16


@pytest.mark.slow
def test_wider_models_get_lower_loss_on_a_fixed_budget():
    result = scaling_study(random_language(32, 1, 0.3, seed=5), widths=(4, 16, 64), steps=100, progress=False)
    assert (np.diff(result.losses) < 0).all(), result.losses
    assert (result.reducible > 0).all() and result.law.exponent > 0.1, (result.reducible, result.law)
    with pytest.raises(ValueError, match="even widths"):
        scaling_study(random_language(4), widths=(4, 5, 8), progress=False)
