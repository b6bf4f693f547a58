"""Q9: after the same short budget, every family beats a single Gaussian on held-out ring data."""

import pytest

from mlqa.generative import compare_families


@pytest.mark.slow
def test_every_family_beats_the_single_gaussian_baseline(one_thread):
    results, samples, test = compare_families(steps=600, progress=False)
    baseline = results[0]
    assert baseline.family == "gaussian" and baseline.modes == 0
    for r in results[1:]:
        assert r.mmd < baseline.mmd, r
        assert samples[r.family].shape == test.shape
    exact = {r.family: r.test_log_likelihood for r in results if r.test_log_likelihood is not None}
    assert set(exact) == {"flow", "autoregressive"}
