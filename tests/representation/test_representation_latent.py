"""The 2-D autoencoder reconstructs better than 2-D PCA, keeps classes apart, and walks decode smoothly (Q1)."""

import numpy as np
import pytest

from mlqa.representation import (
    Autoencoder,
    class_centres,
    decode,
    digits_halves,
    encode,
    latent_study,
    latent_walk,
    references_and_queries,
    train_autoencoder,
    walk_between_digits,
)


@pytest.fixture(scope="module")
def study(one_thread):
    return latent_study(seeds=(0,), device="cpu")


def test_autoencoder_beats_linear_pca_at_two_dimensions(study):
    result, _ = study
    assert result.autoencoder_error[0] < result.pca_error[0] - 0.005  # about 0.038 against 0.053
    assert result.autoencoder_knn[0] > result.pca_knn[0] + 0.05  # about 0.75 against 0.60; chance is 0.10


def test_walk_starts_and_ends_near_the_two_digits(study):
    _, model = study
    data = digits_halves(0)
    walk, images = walk_between_digits(model, data.X_test, data.y_test, 0, 6, steps=5)
    assert walk.shape == (5, 2) and images.shape == (5, 8, 8)
    means = {d: data.X_test[data.y_test == d].mean(0).reshape(8, 8) for d in (0, 6)}
    distance = {(i, d): np.abs(images[i] - means[d]).mean() for i in (0, -1) for d in (0, 6)}
    assert distance[0, 0] < distance[0, 6] and distance[-1, 6] < distance[-1, 0]


def test_shapes_and_walk_endpoints():
    walk = latent_walk(np.array([0.0, 1.0]), np.array([2.0, -1.0]), steps=3)
    assert walk.tolist() == [[0.0, 1.0], [1.0, 0.0], [2.0, -1.0]]
    model = Autoencoder().eval()
    assert encode(model, np.zeros((4, 64))).shape == (4, 2) and decode(model, np.zeros((3, 2))).shape == (3, 8, 8)
    centres = class_centres(np.array([[0.0, 0], [2, 2], [10, 10]]), np.array([0, 0, 1]))
    assert centres.tolist() == [[1.0, 1.0], [10.0, 10.0]]


def test_bad_input_names_the_values():
    with pytest.raises(ValueError, match=r"n >= batch_size=128, got shape \(10, 64\)"):
        train_autoencoder(np.zeros((10, 64)))
    with pytest.raises(ValueError, match="at least 2 steps, got 1"):
        latent_walk(np.zeros(2), np.ones(2), steps=1)
    with pytest.raises(ValueError, match=r"\(2,\) and \(3,\)"):
        latent_walk(np.zeros(2), np.ones(3))
    with pytest.raises(ValueError, match="latent_dim=0"):
        Autoencoder(latent_dim=0)
    with pytest.raises(ValueError, match="3 codes but 2 labels"):
        class_centres(np.zeros((3, 2)), np.zeros(2))
    with pytest.raises(ValueError, match=r"per_class must be in \[1, 2\] .* got 3"):
        references_and_queries(np.array([0, 0, 0, 1, 1, 1]), per_class=3)
