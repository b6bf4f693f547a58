"""L2 penalty and decoupled weight decay: equal for SGD, different for Adam, and equal to torch's optimizers."""

import pytest

from mlqa.regularization import digits_overfit_split, l2_vs_decoupled, train_linear


def test_l2_equals_decoupled_for_sgd_but_not_for_adam():
    gaps = l2_vs_decoupled(digits_overfit_split(seed=0))
    assert gaps["sgd: l2 vs decoupled"] < 1e-5  # same update up to float rounding
    assert gaps["adam: l2 vs decoupled"] > 0.1 * gaps["adam: size of the weights"]
    assert gaps["adam l2 vs torch Adam(weight_decay)"] < 1e-5  # torch's Adam couples the decay like L2
    assert gaps["adam decoupled vs torch AdamW"] < 1e-5  # torch's AdamW decouples it


def test_bad_rule_is_rejected():
    with pytest.raises(ValueError, match="rule"):
        train_linear(digits_overfit_split(seed=0), "adam", "lasso")
