"""Q13: inductive biases measured, the ViT against Hugging Face, the vectorised trainer, attention distance."""

from functools import partial

import numpy as np
import pytest
import torch

from mlqa.vision import (
    Member,
    accuracy,
    conv_features,
    digit_images,
    input_pixels_seen,
    mean_attention_distance,
    patch_distances,
    patch_token_grid,
    random_shift,
    run_data_efficiency,
    shift_error,
    small_cnn,
    small_vit,
    subset_indices,
    to_hugging_face,
    train_members,
    training_subset,
    uniform_attention_distance,
    vit_block_grid,
)


@pytest.fixture(scope="module")
def data():
    return digit_images()


def test_cnn_is_equivariant_and_vit_tokens_are_not(data, one_thread):
    torch.manual_seed(0)
    cnn, vit = small_cnn(), small_vit()
    with torch.no_grad():
        vit.pos_embed.normal_(0, 1.0)
    images = data.x_test[:16]
    assert shift_error(conv_features(cnn), images, 1) < 1e-6
    assert shift_error(lambda x: patch_token_grid(vit, x, positions=False), images, 2) < 1e-6
    assert shift_error(lambda x: patch_token_grid(vit, x, positions=False), images, 1) > 0.1
    assert shift_error(lambda x: patch_token_grid(vit, x), images, 2) > 0.1
    assert input_pixels_seen(conv_features(cnn), (1, 8, 8), 4, 4) == 9
    assert input_pixels_seen(lambda x: vit_block_grid(vit, x), (1, 8, 8), 0, 0) == 64


@pytest.mark.parametrize("patch_size,dim,depth,heads", [(2, 32, 2, 4), (4, 24, 3, 2), (1, 16, 1, 1)])
def test_vit_equals_hugging_face_after_weight_copy(patch_size, dim, depth, heads, one_thread):
    torch.manual_seed(1)
    ours = small_vit(patch_size=patch_size, dim=dim, depth=depth, heads=heads).eval()
    with torch.no_grad():
        for parameter in ours.parameters():
            parameter.add_(0.3 * torch.randn_like(parameter))  # no trivial zero biases or unit norms
    reference = to_hugging_face(ours)
    images = torch.rand(8, 1, 8, 8)
    with torch.no_grad():
        torch.testing.assert_close(ours(images), reference(pixel_values=images).logits, rtol=0, atol=1e-5)


def test_vectorised_training_equals_training_one_by_one(data, one_thread):
    members = [Member(*training_subset(data, 40, seed), seed, augment=seed == 1) for seed in (0, 1)]
    together = train_members(small_cnn, members, steps=5, progress=False)
    alone = train_members(small_cnn, members[:1], steps=5, progress=False)
    for a, b in zip(together[0].parameters(), alone[0].parameters()):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)


def test_training_learns_and_starts_from_given_weights(data, one_thread):
    members = [Member(*training_subset(data, 200, 0), 0)]
    (model,) = train_members(small_cnn, members, steps=150, progress=False)
    assert accuracy(model, data.x_test, data.y_test) > 0.8  # chance is 0.1
    start = {k: v.clone() for k, v in model.state_dict().items()}
    (unchanged,) = train_members(small_cnn, [Member(*training_subset(data, 50, 0), 0, start=start)], steps=1,
                                 lr=1e-12, progress=False)
    assert accuracy(unchanged, data.x_test, data.y_test) == accuracy(model, data.x_test, data.y_test)


def test_subsets_are_stratified_seeded_and_disjoint_from_test(data):
    a, b = subset_indices(data, 50, 0), subset_indices(data, 50, 1)
    assert len(set(a)) == 50 and not np.array_equal(a, b)
    assert np.bincount(data.y_pool[a].numpy()).min() >= 4
    assert len(data.y_pool) + len(data.y_test) == 1797
    with pytest.raises(ValueError, match="between 10 and 1257"):
        subset_indices(data, 5000, 0)


def test_random_shift_moves_at_most_one_pixel():
    images = torch.zeros(50, 1, 8, 8)
    images[:, :, 4, 4] = 1
    shifted = random_shift(images, torch.Generator().manual_seed(0))
    rows, cols = shifted[:, 0].nonzero()[:, 1], shifted[:, 0].nonzero()[:, 2]
    assert set(rows.tolist()) == {3, 4, 5} and set(cols.tolist()) == {3, 4, 5}


def test_attention_distance_of_uniform_and_local_heads():
    distances = patch_distances(4, 2)
    assert distances.shape == (16, 16) and distances[0, 15].item() == pytest.approx(6 * 2**0.5)
    torch.manual_seed(0)
    vit = small_vit().eval()
    with torch.no_grad():
        for block in vit.blocks:
            block.attn.qkv.weight.zero_()  # zero queries and keys: exactly uniform attention
            block.attn.qkv.bias.zero_()
    values = mean_attention_distance(vit, torch.rand(4, 1, 8, 8))
    # uniform over the 17 tokens, renormalised over the 16 patches: exactly the uniform patch distance
    np.testing.assert_allclose(values, uniform_attention_distance(4, 2), rtol=1e-5)


@pytest.mark.slow
def test_cnn_wins_at_the_smallest_size_and_pretraining_narrows_the_gap(data, one_thread):
    result = run_data_efficiency(sizes=(50, 1257), seeds=(0, 1), data=data, progress=False)
    gap = result.gap()
    assert (gap[0] > 0.1).all() and gap[0].mean() > gap[1].mean() + 0.1
    assert result.gap("pretrained").mean() < gap[0].mean() - 0.05


def test_bad_arguments_raise(data):
    with pytest.raises(ValueError, match="steps"):
        train_members(small_cnn, [Member(*training_subset(data, 20, 0), 0)], steps=0)
    with pytest.raises(ValueError, match="patch_size=3"):
        partial(small_vit, patch_size=3)()
