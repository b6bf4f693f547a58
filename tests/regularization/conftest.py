"""Fixtures shared by the Q4 lottery-ticket tests."""

import pytest
import torch

from mlqa.regularization import lottery_split


@pytest.fixture(scope="module")
def lottery_digits():
    """The lottery experiment's digits split as tensors: X_train, y_train, X_test, y_test (Q4)."""
    return tuple(torch.as_tensor(a) for a in lottery_split())
