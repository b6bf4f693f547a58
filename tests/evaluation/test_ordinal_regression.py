"""Q24: CORAL and CORN losses equal coral-pytorch; ordinal methods beat classification and regression."""

import numpy as np
import pytest
import torch
from coral_pytorch.dataset import levels_from_labelbatch
from coral_pytorch.losses import coral_loss as reference_coral_loss
from coral_pytorch.losses import corn_loss as reference_corn_loss

from mlqa.evaluation import (
    OrdinalModel,
    compare_ordinal_methods,
    coral_loss,
    corn_loss,
    count_models_mae,
    is_rank_consistent,
    levels_from_labels,
)
from mlqa.evaluation.data import ordinal_labels


def test_levels_and_losses_match_coral_pytorch():
    torch.manual_seed(0)
    num_classes = 6
    y = torch.randint(0, num_classes, (64,))
    logits = 3 * torch.randn(64, num_classes - 1)
    levels = levels_from_labels(y, num_classes)
    assert torch.equal(levels, levels_from_labelbatch(y, num_classes).float())
    # same sums in a different order: float32 rounding only
    assert abs(coral_loss(logits, levels) - reference_coral_loss(logits, levels)) < 1e-5
    assert abs(corn_loss(logits, y, num_classes) - reference_corn_loss(logits, y, num_classes)) < 1e-5


def test_ordinal_method_has_lowest_error():
    errors = compare_ordinal_methods(seeds=(0, 1))
    best_ordinal = min(errors["coral"].mean(), errors["corn"].mean())
    assert best_ordinal < errors["multiclass"].mean() - 0.03
    assert best_ordinal < errors["regression"].mean() - 0.02


def test_coral_and_corn_are_rank_consistent_independent_tasks_are_not():
    X, y = ordinal_labels(1300, seed=0)
    consistent = {}
    for method in ("coral", "corn", "binary"):
        model = OrdinalModel(method, 7).fit(X[:300], y[:300])
        consistent[method] = is_rank_consistent(model.predict_rank_probabilities(X[300:])).mean()
    assert consistent["coral"] == 1.0 and consistent["corn"] == 1.0
    assert consistent["binary"] < 0.95


def test_poisson_beats_ordinal_and_classification_on_counts():
    errors = count_models_mae(seeds=(0, 1))
    assert errors["poisson"].mean() < errors["coral"].mean() - 0.01
    assert errors["poisson"].mean() < errors["multiclass"].mean() - 0.05


def test_bad_input_raises():
    with pytest.raises(ValueError, match="method"):
        OrdinalModel("softmax", 3)
    with pytest.raises(ValueError, match="0..2"):
        levels_from_labels(torch.tensor([0, 3]), 3)
    with pytest.raises(ValueError, match="rank probabilities"):
        OrdinalModel("multiclass", 3).fit(np.zeros((4, 2)), np.array([0, 1, 2, 1])).predict_rank_probabilities(
            np.zeros((1, 2)))
