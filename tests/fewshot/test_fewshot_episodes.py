"""Q3 building blocks: base/novel classes are disjoint, episodes have the right shapes, errors name the sizes."""

import matplotlib
import numpy as np
import pytest
import torch
from torch import nn

from mlqa.fewshot import (
    ClassSet,
    base_and_novel_pairs,
    digit_images_by_class,
    episode_accuracy,
    episode_figure,
    pair_classes,
    plot_accuracy_grid,
    prototype_logits,
    rotated_digit_classes,
    sample_episodes,
    split_pairs,
    trained_encoders,
)

matplotlib.use("Agg")


def test_pairs_split_into_disjoint_base_and_novel_classes():
    base, novel = split_pairs(70, seed=3)
    assert len(base) == 70 and len(novel) == 30
    assert not set(base) & set(novel)
    assert set(base) | set(novel) == {(a, b) for a in range(10) for b in range(10)}
    with pytest.raises(ValueError, match="n_base must lie in 5..95 .*got 99"):
        split_pairs(99)


def test_base_and_novel_classes_share_no_single_digit_image():
    zeros = digit_images_by_class((0,))[0]
    duplicates = {i.tobytes() for i in zeros[0::2]} & {i.tobytes() for i in zeros[1::2]}  # the data's own

    def left_digits(half: int) -> set[bytes]:
        images = pair_classes([(0, 1)], half=half, per_class=300).images[0].reshape(300, 8, 16)
        return {np.ascontiguousarray(image[:, :8]).tobytes() for image in images}

    assert left_digits(0) & left_digits(1) <= duplicates
    assert len(left_digits(0)) > 50
    with pytest.raises(ValueError, match="half must be 0 or 1, got 2"):
        pair_classes([(0, 1)], half=2)


def test_episode_shapes_and_classes_are_distinct():
    base, novel = base_and_novel_pairs()
    assert base.images.shape == (70, 40, 128) and novel.images.shape == (30, 40, 128)
    assert not set(base.names) & set(novel.names)
    support, query, chosen = sample_episodes(novel, 5, 3, 4, 7, np.random.default_rng(0))
    assert support.shape == (7, 5, 3, 128) and query.shape == (7, 5, 4, 128)
    assert all(len(set(row)) == 5 for row in chosen.tolist())
    with pytest.raises(ValueError, match="n_way=31 must lie in 2..30"):
        sample_episodes(novel, 31, 1, 1, 1, np.random.default_rng(0))
    with pytest.raises(ValueError, match="sum to at most the 40 images"):
        sample_episodes(novel, 5, 30, 15, 1, np.random.default_rng(0))


def test_nearest_prototype_on_separable_toy_classes_is_perfect():
    centres = np.eye(4, 8, dtype=np.float32) * 10
    images = centres[:, None, :] + np.random.default_rng(0).normal(0, 0.1, (4, 20, 8)).astype(np.float32)
    toy = ClassSet(images, list("abcd"))
    assert episode_accuracy(nn.Identity(), toy, n_way=4, k_shot=1, n_query=5, episodes=20) == 1.0
    support, query, _ = sample_episodes(toy, 3, 2, 2, 1, np.random.default_rng(0))
    logits = prototype_logits(nn.Identity(), torch.from_numpy(support), torch.from_numpy(query))
    assert logits.shape == (1, 6, 3) and (logits <= 0).all()


def test_rotated_control_has_40_base_classes_of_digits_0_to_4():
    base, novel = rotated_digit_classes()
    assert len(base) == 40 and novel.names == ["5", "6", "7", "8", "9"]


def test_unknown_method_is_named():
    base, _ = base_and_novel_pairs()
    with pytest.raises(ValueError, match="unknown methods \\['magic'\\]"):
        trained_encoders(base, methods=("magic",))


def test_episode_figure_draws_one_row_per_class():
    fig = episode_figure(n_way=3, k_shot=1, n_query=2)
    assert len(fig.axes) == 9


def test_accuracy_grid_plot_has_one_panel_per_method():
    grid = {"raw pixels": np.full((2, 3), 0.5), "prototypical network": np.full((2, 3), 0.9)}
    fig = plot_accuracy_grid(grid, ways=(2, 5), shots=(1, 2, 5))
    assert len(fig.axes) == 2 and len(fig.axes[0].lines) == 2
