"""The shared Q30 protocol: few labels per class, an unlabeled pool, a test set, clear errors."""

import numpy as np
import pytest

from mlqa.limited.data import TechniqueResult, digits_split, split_labels


def test_split_has_k_labels_per_class_and_disjoint_parts():
    split = digits_split(labels_per_class=3, seed=0)
    assert np.array_equal(np.bincount(split.y_labeled), np.full(10, 3))
    assert split.n_classes == 10
    assert len(split.y_labeled) + len(split.y_pool) + len(split.y_test) == 1797
    rows = np.concatenate([split.X_labeled, split.X_pool, split.X_test])
    assert 0.0 <= rows.min() and rows.max() <= 1.0
    labeled = {r.tobytes() for r in split.X_labeled}
    assert not labeled & {r.tobytes() for r in split.X_test}


def test_split_is_stratified_and_seeded():
    a, b, c = digits_split(2, seed=0), digits_split(2, seed=0), digits_split(2, seed=1)
    assert np.array_equal(a.X_labeled, b.X_labeled)
    assert not np.array_equal(a.X_labeled, c.X_labeled)
    test_share = np.bincount(a.y_test) / len(a.y_test)
    assert np.allclose(test_share, np.bincount(np.concatenate([a.y_test, a.y_pool, a.y_labeled])) / 1797, atol=0.01)


@pytest.mark.parametrize("labels_per_class, message", [(0, "must be >= 1"), (90, "class 0 has only")])
def test_bad_label_counts_are_named(labels_per_class, message):
    with pytest.raises(ValueError, match=message):
        digits_split(labels_per_class)


def test_one_class_dataset_is_refused():
    X, y = np.random.default_rng(0).random((20, 4)), np.zeros(20, dtype=int)
    with pytest.raises(ValueError, match="at least 2 classes, got 1"):
        split_labels(X, y, labels_per_class=2)


def test_technique_result_gain_and_summary_line():
    result = TechniqueResult("demo", "base", "new", [0.5, 0.7], [0.8, 0.9], [0, 1], 5)
    assert result.gain == pytest.approx(0.25)
    assert result.summary_line() == "demo: baseline 0.600 -> 0.850"
