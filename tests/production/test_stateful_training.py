"""Q20: the drifting stream, compute per update, forgetting and rehearsal, and scikit-learn's partial_fit."""

import numpy as np
import pytest

from mlqa.production.continual import compare_strategies, run_strategy
from mlqa.production.stateful_references import run_reference
from mlqa.production.stream import wave_labels, wave_stream


def test_stream_drifts_and_keeps_one_rule():
    stream = wave_stream(n_windows=5, n_per_window=400, seed=0, label_noise=0.0)
    centres = [w.X[:, 0].mean() for w in stream]
    assert np.all(np.diff(centres) > 2.0), centres
    assert all(np.array_equal(w.y, wave_labels(w.X)) for w in stream)


def test_bad_input_names_the_values():
    with pytest.raises(ValueError, match="1"):
        wave_stream(n_windows=1)
    with pytest.raises(ValueError, match="'online'"):
        run_strategy(wave_stream(n_windows=2, n_per_window=4), "online")


def test_compute_is_counted_exactly(one_thread):
    stream = wave_stream(n_windows=5, n_per_window=20)
    stateless = run_strategy(stream, "stateless", window_size=3, epochs=2)
    stateful = run_strategy(stream, "stateful", epochs=2)
    assert stateful.examples == [40] * 5
    assert stateless.examples == [40, 80, 120, 120, 120]


@pytest.mark.slow
def test_rehearsal_reduces_forgetting_and_partial_fit_agrees():
    runs = compare_strategies((0,), ("stateful", "rehearsal"), progress=False)
    stateful, rehearsal = runs["stateful"][0], runs["rehearsal"][0]
    assert stateful.forgetting > rehearsal.forgetting + 0.08
    assert rehearsal.final_accuracy_on_old > stateful.final_accuracy_on_old + 0.08
    reference = run_reference(wave_stream(seed=0), "scikit-learn MLP partial_fit")
    assert abs(np.mean(reference.next_accuracy) - np.mean(stateful.next_accuracy)) < 0.03
    assert reference.forgetting > 0.08, "scikit-learn's stateful MLP forgets too"
