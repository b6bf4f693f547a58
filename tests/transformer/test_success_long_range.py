"""Q8: the recall task, the two models, parallelism counts and the attention score memory."""

import pytest
import torch

from mlqa.transformer import (
    LSTMClassifier,
    attention_score_bytes,
    fit_exponent,
    forward_seconds,
    long_range_study,
    recall_batch,
    sequential_steps,
)
from mlqa.transformer.long_range import make_model, parameter_count, train_recall

pytestmark = pytest.mark.usefixtures("one_thread")  # see tests/conftest.py


def test_recall_label_is_the_token_k_positions_before_the_last():
    rows, labels = recall_batch(64, k=5, vocab_size=7, generator=torch.Generator().manual_seed(0))
    assert rows.shape == (64, 6)
    assert torch.equal(labels, rows[:, -1 - 5])
    assert rows.max() < 7


@pytest.mark.parametrize("args", [(0, 3), (4, 0), (4, 3, 1)])
def test_recall_batch_rejects_bad_sizes(args):
    with pytest.raises(ValueError, match="need num"):
        recall_batch(*args)


def test_models_have_similar_size_and_read_the_last_position():
    sizes = [parameter_count(make_model(kind, 16, 65)) for kind in ("attention", "lstm")]
    assert 11_000 < min(sizes) and max(sizes) < 15_000 and max(sizes) / min(sizes) < 1.3, sizes
    rows, _ = recall_batch(3, 9)
    for kind in ("attention", "lstm"):
        assert make_model(kind, 16, 10)(rows).shape == (3, 16)
    with pytest.raises(ValueError, match="kind must be"):
        make_model("rnn", 16, 10)
    with pytest.raises(ValueError, match="hidden_size"):
        LSTMClassifier(16, 0)


def test_lstm_output_at_last_step_ignores_nothing_before_it():
    """Changing the first token changes the LSTM's logits: its state carries the whole prefix."""
    torch.manual_seed(0)
    model = LSTMClassifier(16, 8)
    rows, _ = recall_batch(1, 4)
    changed = rows.clone()
    changed[0, 0] = (rows[0, 0] + 1) % 16
    with torch.no_grad():
        assert not torch.allclose(model(rows), model(changed))


@pytest.mark.slow
def test_attention_recalls_far_where_the_lstm_does_not_at_equal_budget():
    _, attention = train_recall("attention", 32, 150, 1e-2, seed=0)
    _, lstm = train_recall("lstm", 32, 150, 1e-2, seed=0)
    assert attention > 0.9 > 0.3 > lstm, (attention, lstm)


def test_study_shapes_and_chosen_learning_rates():
    result = long_range_study(ks=(2,), seeds=(0,), steps=5, learning_rates=(1e-3,), tune_k=2, progress=False)
    assert result.accuracies.shape == (2, 1, 1)
    assert result.learning_rates == {"attention": 1e-3, "lstm": 1e-3}
    assert result.mean("lstm").shape == (1,) and (result.std("attention") == 0).all()
    with pytest.raises(ValueError, match="at least one k"):
        long_range_study(ks=(), progress=False)


def test_sequential_steps():
    assert sequential_steps("lstm", 100, num_layers=2) == 200
    assert sequential_steps("attention", 100, num_layers=2) == 2
    with pytest.raises(ValueError, match="kind must be"):
        sequential_steps("cnn", 10)
    with pytest.raises(ValueError, match="length"):
        sequential_steps("lstm", 0)


def test_attention_score_bytes_are_batch_heads_length_squared_floats():
    model = make_model("attention", 16, 128).gpt
    for length in (16, 128):
        assert attention_score_bytes(model, torch.randint(16, (3, length))) == 3 * 2 * length * length * 4
    assert fit_exponent([16, 32, 64], [16**2, 32**2, 64**2]) == pytest.approx(2, abs=1e-12)
    with pytest.raises(ValueError, match="positive"):
        fit_exponent([16, 32], [1.0, 0.0])


def test_forward_seconds_is_positive_and_checks_repeats():
    model = LSTMClassifier(16, 4)
    assert forward_seconds(model, torch.randint(16, (2, 8)), repeats=1) > 0
    with pytest.raises(ValueError, match="repeats"):
        forward_seconds(model, torch.randint(16, (2, 8)), repeats=0)
