"""Q17: the pieces of the redesigned exercises 17-A and 17-B, the KV cache and the generation trace."""

import matplotlib
import pytest
import torch

from mlqa.transformer import GPT, BertEncoder, DecoderConfig, EncoderConfig, KVCache, summarise
from mlqa.transformer.experiments import balanced_subset, fit_logistic_regression, sentence_embeddings
from mlqa.transformer.finetuning import (
    ARMS_17A,
    exercise_17a,
    finetune,
    finetune_steps,
    head_from_logistic_regression,
)
from mlqa.transformer.gpt import generation_trace, repeated_ngram_fraction
from mlqa.transformer.results import load_results, summary_table
from mlqa.transformer.train import masked_token_targets, next_token_targets

matplotlib.use("Agg")
pytestmark = pytest.mark.usefixtures("one_thread")  # see tests/conftest.py
VOCAB = 50


def tiny_encoder(seed: int = 0) -> BertEncoder:
    torch.manual_seed(seed)
    return BertEncoder(EncoderConfig(VOCAB, d_model=16, num_layers=1, num_heads=2, d_ff=32, max_positions=16,
                                     dropout=0.0)).eval()


def tiny_data(rows: int, seed: int) -> tuple[torch.Tensor, torch.Tensor, list[int]]:
    """Random ids whose label is whether token 7 occurs: learnable from a mean-pooled embedding."""
    generator = torch.Generator().manual_seed(seed)
    ids = torch.randint(10, VOCAB, (rows, 8), generator=generator)
    labels = [i % 2 for i in range(rows)]
    for i, label in enumerate(labels):
        if label:
            ids[i, :3] = 7
    return ids, torch.ones_like(ids), labels


def test_head_from_logistic_regression_predicts_what_the_regression_predicts():
    generator = torch.Generator().manual_seed(0)
    features = torch.randn(200, 6, generator=generator)
    labels = (features[:, 0] - 0.5 * features[:, 3] > 0.1).long().tolist()
    regression = fit_logistic_regression(features, labels)
    head = head_from_logistic_regression(regression)
    with torch.no_grad():
        logits = head(features)
    torch.testing.assert_close((logits[:, 1] - logits[:, 0]).double(),
                               torch.tensor(regression.decision_function(features.numpy())).double(), atol=1e-5,
                               rtol=0)
    assert logits.argmax(-1).tolist() == regression.predict(features.numpy()).tolist()


def test_lpft_with_zero_learning_rate_keeps_the_frozen_accuracy():
    """LP-FT starts exactly where the frozen route ends: with lr = 0, finetuning changes nothing."""
    encoder = tiny_encoder()
    train, test = tiny_data(40, seed=1), tiny_data(60, seed=2)
    result = exercise_17a(encoder, train, test, num_labels=20, seed=0, arms=("frozen", "lpft"), lr=0.0, epochs=1,
                          progress=False)
    assert result[ARMS_17A["lpft"]] == result[ARMS_17A["frozen"]]


@pytest.mark.slow
def test_exercise_17a_arms_learn_and_leave_the_encoder_untouched():
    encoder = tiny_encoder()
    before = {k: v.clone() for k, v in encoder.state_dict().items()}
    train, test = tiny_data(80, seed=1), tiny_data(100, seed=2)
    result = exercise_17a(encoder, train, test, num_labels=40, seed=0, arms=tuple(ARMS_17A), epochs=10, lr=3e-3,
                          batch_size=8, progress=False)
    assert set(result) == set(ARMS_17A.values())
    assert result[ARMS_17A["lpft"]] > 0.8 and result[ARMS_17A["random_head"]] > 0.8
    assert all(torch.equal(before[k], v) for k, v in encoder.state_dict().items())
    with pytest.raises(ValueError, match="unknown arms"):
        exercise_17a(encoder, train, test, num_labels=40, arms=("frozen", "linear"), progress=False)


def test_finetune_copies_the_encoder_and_counts_epochs():
    encoder = tiny_encoder()
    ids, mask, labels = tiny_data(24, seed=3)
    model = finetune(encoder, ids, mask, labels, epochs=1, lr=1e-2, batch_size=8, progress=False)
    assert model.encoder is not encoder
    assert not torch.equal(model.encoder.token_embedding.weight, encoder.token_embedding.weight)
    assert finetune_steps(2000, 3, 16) == 375 and finetune_steps(100, 3, 16) == 19
    with pytest.raises(ValueError, match="got 0, 3, 16"):
        finetune_steps(0, 3, 16)


