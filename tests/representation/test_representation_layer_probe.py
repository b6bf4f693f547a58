"""The penultimate layer of a trained CNN is a better embedding for k-NN than raw pixels; untrained it is not (Q1)."""

import numpy as np
import pytest
import torch

from mlqa.representation import LAYERS, SmallCNN, knn_accuracy, probe_layers, train_cnn


def test_penultimate_layer_beats_pixels_only_after_training(one_thread):
    probe = probe_layers(seeds=(0,), device="cpu")
    pixels, penultimate = LAYERS.index("pixels"), LAYERS.index("fc2 (penultimate)")
    assert probe.trained.shape == probe.untrained.shape == (1, len(LAYERS))
    assert probe.trained[0, pixels] == probe.untrained[0, pixels]  # the same pixels, the same neighbours
    assert probe.trained[0, penultimate] > probe.trained[0, pixels] + 0.05  # about 0.93 against 0.82
    assert probe.untrained[0, penultimate] < probe.trained[0, pixels]  # random layers scramble the neighbours


def test_activations_have_the_documented_shapes():
    sizes = [h.shape[1] for h in SmallCNN().activations(torch.zeros(2, 64))]
    assert sizes == [64, 8 * 64, 16 * 64, 16 * 16, 64, 32, 10]


def test_bad_input_names_the_values():
    with pytest.raises(ValueError, match="got 3 and 2"):
        train_cnn(np.zeros((3, 64)), np.zeros(2, dtype=int))
    with pytest.raises(ValueError, match="k=5 exceeds the 2 reference rows"):
        knn_accuracy(np.zeros((4, 2)), np.zeros(4), np.array([0, 1]), np.array([2, 3]), k=5)
    with pytest.raises(ValueError, match="seeds is empty"):
        probe_layers(seeds=())
