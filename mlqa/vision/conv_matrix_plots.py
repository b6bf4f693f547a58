"""Pictures of a convolution as a matrix: weight sharing and local connectivity as structure (Q12)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

from mlqa.utils import use_style
from mlqa.vision.equivalence import toeplitz_weight_index


def toeplitz_figure(kernel_size: int = 3, input_size: int = 5):
    """A one-channel k×k convolution's matrix beside a dense layer's of the same shape, coloured by weight (Q12)."""
    use_style()
    index = toeplitz_weight_index(kernel_size, input_size).numpy()
    rows, columns = index.shape
    colours = plt.get_cmap("tab20" if kernel_size**2 <= 20 else "viridis", kernel_size**2)
    cmap = ListedColormap(np.vstack([[1, 1, 1, 1], colours(np.arange(kernel_size**2))]))
    fig, (conv_ax, dense_ax) = plt.subplots(1, 2, figsize=(10, 3.6), width_ratios=[1, 1])
    conv_ax.imshow(index + 1, cmap=cmap, vmin=0, vmax=kernel_size**2, aspect="auto", interpolation="nearest")
    conv_ax.set_title(f"{kernel_size}×{kernel_size} convolution on {input_size}×{input_size}: "
                      f"{kernel_size**2} distinct weights,\n{(index >= 0).mean():.0%} of entries non-zero")
    dense = np.arange(rows * columns).reshape(rows, columns)
    dense_ax.imshow(dense, cmap="viridis", aspect="auto", interpolation="nearest")
    dense_ax.set_title(f"dense layer of the same shape:\n{rows * columns} distinct weights")
    for ax in (conv_ax, dense_ax):
        ax.set(xlabel=f"input pixel (of {columns})", ylabel=f"output pixel (of {rows})")
        ax.grid(False)
    fig.tight_layout()
    return fig


def toeplitz_explorer():
    """Sliders for kernel and input size that redraw the convolution's matrix (Q12)."""
    import ipywidgets as widgets

    def draw(kernel_size: int, input_size: int) -> None:
        if kernel_size > input_size:
            print(f"kernel {kernel_size} is larger than the input {input_size}")
            return
        toeplitz_figure(kernel_size, input_size)
        plt.show()

    return widgets.interact(draw, kernel_size=(1, 5), input_size=(3, 10))
