"""Masks, views, feature corruption and frame shuffles: the pretext tasks' inputs are what they claim (Q2)."""

import numpy as np
import pytest
import torch

from mlqa.selfsupervised import (
    corrupt_features,
    moving_dot_videos,
    order_classes,
    patch_mask,
    pretrain_masked_autoencoder,
    pretrain_simclr,
    random_views,
    shuffle_frames,
)


@pytest.mark.parametrize("mask_ratio, patch, hidden_patches", [(0.5, 2, 8), (0.75, 2, 12), (0.25, 1, 16), (0.0, 4, 0)])
def test_patch_mask_hides_exactly_the_asked_number_of_whole_patches(mask_ratio, patch, hidden_patches):
    mask = patch_mask(50, mask_ratio, patch, torch.Generator().manual_seed(0))
    assert mask.shape == (50, 64)
    assert torch.all((1 - mask).sum(1) == hidden_patches * patch * patch)
    side = 8 // patch
    patches = mask.view(50, side, patch, side, patch)
    assert torch.all(patches.amin((2, 4)) == patches.amax((2, 4))), "a patch is hidden whole or not at all"


def test_patch_mask_rejects_bad_input():
    with pytest.raises(ValueError, match="mask_ratio=1.0"):
        patch_mask(3, 1.0)
    with pytest.raises(ValueError, match="patch=3"):
        patch_mask(3, 0.5, patch=3)


def test_random_views_differ_from_each_other_and_stay_in_range():
    images = torch.rand(20, 64, generator=torch.Generator().manual_seed(0))
    generator = torch.Generator().manual_seed(1)
    first, second = random_views(images, generator), random_views(images, generator)
    assert first.shape == images.shape and first.min() >= 0 and first.max() <= 1
    assert (first - second).abs().mean() > 0.05
    with pytest.raises(ValueError, match=r"\(20, 63\)"):
        random_views(images[:, :63])


def test_corrupt_features_takes_replaced_values_from_the_same_column():
    table = torch.arange(40.0).view(8, 5)  # column c holds values = c (mod 5): a donor keeps its column
    corrupted, replaced = corrupt_features(table, 0.5, torch.Generator().manual_seed(0))
    assert torch.all(corrupted % 5 == table % 5)
    assert torch.all(corrupted[replaced == 0] == table[replaced == 0])
    assert 0.3 < replaced.mean() < 0.7
    with pytest.raises(ValueError, match="mask_rate=0"):
        corrupt_features(table, 0)


def test_order_classes_pair_each_permutation_with_its_reverse():
    classes = order_classes(4)
    assert len(classes) == 12
    covered = {c for c in classes} | {c[::-1] for c in classes}
    assert len(covered) == 24
    with pytest.raises(ValueError, match="1"):
        order_classes(1)


def test_shuffle_frames_applies_an_order_of_the_named_class():
    clips = torch.arange(4.0).view(1, 4, 1).expand(300, 4, 3).contiguous()  # frame t holds the value t
    shuffled, target = shuffle_frames(clips, torch.Generator().manual_seed(0))
    classes = order_classes(4)
    for clip, label in zip(shuffled, target):
        order = tuple(int(v) for v in clip[:, 0])
        assert order in (classes[label], classes[label][::-1])
    assert len(set(target.tolist())) == 12


def test_moving_dot_videos_move_at_their_class_velocity():
    videos, labels = moving_dot_videos(400, seed=0)
    assert videos.shape == (400, 4, 16) and set(labels.tolist()) == {0, 1, 2, 3}
    brightest = videos.argmax(2)
    step = (brightest[:, -1] - brightest[:, 0]) / 3
    assert np.corrcoef(step, np.array([-3, -1, 1, 3])[labels])[0, 1] > 0.95
    with pytest.raises(ValueError, match="width=8"):
        moving_dot_videos(10, width=8)


def test_pretraining_rejects_bad_settings():
    X = np.zeros((10, 64), dtype=np.float32)
    with pytest.raises(ValueError, match="mask_ratio=1.5"):
        pretrain_masked_autoencoder(X, mask_ratio=1.5)
    with pytest.raises(ValueError, match="batch_size=64"):
        pretrain_simclr(X, batch_size=64)