def test_sentence_embeddings_have_unit_length():
    ids, mask, _ = tiny_data(5, seed=4)
    norms = sentence_embeddings(tiny_encoder(), ids, mask).norm(dim=-1)
    torch.testing.assert_close(norms, torch.ones(5), atol=1e-5, rtol=0)


def test_balanced_subset_is_balanced_seeded_and_checked():
    labels = [0] * 30 + [1] * 10
    picked = balanced_subset(labels, 20, seed=1)
    assert len(set(picked)) == 20 and sum(labels[i] for i in picked) == 10
    assert picked == balanced_subset(labels, 20, seed=1) and picked != balanced_subset(labels, 20, seed=2)
    with pytest.raises(ValueError, match="at most 20, got 22"):
        balanced_subset(labels, 22)


def test_token_prediction_counts():
    ids = torch.tensor([[2, 11, 12, 3, 0, 0], [2, 11, 12, 13, 14, 3]])
    assert next_token_targets(ids, pad_id=0).tolist() == [3, 5]
    torch.testing.assert_close(masked_token_targets(ids, [0, 2, 3]), torch.tensor([0.3, 0.6]))


@pytest.mark.parametrize("capacity", [None, 12])
def test_kv_cache_with_and_without_preallocation(capacity):
    cache, keys = KVCache(capacity), torch.randn(2, 3, 7, 4)
    for start, end in ((0, 4), (4, 5), (5, 7)):
        got_keys, got_values = cache.extend(keys[..., start:end, :], -keys[..., start:end, :])
        assert len(cache) == end
        torch.testing.assert_close(got_keys, keys[..., :end, :], atol=0, rtol=0)
        torch.testing.assert_close(got_values, -keys[..., :end, :], atol=0, rtol=0)
    if capacity is not None:
        with pytest.raises(ValueError, match="holds 12 positions; 13 were asked for"):
            cache.extend(keys[..., :6, :], keys[..., :6, :])


def test_generation_trace_records_the_pick_and_stops_at_end_of_text():
    torch.manual_seed(0)
    gpt = GPT(DecoderConfig(VOCAB, d_model=16, num_layers=1, num_heads=2, d_ff=32, max_positions=32)).eval()
    prompt = torch.tensor([[5, 6, 7]])
    tokens, trace = generation_trace(gpt, prompt, 20, top=3, temperature=5.0,
                                     generator=torch.Generator().manual_seed(1))
    assert len(trace) == 20 and tokens[0, 3:].tolist() == [step["picked"] for step in trace]
    assert any(step["picked_rank"] > 3 for step in trace)  # a hot temperature samples outside the top 3
    for step in trace:
        assert step["top_probabilities"] == sorted(step["top_probabilities"], reverse=True)
        inside = step["picked"] in step["top_ids"]
        assert inside == (step["picked_rank"] <= 3)
    eos = trace[4]["picked"]
    tokens, trace = generation_trace(gpt, prompt, 20, top=3, temperature=5.0, eos_id=eos,
                                     generator=torch.Generator().manual_seed(1))
    assert trace[-1]["picked"] == eos and len(trace) <= 5


def test_repeated_ngram_fraction():
    assert repeated_ngram_fraction([1, 2, 3, 4]) == 0.0
    assert repeated_ngram_fraction([5, 5, 5, 5, 5]) == 0.75
    assert repeated_ngram_fraction([]) == 0.0
    with pytest.raises(ValueError, match="got 0"):
        repeated_ngram_fraction([1, 2], n=0)


def test_summarise_and_table():
    rows = [{"labels": 100, "arm": "a", "seed": s, "accuracy": a} for s, a in enumerate((0.8, 0.9))]
    stats = summarise(rows)[100, "a"]
    assert stats["n"] == 2 and abs(stats["mean"] - 0.85) < 1e-12 and abs(stats["std"] - 0.0707107) < 1e-6
    assert "0.850 ± 0.071  (2 seeds)" in summary_table(rows)


def test_stored_sweeps_record_how_they_were_made():
    for name in ("sweep-17a", "sweep-17b"):
        for record in load_results(name):
            words = record["command"].split()  # e.g. python -m mlqa.transformer --threads 1 sweep-17a --seeds 2
            assert words[:3] == ["python", "-m", "mlqa.transformer"] and name in words
            assert record["date"] and record["settings"]["seeds"]
            assert {row["seed"] for row in record["rows"]} == set(record["settings"]["seeds"])
    with pytest.raises(FileNotFoundError, match="no stored results"):
        load_results("sweep-none")
