"""Q17: mlqa's transformers compute what Hugging Face transformers computes."""

import pytest
import torch
import transformers as hf

from mlqa.transformer import (
    GPT,
    BertClassifier,
    BertEncoder,
    BertForPretraining,
    EncoderDecoder,
    GPTClassifier,
    from_hf,
    perturbed,
    reference_models,
)

ATOL = 1e-5
VOCAB, PAD = 61, 0


pytestmark = pytest.mark.usefixtures("one_thread")  # see tests/conftest.py

def batch(seed: int = 1, size: int = 3, seq: int = 9, vocab: int = VOCAB) -> tuple[torch.Tensor, torch.Tensor]:
    """Token ids (avoiding PAD) and a right-padded attention mask with rows of different lengths."""
    generator = torch.Generator().manual_seed(seed)
    ids = torch.randint(1, vocab, (size, seq), generator=generator)
    mask = torch.ones(size, seq, dtype=torch.long)
    for row in range(1, size):
        mask[row, max(2, seq - 2 * row - 1) :] = 0
    return ids, mask


def gpt2_config(**extra) -> hf.GPT2Config:
    return hf.GPT2Config(
        vocab_size=VOCAB, n_positions=32, n_embd=32, n_layer=2, n_head=4, bos_token_id=1, eos_token_id=2,
        pad_token_id=PAD, attn_implementation="eager", **extra,
    )


def bert_config() -> hf.BertConfig:
    return hf.BertConfig(
        vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=48,
        max_position_embeddings=32, pad_token_id=PAD, num_labels=3, attn_implementation="eager",
    )


def marian_config() -> hf.MarianConfig:
    return hf.MarianConfig(
        vocab_size=VOCAB, decoder_vocab_size=VOCAB, d_model=32, encoder_layers=2, decoder_layers=2,
        encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=48, decoder_ffn_dim=48,
        max_position_embeddings=32, activation_function="relu", scale_embedding=True, pad_token_id=PAD,
        decoder_start_token_id=PAD, eos_token_id=2, bos_token_id=1, forced_eos_token_id=None,
        attn_implementation="eager",
    )


def test_gpt2_lm_logits_match():
    theirs = perturbed(hf.GPT2LMHeadModel(gpt2_config()))
    ours = from_hf(theirs)
    assert isinstance(ours, GPT)
    ids, mask = batch()
    with torch.no_grad():
        expected = theirs(input_ids=ids, attention_mask=mask).logits
        got = ours(input_ids=ids, attention_mask=mask)
    keep = mask.bool()
    torch.testing.assert_close(got[keep], expected[keep], atol=ATOL, rtol=0)


def test_gpt2_sequence_classification_matches():
    theirs = perturbed(hf.GPT2ForSequenceClassification(gpt2_config(num_labels=3)))
    ours = from_hf(theirs)
    assert isinstance(ours, GPTClassifier)
    ids, mask = batch()
    ids = ids.masked_fill(mask == 0, PAD)
    with torch.no_grad():
        expected = theirs(input_ids=ids, attention_mask=mask).logits
        got = ours(input_ids=ids, attention_mask=mask)
    torch.testing.assert_close(got, expected, atol=ATOL, rtol=0)


@pytest.mark.parametrize("use_cache", [True, False])
def test_gpt2_greedy_generation_is_token_identical(use_cache):
    theirs = perturbed(hf.GPT2LMHeadModel(gpt2_config()), seed=3)
    ours = from_hf(theirs)
    prompt, _ = batch(seed=4, size=2, seq=5)
    expected = theirs.generate(
        prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=20, do_sample=False, num_beams=1,
        eos_token_id=None, pad_token_id=PAD,
    )
    got = ours.generate(prompt, max_new_tokens=20, use_cache=use_cache)
    assert torch.equal(got, expected)


def test_kv_cache_equals_recomputation_with_sampling():
    theirs = perturbed(hf.GPT2LMHeadModel(gpt2_config()), seed=5)
    ours = from_hf(theirs)
    prompt, _ = batch(seed=6, size=3, seq=4)
    runs = [
        ours.generate(prompt, 25, temperature=0.8, top_k=10, use_cache=use_cache,
                      generator=torch.Generator().manual_seed(7))
        for use_cache in (True, False)
    ]
    assert torch.equal(runs[0], runs[1])


