"""Fixtures shared by several test files."""

import pytest

from mlqa.utils import torch_threads


@pytest.fixture(scope="module")
def one_thread():
    """Tiny models run fastest on one thread; restore the caller's setting afterwards."""
    with torch_threads(1):
        yield
