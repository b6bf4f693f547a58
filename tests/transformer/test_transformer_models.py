"""Q17: the parts (attention, masks, positions, blocks) and the three model families behave as claimed."""

import pytest
import torch
import torch.nn.functional as F

from mlqa.transformer import (
    GPT,
    BertEncoder,
    DecoderConfig,
    EncoderConfig,
    EncoderDecoder,
    EncoderDecoderConfig,
    MultiHeadAttention,
    causal_mask,
    mask_tokens,
    padding_mask,
    recorded_attention,
    scaled_dot_product_attention,
    sinusoidal_positions,
)
from mlqa.transformer.attention import additive_mask
from mlqa.transformer.gpt import pick_next_token

VOCAB = 50


pytestmark = pytest.mark.usefixtures("one_thread")  # see tests/conftest.py

def tiny_gpt(seed: int = 0) -> GPT:
    torch.manual_seed(seed)
    return GPT(DecoderConfig(VOCAB, d_model=32, num_layers=2, num_heads=4, d_ff=64, max_positions=16)).eval()


def tiny_bert(seed: int = 0) -> BertEncoder:
    torch.manual_seed(seed)
    return BertEncoder(EncoderConfig(VOCAB, d_model=32, num_layers=2, num_heads=4, d_ff=64, max_positions=16)).eval()


def tiny_translator(seed: int = 0) -> EncoderDecoder:
    torch.manual_seed(seed)
    config = EncoderDecoderConfig(VOCAB, pad_id=0, d_model=32, num_heads=4, d_ff=64, max_positions=16)
    return EncoderDecoder(config).eval()


def test_written_out_attention_equals_torch_sdpa():
    q, k, v = torch.randn(3, 2, 4, 5, 8).unbind(0)
    allowed = torch.rand(2, 1, 5, 5) > 0.3
    allowed[..., 0] = True
    ours, weights = scaled_dot_product_attention(q, k, v, allowed)
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
    torch.testing.assert_close(ours, expected, atol=1e-6, rtol=0)
    torch.testing.assert_close(weights.sum(-1), torch.ones(2, 4, 5))
    assert (weights[~allowed.expand_as(weights)] == 0).all()
    causal, _ = scaled_dot_product_attention(q, k, v, causal_mask(5, 5))
    torch.testing.assert_close(causal, F.scaled_dot_product_attention(q, k, v, is_causal=True), atol=1e-6, rtol=0)


def test_causal_mask_with_a_cache_offset():
    assert causal_mask(3, 3).tolist() == [[True, False, False], [True, True, False], [True, True, True]]
    assert causal_mask(1, 4).tolist() == [[True, True, True, True]]
    assert causal_mask(2, 4).tolist() == [[True, True, True, False], [True, True, True, True]]


def test_fully_blocked_rows_stay_finite():
    """Additive masks use the most negative float, not -inf, so a row with nothing to see gives no NaN."""
    scores = torch.zeros(1, 3) + additive_mask(torch.zeros(1, 3, dtype=torch.bool), torch.float32)
    assert torch.isfinite(scores.softmax(-1)).all()


def test_multi_head_attention_modes_agree_with_the_written_out_formula():
    torch.manual_seed(0)
    attention = MultiHeadAttention(16, 4).eval()
    x, context = torch.randn(2, 5, 16), torch.randn(2, 7, 16)
    mask = torch.ones(2, 7, dtype=torch.long)
    mask[1, 4:] = 0
    fast = attention(x, context=context, allowed=padding_mask(mask))
    attention.record_weights = True
    slow = attention(x, context=context, allowed=padding_mask(mask))
    torch.testing.assert_close(fast, slow, atol=1e-6, rtol=0)
    assert attention.weights.shape == (2, 4, 5, 7)
    assert (attention.weights[1, :, :, 4:] == 0).all()
    with pytest.raises(ValueError, match="d_model=10 is not divisible by num_heads=4"):
        MultiHeadAttention(10, 4)


def test_sinusoid_is_laid_out_sin_then_cos():
    table = sinusoidal_positions(20, 8)
    position, i = 7, 2
    angle = torch.tensor(position / 10000 ** (2 * i / 8))
    torch.testing.assert_close(table[position, i], angle.sin())
    torch.testing.assert_close(table[position, 4 + i], angle.cos())
    torch.testing.assert_close(table[:, :4] ** 2 + table[:, 4:] ** 2, torch.ones(20, 4))


def test_gpt_never_looks_ahead():
    gpt = tiny_gpt()
    ids = torch.randint(VOCAB, (2, 10))
    changed = ids.clone()
    changed[:, 6] = (changed[:, 6] + 1) % VOCAB
    with torch.no_grad():
        before, after = gpt(ids), gpt(changed)
    torch.testing.assert_close(before[:, :6], after[:, :6])
    assert (before[:, 6:] - after[:, 6:]).abs().max() > 1e-3


