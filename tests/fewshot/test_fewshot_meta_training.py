"""Q3/Q30 claims over seeds: a meta-trained encoder beats raw pixels and a random encoder on unseen classes."""

import numpy as np
import pytest

from mlqa.fewshot import compare_methods, meta_training_curve


@pytest.mark.slow
def test_protonet_beats_raw_pixels_and_random_encoder_on_unseen_pairs(one_thread):
    table = compare_methods("pairs", shots=(1, 5), seeds=(0, 1))
    for k, margin in ((1, 0.08), (5, 0.02)):
        proto = np.array(table["prototypical network"][k])
        assert (proto > np.array(table["raw pixels"][k]) + margin).all(), (k, table)
        assert (proto > np.array(table["random encoder"][k]) + 0.05).all(), (k, table)
        assert (proto > np.array(table["pretrained classifier + centroids"][k])).all(), (k, table)


@pytest.mark.slow
def test_rotated_control_does_not_beat_raw_pixels(one_thread):
    table = compare_methods("rotated", shots=(5,), seeds=(0,), methods=("raw pixels", "random encoder",
                                                                        "prototypical network"))
    assert table["raw pixels"][5][0] > table["prototypical network"][5][0] + 0.03, table
    assert abs(table["prototypical network"][5][0] - table["random encoder"][5][0]) < 0.05, table


@pytest.mark.slow
def test_meta_training_curve_rises_from_the_random_encoder(one_thread):
    curve = meta_training_curve((0, 100, 300), seeds=(0, 1))
    assert (curve[:, -1] > curve[:, 0] + 0.05).all(), curve
    assert (curve[:, 1] > curve[:, 0]).all(), curve
    with pytest.raises(ValueError, match="increasing and >= 0"):
        meta_training_curve((100, 0))
