"""Q5's pretraining comparison and table of the other data-side options, run through Q30's and Q3's code."""

import pytest

from mlqa.regularization import data_side_table, pretraining_comparison


def test_bad_input_raises():
    with pytest.raises(ValueError, match=r"\[\] and \[0\]"):
        pretraining_comparison(labels_per_class=(), seeds=(0,))
    with pytest.raises(ValueError, match="labels_per_class >= 1 and seeds, got 0"):
        data_side_table(labels_per_class=0)


@pytest.mark.slow
def test_pretraining_beats_scratch_at_few_labels(one_thread):
    result = pretraining_comparison(labels_per_class=(3,), seeds=(0, 1))[3]
    gain = result["pretrained + finetuned"] - result["from scratch"]
    assert (gain > 0).all() and gain.mean() > 0.03, gain
    assert result["source model as is"].mean() < result["from scratch"].mean() - 0.05


@pytest.mark.slow
def test_every_other_data_side_option_beats_its_baseline(one_thread):
    rows = data_side_table(labels_per_class=5, seeds=(0, 1))
    assert [r.technique for r in rows] == ["active-learning", "weak-supervision", "semi-supervised", "few-shot"]
    for row in rows:
        assert row.gain.mean() > 0.01, (row.technique, row.gain)
        assert row.notebook in ("q30-limited-labeled-data.ipynb", "q03-few-shot-learning.ipynb")