def test_bert_sees_both_sides_but_ignores_padding():
    bert = tiny_bert()
    ids = torch.randint(1, VOCAB, (1, 8))
    changed = ids.clone()
    changed[0, 6] = (changed[0, 6] + 1) % VOCAB
    with torch.no_grad():
        assert (bert(ids)[0, 0] - bert(changed)[0, 0]).abs().max() > 1e-3  # the first token sees the 7th
        padded = torch.cat([ids, torch.randint(VOCAB, (1, 5))], dim=1)
        mask = torch.cat([torch.ones(1, 8), torch.zeros(1, 5)], dim=1).long()
        torch.testing.assert_close(bert(padded, mask)[:, :8], bert(ids), atol=1e-5, rtol=0)


def test_encoder_decoder_is_causal_on_the_target_and_ignores_source_padding():
    model = tiny_translator()
    source = torch.randint(3, VOCAB, (2, 6))
    target = torch.randint(3, VOCAB, (2, 5))
    changed = target.clone()
    changed[:, 3] = (changed[:, 3] + 1) % VOCAB
    padded = torch.cat([source, torch.randint(VOCAB, (2, 3))], dim=1)
    mask = torch.cat([torch.ones(2, 6), torch.zeros(2, 3)], dim=1).long()
    with torch.no_grad():
        torch.testing.assert_close(model(source, target)[:, :3], model(source, changed)[:, :3])
        torch.testing.assert_close(model(padded, target, attention_mask=mask), model(source, target), atol=1e-5, rtol=0)


def test_recorded_attention_is_causal_for_gpt():
    weights = recorded_attention(tiny_gpt(), torch.randint(VOCAB, (1, 6)))
    assert len(weights) == 2 and weights[0].shape == (1, 4, 6, 6)
    above_diagonal = ~causal_mask(6, 6)
    assert all((w[0][:, above_diagonal] == 0).all() for w in weights)


def test_bert_masking_rates():
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(5, 1000, (200, 100))
    ids[:, 0], ids[:, -1] = 2, 3  # [CLS] ... [SEP]
    corrupted, labels = mask_tokens(ids, mask_id=4, vocab_size=1000, special_ids=[0, 2, 3], generator=generator)
    picked = labels != -100
    assert not picked[:, [0, -1]].any()
    assert abs(picked[:, 1:-1].float().mean() - 0.15) < 0.01
    assert (labels[picked] == ids[picked]).all()
    as_mask = (corrupted[picked] == 4).float().mean()
    kept = (corrupted[picked] == ids[picked]).float().mean()
    assert abs(as_mask - 0.8) < 0.02 and abs(kept - 0.1 - 0.001) < 0.02
    assert (corrupted[~picked] == ids[~picked]).all()


def test_sampling_options():
    logits = torch.tensor([[0.0, 3.0, 1.0, 2.0]])
    assert pick_next_token(logits, 0.0, None).item() == 1
    generator = torch.Generator().manual_seed(0)
    draws = torch.stack([pick_next_token(logits, 1.0, 2, generator) for _ in range(200)])
    assert set(draws.flatten().tolist()) == {1, 3}
    gpt = tiny_gpt()
    prompt = torch.randint(VOCAB, (2, 3))
    torch.testing.assert_close(gpt.generate(prompt, 6, temperature=1.0, top_k=1), gpt.generate(prompt, 6))
    with pytest.raises(ValueError, match="temperature"):
        gpt.generate(prompt, 3, temperature=-1.0)
    with pytest.raises(ValueError, match=r"top_k must lie in \[1, 50\], got 0"):
        gpt.generate(prompt, 3, temperature=1.0, top_k=0)


def test_generation_stops_at_end_of_text_and_pads_with_it():
    gpt = tiny_gpt()
    prompt = torch.randint(VOCAB, (3, 2))
    free = gpt.generate(prompt, 8)
    eos = int(free[0, 2])  # the first row's first new token now ends its text at once
    stopped = gpt.generate(prompt, 8, eos_id=eos)
    assert (stopped[0, 2:] == eos).all()
    for row in stopped:
        hits = (row[2:] == eos).nonzero()
        if len(hits):
            assert (row[2 + hits[0, 0] :] == eos).all()


@pytest.mark.parametrize("family", ["gpt", "bert", "translator"])
def test_bad_input_gets_a_clear_error(family):
    model = {"gpt": tiny_gpt, "bert": tiny_bert, "translator": tiny_translator}[family]()
    call = {
        "gpt": lambda ids, mask=None: model(ids, mask),
        "bert": lambda ids, mask=None: model(ids, mask),
        "translator": lambda ids, mask=None: model(ids, ids[:, :3], attention_mask=mask),
    }[family]
    with pytest.raises(ValueError, match="position 20 but the position table has 16 rows"):
        call(torch.zeros(1, 20, dtype=torch.long))
    with pytest.raises(ValueError, match=r"\[0, 50\), got values from 0 to 50"):
        call(torch.tensor([[0, 1, 50]]))
    with pytest.raises(ValueError, match=r"mask of shape \(1, 4\) does not match input_ids of shape \(1, 3\)"):
        call(torch.tensor([[0, 1, 2]]), torch.ones(1, 4, dtype=torch.long))
    if family == "gpt":
        with pytest.raises(ValueError, match="prompt \\+ max_new_tokens = 18 exceeds max_positions = 16"):
            model.generate(torch.zeros(1, 3, dtype=torch.long), 15)
