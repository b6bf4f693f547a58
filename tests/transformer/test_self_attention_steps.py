"""Q16: self-attention step by step against PyTorch, multi-head parity, masks, scaling, cost, image patches."""

import math

import pytest
import torch
import torch.nn.functional as F

from mlqa.transformer import (
    MultiHeadAttention,
    attention_cost,
    image_patches,
    masking_checks,
    multihead_gradients,
    quadratic_fit,
    self_attention_steps,
    softmax_saturation,
    torch_multihead_copy,
    toy_embeddings,
)


def test_steps_match_fused_attention_to_1e5(one_thread):
    tokens = "a b c a d".split()
    x = toy_embeddings(tokens, 8, seed=3)
    g = torch.Generator().manual_seed(0)
    wq, wk, wv = (torch.randn(8, d, generator=g) for d in (4, 4, 6))
    steps = self_attention_steps(tokens, x, wq, wk, wv)
    assert steps.shapes() == {"embeddings": (5, 8), "query": (5, 4), "key": (5, 4), "value": (5, 6),
                              "scores": (5, 5), "weights": (5, 5), "output": (5, 6)}
    assert torch.equal(x[0], x[3])  # the same token gets the same embedding
    assert torch.allclose(steps.scores, steps.query @ steps.key.T / math.sqrt(4))
    fused = F.scaled_dot_product_attention(steps.query[None], steps.key[None], steps.value[None])[0]
    assert torch.allclose(steps.output, fused, atol=1e-5)


def test_steps_refuse_mismatched_shapes():
    x = torch.randn(3, 8)
    with pytest.raises(ValueError, match="tokens=2"):
        self_attention_steps(["a", "b"], x, torch.randn(8, 4), torch.randn(8, 4), torch.randn(8, 4))
    with pytest.raises(ValueError, match="w_key"):
        self_attention_steps(["a", "b", "c"], x, torch.randn(8, 4), torch.randn(7, 4), torch.randn(8, 4))
    with pytest.raises(ValueError, match="same size"):
        self_attention_steps(["a", "b", "c"], x, torch.randn(8, 4), torch.randn(8, 3), torch.randn(8, 4))
    with pytest.raises(ValueError, match="d_model=0"):
        toy_embeddings(["a"], 0)


def test_multihead_matches_torch_outputs_and_gradients_to_1e5(one_thread):
    torch.manual_seed(0)
    ours = MultiHeadAttention(24, 3)
    with torch.no_grad():  # non-zero biases so a misplaced bias would show
        for p in ours.parameters():
            p.add_(0.1 * torch.randn_like(p))
    theirs = torch_multihead_copy(ours)
    x = torch.randn(2, 9, 24)
    assert torch.allclose(ours(x), theirs(x, x, x, need_weights=False)[0], atol=1e-5)
    grads = multihead_gradients(ours, theirs, x)
    for part in ("input", "in_proj", "out_proj"):
        assert torch.allclose(grads[f"ours {part}"], grads[f"theirs {part}"], atol=1e-5), part


def test_masks_hide_the_future_and_the_padding_exactly():
    changes = masking_checks(seed=1)
    assert changes["causal"] < 1e-6
    assert changes["padding"] < 1e-6
    assert changes["padding, unmasked"] > 1e-3  # the control: without the mask the padding leaks in
    with pytest.raises(ValueError, match="num_pad=0"):
        masking_checks(num_pad=0)


def test_scaling_keeps_the_softmax_from_saturating():
    rows = softmax_saturation([1, 16, 256, 1024], num_queries=200)
    raw = [r["max weight (raw)"] for r in rows]
    assert raw == sorted(raw) and raw[-1] > 0.9
    assert rows[-1]["gradient norm (raw)"] < rows[0]["gradient norm (raw)"] / 4
    scaled = [r["max weight (scaled)"] for r in rows]
    assert max(scaled) - min(scaled) < 0.1
    assert abs(rows[-1]["score std (raw)"] - 32) < 3  # sqrt(1024)
    with pytest.raises(ValueError, match="num_keys=1"):
        softmax_saturation([4], num_keys=1)


def test_attention_flops_and_memory_are_exactly_quadratic(one_thread):
    rows = attention_cost([16, 32, 64], d_head=8, num_heads=2, repeats=1)
    for row in rows:
        n = row["length"]
        assert row["flops"] == 2 * 2 * 2 * 8 * n * n  # heads x (QK^T and weights @ V) x 2 FLOPs per multiply-add x d
        assert row["weight bytes"] == 2 * n * n * 4
    (a, _, _), r2 = quadratic_fit([r["length"] for r in rows], [r["flops"] for r in rows])
    assert a == pytest.approx(64) and r2 == pytest.approx(1.0)
    with pytest.raises(ValueError, match="at least 3"):
        quadratic_fit([1, 2], [1, 4])


def test_image_patches_cut_row_by_row():
    images = torch.arange(32.0).view(2, 4, 4)
    patches = image_patches(images, 2)
    assert patches.shape == (2, 4, 4)
    assert patches[0, 1].tolist() == [2.0, 3.0, 6.0, 7.0]
    assert patches[1, 3].tolist() == [26.0, 27.0, 30.0, 31.0]
    with pytest.raises(ValueError, match="patch=3"):
        image_patches(images, 3)
