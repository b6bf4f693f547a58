"""Adapters, LoRA, soft prompts and the arms on a small encoder: starting points, counts and bad input (Q18)."""

import copy

import pytest
import torch

from mlqa.finetuning import (
    AdaptedClassifier,
    Adapter,
    add_adapters,
    add_lora,
    add_prefixes,
    add_soft_prompt,
    encode,
    lora_parameter_count,
    merge_lora,
)
from mlqa.finetuning.adaptation import adapted_model, freeze_all_but, trainable_parameters
from mlqa.finetuning.incontext import EXAMPLE_TOKENS, ICLTokens, prompt_batch, training_sequences
from mlqa.transformer import BertEncoder, EncoderConfig


@pytest.fixture(scope="module")
def encoder(one_thread):
    torch.manual_seed(0)
    return BertEncoder(EncoderConfig(vocab_size=50, d_model=16, num_layers=2, num_heads=2, d_ff=32)).eval()


@pytest.fixture(scope="module")
def batch():
    ids = torch.randint(1, 50, (3, 7), generator=torch.Generator().manual_seed(1))
    mask = torch.ones_like(ids)
    mask[2, 5:] = 0
    return ids, mask


def test_encode_without_extras_is_the_encoders_forward(encoder, batch):
    with torch.no_grad():
        assert torch.allclose(encode(encoder, *batch), encoder(*batch), atol=1e-6)


@pytest.mark.parametrize("attach", [lambda e: add_adapters(e, 4), lambda e: add_lora(e, 2, 4)])
def test_adapters_and_lora_start_as_the_identity(encoder, batch, attach):
    adapted = copy.deepcopy(encoder)
    attach(adapted)
    with torch.no_grad():
        assert torch.allclose(adapted(*batch), encoder(*batch), atol=1e-6)


def test_soft_prompt_and_prefix_change_the_output(encoder, batch):
    for attach in (add_soft_prompt, add_prefixes):
        adapted = copy.deepcopy(encoder)
        attach(adapted, 3)
        with torch.no_grad():
            assert (encode(adapted, *batch) - encoder(*batch)).abs().max() > 1e-3


def test_lora_trainable_count_matches_the_formula(encoder):
    model = AdaptedClassifier(copy.deepcopy(encoder), torch.nn.Linear(16, 2))
    add_lora(model.encoder, rank=2, alpha=4, targets=("query", "value"))
    count = freeze_all_but(model, ("lora_",))
    assert count == lora_parameter_count(16, 16, rank=2, num_layers=4)


def test_every_arm_trains_only_its_own_parameters(encoder):
    head = torch.nn.Linear(16, 2)
    total = sum(p.numel() for p in encoder.parameters()) + 34
    counts = {arm: trainable_parameters(adapted_model(arm, encoder, head)) for arm in
              ("all_layers", "adapters", "lora", "prefix", "prompt")}
    assert counts["all_layers"] == total
    assert counts["prompt"] == 10 * 16 + 34
    assert counts["prefix"] == 2 * 2 * 10 * 16 + 34
    assert counts["prompt"] < counts["prefix"] < counts["adapters"] < counts["all_layers"]


def test_merged_lora_has_the_original_size(encoder):
    adapted = copy.deepcopy(encoder)
    add_lora(adapted, rank=2, alpha=4)
    assert sum(p.numel() for p in merge_lora(adapted).parameters()) == sum(p.numel() for p in encoder.parameters())


def test_bad_input_names_the_values(encoder, batch):
    with pytest.raises(ValueError, match="rank must lie in 1..16, got 0"):
        add_lora(copy.deepcopy(encoder), rank=0)
    with pytest.raises(ValueError, match="no nn.Linear named"):
        add_lora(copy.deepcopy(encoder), targets=("nothing",))
    with pytest.raises(ValueError, match="bottleneck must lie in 1..16, got 40"):
        Adapter(16, 40)
    with pytest.raises(ValueError, match="holds no LoRALinear"):
        merge_lora(copy.deepcopy(encoder))
    with pytest.raises(ValueError, match=r"input_ids \(3, 7\) and attention_mask \(3, 6\)"):
        encode(encoder, batch[0], batch[1][:, :6])
    with pytest.raises(ValueError, match="arm 'features' has no adapted model"):
        adapted_model("features", encoder, torch.nn.Linear(16, 2))


def test_icl_prompts_line_up_and_flip_the_label_words():
    tokens = ICLTokens(["what a great flight", "lost my bag again", "love the crew", "worst delay ever"] * 20,
                       vocab_size=200)
    demos = [[("love the crew", 1), ("worst delay ever", 0)]] * 2
    rows = prompt_batch(tokens, demos, ["great crew", "bag lost"])
    flipped = prompt_batch(tokens, demos, ["great crew", "bag lost"], flipped=True)
    assert rows.shape == (2, 3 * EXAMPLE_TOKENS - 2)
    label_at = EXAMPLE_TOKENS - 2
    assert rows[0, label_at].item() == tokens.words[1] and flipped[0, label_at].item() == tokens.words[0]
    ids, positions, targets = training_sequences(tokens, ["a b", "c d", "e f"], [0, 1, 0], 4, examples=3)
    assert (ids[torch.arange(4)[:, None], positions + 1] == targets).all()