def test_bert_model_hidden_states_match():
    theirs = perturbed(hf.BertModel(bert_config()), embedding_std=0.01)
    ours = from_hf(theirs)
    assert isinstance(ours, BertEncoder)
    ids, mask = batch()
    types = torch.zeros_like(ids)
    types[:, 4:] = 1
    with torch.no_grad():
        expected = theirs(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
        got = ours(input_ids=ids, attention_mask=mask, token_type_ids=types)
    keep = mask.bool()
    torch.testing.assert_close(got[keep], expected[keep], atol=ATOL, rtol=0)


def test_bert_pretraining_mlm_and_nsp_logits_match():
    theirs = perturbed(hf.BertForPreTraining(bert_config()))
    ours = from_hf(theirs)
    assert isinstance(ours, BertForPretraining)
    ids, mask = batch()
    types = torch.zeros_like(ids)
    types[:, 5:] = 1
    with torch.no_grad():
        out = theirs(input_ids=ids, attention_mask=mask, token_type_ids=types)
        mlm, nsp = ours(input_ids=ids, attention_mask=mask, token_type_ids=types)
    keep = mask.bool()
    torch.testing.assert_close(mlm[keep], out.prediction_logits[keep], atol=ATOL, rtol=0)
    torch.testing.assert_close(nsp, out.seq_relationship_logits, atol=ATOL, rtol=0)


def test_bert_sequence_classification_matches():
    theirs = perturbed(hf.BertForSequenceClassification(bert_config()))
    ours = from_hf(theirs)
    assert isinstance(ours, BertClassifier)
    ids, mask = batch()
    with torch.no_grad():
        expected = theirs(input_ids=ids, attention_mask=mask).logits
        got = ours(input_ids=ids, attention_mask=mask)
    torch.testing.assert_close(got, expected, atol=ATOL, rtol=0)


def test_marian_logits_match():
    theirs = perturbed(hf.MarianMTModel(marian_config()))
    ours = from_hf(theirs)
    assert isinstance(ours, EncoderDecoder)
    ids, mask = batch()
    target, _ = batch(seed=2, seq=7)
    with torch.no_grad():
        expected = theirs(input_ids=ids, attention_mask=mask, decoder_input_ids=target).logits
        got = ours(input_ids=ids, attention_mask=mask, decoder_input_ids=target)
    torch.testing.assert_close(got, expected, atol=ATOL, rtol=0)


def test_marian_greedy_generation_is_token_identical():
    theirs = perturbed(hf.MarianMTModel(marian_config()), seed=8)
    ours = from_hf(theirs)
    ids, mask = batch(seed=9)
    expected = theirs.generate(
        input_ids=ids, attention_mask=mask, max_new_tokens=15, do_sample=False, num_beams=1
    )
    got = ours.generate(ids, start_id=PAD, eos_id=2, max_new_tokens=15, attention_mask=mask)
    assert torch.equal(got, expected)


@pytest.mark.parametrize(
    "mistake",
    ["skip Conv1D transpose", "exact GELU in GPT-2", "BERT eps 1e-5"],
)
def test_the_checks_catch_classic_mapping_mistakes(mistake):
    """The perturbed weights are large enough that each classic porting bug shows as > 1e-4."""
    ids, mask = batch()
    if mistake == "skip Conv1D transpose":
        theirs = perturbed(hf.GPT2LMHeadModel(gpt2_config()))
        ours = from_hf(theirs)
        with torch.no_grad():
            for block, hf_block in zip(ours.blocks, theirs.transformer.h):
                block.attention.out.weight.copy_(hf_block.attn.c_proj.weight)
    elif mistake == "exact GELU in GPT-2":
        theirs = perturbed(hf.GPT2LMHeadModel(gpt2_config()))
        ours = from_hf(theirs)
        for block in ours.blocks:
            block.ffn[1] = torch.nn.GELU()
    else:
        theirs = perturbed(hf.BertModel(bert_config()), embedding_std=0.01)
        ours = from_hf(theirs)
        for module in ours.modules():
            if isinstance(module, torch.nn.LayerNorm):
                module.eps = 1e-5
    with torch.no_grad():
        out = theirs(input_ids=ids, attention_mask=mask)
        expected = out.logits if hasattr(out, "logits") else out.last_hidden_state
        got = ours(input_ids=ids, attention_mask=mask)
    keep = mask.bool()
    assert (got[keep] - expected[keep]).abs().max() > 1e-4


def test_unsupported_models_are_refused():
    with pytest.raises(TypeError, match="BertForMaskedLM"):
        from_hf(hf.BertForMaskedLM(bert_config()))
    with pytest.raises(ValueError, match="scale_attn_by_inverse_layer_idx"):
        from_hf(hf.GPT2LMHeadModel(gpt2_config(scale_attn_by_inverse_layer_idx=True)))
    with pytest.raises(ValueError, match="silu"):
        from_hf(hf.BertModel(hf.BertConfig(**{**bert_config().to_dict(), "hidden_act": "silu"})))


def test_reference_models_are_seeded_and_match_mlqa():
    """reference_models(seed) draws every weight from its seed: same seed, same weights; mlqa matches each."""
    first, again, other = reference_models(seed=0), reference_models(seed=0), reference_models(seed=1)
    ids = torch.randint(3, 97, (2, 12), generator=torch.Generator().manual_seed(1))
    for name in ("GPT-2", "BERT", "Marian"):
        weights = [dict(m[name].named_parameters()) for m in (first, again, other)]
        assert all(torch.equal(weights[0][k], weights[1][k]) for k in weights[0]), name
        assert not all(torch.equal(weights[0][k], weights[2][k]) for k in weights[0]), name
    marian = first["Marian"]
    assert torch.equal(marian.final_logits_bias, again["Marian"].final_logits_bias)
    assert marian.final_logits_bias.abs().max() > 0
    with torch.no_grad():
        assert (from_hf(first["GPT-2"])(ids) - first["GPT-2"](input_ids=ids).logits).abs().max() < ATOL
        assert (from_hf(first["BERT"])(ids)[1] - first["BERT"](input_ids=ids).seq_relationship_logits
                ).abs().max() < ATOL
        assert (from_hf(marian)(ids, ids[:, :5]) - marian(input_ids=ids, decoder_input_ids=ids[:, :5]).logits
                ).abs().max() < ATOL
