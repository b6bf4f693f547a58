"""Our LoRA, prompt and prefix tuning against peft on the same BERT: outputs agree to 1e-5 (Q18)."""

import copy

import pytest
import torch

from mlqa.finetuning import (
    add_lora,
    add_prefixes,
    add_soft_prompt,
    copy_lora_from_peft,
    copy_prefixes_from_peft,
    copy_prompt_from_peft,
    encode,
    max_difference,
    merge_lora,
    randomise_lora,
)
from mlqa.transformer import from_hf, perturbed

TOLERANCE = 1e-5  # float32 sums over a few hundred terms in a different order


@pytest.fixture(scope="module")
def bert(one_thread):
    """A small Hugging Face BertModel with every weight redrawn, our copy of it, and a padded batch."""
    import transformers as hf

    config = hf.BertConfig(vocab_size=97, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                           intermediate_size=64, attn_implementation="eager", pad_token_id=0)
    theirs = perturbed(hf.BertModel(config, add_pooling_layer=False), seed=3, std=0.1)
    ids = torch.randint(1, 97, (3, 9), generator=torch.Generator().manual_seed(0))
    mask = torch.ones_like(ids)
    mask[1, 6:] = 0
    mask[2, 4:] = 0
    return theirs, from_hf(theirs).eval(), ids, mask


def lora_config(targets):
    from peft import LoraConfig

    return LoraConfig(r=4, lora_alpha=8, target_modules=list(targets), lora_dropout=0.0)


@pytest.mark.parametrize("targets", [("query", "value"), ("query", "key", "value", "dense")])
def test_lora_matches_peft_on_the_hugging_face_bert(bert, targets):
    from peft import get_peft_model

    theirs, ours, ids, mask = bert
    wrapped = get_peft_model(copy.deepcopy(theirs), lora_config(targets)).eval()
    randomise_lora(wrapped, std=0.3)
    mine = copy.deepcopy(ours)
    add_lora(mine, rank=4, alpha=8, targets=tuple(t if t != "dense" else "out" for t in targets))
    if "dense" in targets:  # peft's "dense" also names the two FFN layers; give ours those too
        add_lora(mine, rank=4, alpha=8, targets=("0", "2"))
    assert copy_lora_from_peft(mine, wrapped) == (2 if len(targets) == 2 else 6) * 2
    with torch.no_grad():
        expected = wrapped(input_ids=ids, attention_mask=mask).last_hidden_state
        plain = theirs(input_ids=ids, attention_mask=mask).last_hidden_state
        got = mine(ids, mask)
    assert max_difference(got, expected) < TOLERANCE
    assert max_difference(plain, expected) > 100 * TOLERANCE  # the adapter really changes the output


def test_lora_matches_peft_on_our_encoder_and_merging_changes_nothing(bert):
    from peft import get_peft_model

    _, ours, ids, mask = bert
    wrapped = get_peft_model(copy.deepcopy(ours), lora_config(("query", "value"))).eval()
    randomise_lora(wrapped, std=0.3)
    mine = copy.deepcopy(ours)
    add_lora(mine, rank=4, alpha=8)
    copy_lora_from_peft(mine, wrapped)
    with torch.no_grad():
        unmerged = mine(ids, mask)
        assert max_difference(unmerged, wrapped(ids, mask)) < TOLERANCE
        merged = merge_lora(mine)
        assert max_difference(merged(ids, mask), unmerged) < TOLERANCE
        assert max_difference(wrapped.merge_and_unload()(ids, mask), unmerged) < TOLERANCE
    assert sum(p.numel() for p in merged.parameters()) == sum(p.numel() for p in ours.parameters())


def test_prompt_tuning_matches_peft(bert):
    from peft import PromptTuningConfig, get_peft_model

    theirs, ours, ids, mask = bert
    wrapped = get_peft_model(copy.deepcopy(theirs), PromptTuningConfig(task_type="FEATURE_EXTRACTION",
                                                                        num_virtual_tokens=5)).eval()
    mine = copy.deepcopy(ours)
    add_soft_prompt(mine, length=5, seed=1)
    with torch.no_grad():
        wrapped.prompt_encoder["default"].embedding.weight.normal_(0, 0.3)
    copy_prompt_from_peft(mine, wrapped)
    with torch.no_grad():
        expected = wrapped(input_ids=ids, attention_mask=mask).last_hidden_state[:, 5:]
        assert max_difference(encode(mine, ids, mask), expected) < TOLERANCE


def test_prefix_tuning_matches_peft_once_positions_move_up(bert):
    from peft import PrefixTuningConfig, get_peft_model

    theirs, ours, ids, mask = bert
    wrapped = get_peft_model(copy.deepcopy(theirs), PrefixTuningConfig(task_type="FEATURE_EXTRACTION",
                                                                        num_virtual_tokens=4)).eval()
    with torch.no_grad():
        wrapped.prompt_encoder["default"].embedding.weight.normal_(0, 0.3)
    mine = copy.deepcopy(ours)
    add_prefixes(mine, length=4)
    copy_prefixes_from_peft(mine, wrapped)
    with torch.no_grad():
        expected = wrapped(input_ids=ids, attention_mask=mask).last_hidden_state
        assert max_difference(encode(mine, ids, mask, position_offset=4), expected) < TOLERANCE
        # peft's BERT takes the prefix for 4 earlier tokens, so without the offset the two differ
        assert max_difference(encode(mine, ids, mask), expected) > 100 * TOLERANCE


@pytest.mark.slow
def test_lora_matches_peft_on_minilm(one_thread):
    from peft import get_peft_model

    from mlqa.transformer import encode_wordpiece, load_minilm

    theirs, ours, tokenizer = load_minilm()
    ids, mask = encode_wordpiece(tokenizer, ["what a lovely flight", "lost my bag again, thanks for nothing"], 16)
    wrapped = get_peft_model(copy.deepcopy(theirs), lora_config(("query", "value"))).eval()
    randomise_lora(wrapped, std=0.05)
    mine = copy.deepcopy(ours)
    add_lora(mine, rank=4, alpha=8)
    copy_lora_from_peft(mine, wrapped)
    with torch.no_grad():
        expected = wrapped(input_ids=ids, attention_mask=mask).last_hidden_state
        assert max_difference(mine(ids, mask), expected) < TOLERANCE
        assert max_difference(merge_lora(mine)(ids, mask), expected) < TOLERANCE
