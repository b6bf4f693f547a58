"""Q19: a tiny GPT's held-out perplexity falls with training, below the unigram and uniform-guess controls."""

import pytest

from mlqa.llm_eval import ALPHABET, train_tiny_gpt


@pytest.mark.slow
def test_training_lowers_perplexity_below_controls(one_thread):
    _, run = train_tiny_gpt(seed=0, progress=False)
    assert run.uniform == len(ALPHABET)
    assert 0.8 * run.uniform < run.before < 1.25 * run.uniform, run
    assert run.after < 0.8 * run.unigram < run.unigram < run.uniform, run
