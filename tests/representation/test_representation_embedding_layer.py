"""nn.Embedding equals nn.Linear on one-hot inputs in outputs and gradients, at zero counted FLOPs (Q1)."""

import pytest
import torch

from mlqa.representation import embedding_vs_linear, linear_from_embedding, one_hot


@pytest.mark.parametrize("vocab_size, n_tokens", [(1000, 256), (7, 500)])  # the second repeats every id many times
def test_outputs_and_gradients_agree(one_thread, vocab_size, n_tokens):
    parity = embedding_vs_linear(vocab_size=vocab_size, dim=16, n_tokens=n_tokens, seed=1)
    assert parity.output_difference == 0.0  # one weight times 1 plus exact zeros: no rounding at all
    assert parity.gradient_difference < 1e-5  # sums of the same upstream rows, possibly in another order


def test_flop_counter_sees_work_only_in_the_one_hot_product(one_thread):
    parity = embedding_vs_linear(vocab_size=300, dim=8, n_tokens=50)
    assert parity.one_hot_flops == 2 * 50 * 300 * 8  # one multiply and one add per (token, vocab, dim)
    assert parity.lookup_flops == 0
    assert parity.one_hot_bytes == 50 * 300 * 4 and parity.index_bytes == 50 * 8


def test_linear_twin_is_the_transposed_table():
    embedding = torch.nn.Embedding(5, 3)
    linear = linear_from_embedding(embedding)
    assert linear.bias is None and torch.equal(linear.weight, embedding.weight.T)
    ids = torch.tensor([4, 0, 4, 2])
    assert torch.equal(linear(one_hot(ids, 5)), embedding(ids))


def test_bad_input_names_the_values():
    with pytest.raises(ValueError, match=r"\[0, 5\), got min 0 max 7"):
        one_hot(torch.tensor([0, 7]), 5)
    with pytest.raises(ValueError, match="got 0, 4, 10"):
        embedding_vs_linear(vocab_size=0, dim=4, n_tokens=10)
