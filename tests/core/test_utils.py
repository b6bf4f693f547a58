"""Helpers shared by every notebook."""

import pytest
import torch

from mlqa import get_device, save_figure, set_seed
from mlqa.figures import all_figures, load_figure_function


def test_set_seed_makes_draws_repeat():
    set_seed(3)
    a = torch.randn(5)
    set_seed(3)
    assert torch.equal(a, torch.randn(5))


def test_get_device_override_and_errors(monkeypatch):
    monkeypatch.setenv("MLQA_DEVICE", "cpu")
    assert get_device() == torch.device("cpu")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="no CUDA GPU"):
            get_device("cuda")


def test_save_figure_writes_png(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setenv("MLQA_FIGURES_DIR", str(tmp_path))
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    path = save_figure(fig, "demo")
    assert path == tmp_path / "demo.png" and path.stat().st_size > 1000
    with pytest.raises(ValueError, match="bare name"):
        save_figure(fig, "demo.png")


def test_every_registered_figure_can_be_imported():
    for name in all_figures():
        assert callable(load_figure_function(name))
    with pytest.raises(ValueError, match="unknown figure"):
        load_figure_function("no-such-figure")
