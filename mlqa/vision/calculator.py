"""A convolution calculator: parameters, output shape and MACs from the layer's settings (Q11)."""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt

from mlqa.utils import use_style
from mlqa.vision.counts import conv_parameters
from mlqa.vision.flops import conv_macs


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Output length along one axis: ⌊(size + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1 (Q11)."""
    reach = dilation * (kernel_size - 1) + 1
    if min(size, kernel_size, stride, dilation) < 1 or padding < 0 or size + 2 * padding < reach:
        raise ValueError(f"kernel reach {reach} does not fit input {size} with padding {padding} "
                         f"(stride {stride}, dilation {dilation})")
    return (size + 2 * padding - reach) // stride + 1


@dataclass(frozen=True)
class ConvLayerSummary:
    """What one convolution costs: its parameters, output shape (C, H, W) and MACs per image (Q11)."""

    parameters: int
    output_shape: tuple[int, int, int]
    macs: int


def conv_layer_summary(in_channels: int, out_channels: int, kernel_size: int, image_size: int, *, stride: int = 1,
                       padding: int = 0, groups: int = 1, bias: bool = True) -> ConvLayerSummary:
    """Parameters, output shape and MACs of a square convolution on a square image (Q11)."""
    side = conv_output_size(image_size, kernel_size, stride, padding)
    return ConvLayerSummary(conv_parameters(in_channels, out_channels, kernel_size, groups=groups, bias=bias),
                            (out_channels, side, side),
                            conv_macs(in_channels, out_channels, kernel_size, (side, side), groups=groups))


def conv_calculator():
    """Sliders for kernel, channels, input size, stride, padding and groups; prints the layer's summary (Q11)."""
    import ipywidgets as widgets

    def show(in_channels: int, out_channels: int, kernel_size: int, image_size: int, stride: int, padding: int,
             groups: int) -> None:
        try:
            summary = conv_layer_summary(in_channels, out_channels, kernel_size, image_size, stride=stride,
                                         padding=padding, groups=groups)
        except ValueError as error:
            print(error)
            return
        print(f"parameters {summary.parameters:,}   output {summary.output_shape}   MACs {summary.macs:,}")

    return widgets.interact(show, in_channels=(1, 512), out_channels=(1, 512), kernel_size=(1, 11),
                            image_size=(4, 256), stride=(1, 4), padding=(0, 5), groups=(1, 64))


def kernel_channels_figure():
    """Parameters and MACs of one convolution on a 32×32 input as kernel size and channels grow (Q11)."""
    use_style()
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
    kernels = list(range(1, 12, 2))
    for channels in (16, 64, 256):
        summaries = [conv_layer_summary(channels, channels, k, 32, padding=k // 2) for k in kernels]
        left.plot(kernels, [s.parameters for s in summaries], marker="o", label=f"{channels} → {channels} channels")
        right.plot(kernels, [s.macs for s in summaries], marker="o", label=f"{channels} → {channels} channels")
    for axis, what in ((left, "parameters"), (right, "MACs per 32×32 image")):
        axis.set(xlabel="kernel size k (k×k, 'same' padding)", ylabel=what, yscale="log", xticks=kernels)
    left.legend()
    left.set_title("Parameters grow with k² · channels²")
    right.set_title("MACs add a factor of the output area")
    fig.tight_layout()
    return fig
