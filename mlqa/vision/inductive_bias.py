"""Inductive biases made visible: a convolution shifts with its input, a ViT's patch tokens with learned
positions do not; locality and weight sharing counted (Q13)."""

from __future__ import annotations

from typing import Callable

import matplotlib.pyplot as plt
import torch
from torch import nn

from mlqa.utils import use_style
from mlqa.vision.small_models import small_cnn, small_vit


def conv_features(cnn: nn.Sequential) -> nn.Sequential:
    """The first convolution and ReLU of `cnn` with circular padding, so a circular shift is exact (Q13)."""
    conv = cnn[0]
    circular = nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size, padding=conv.padding,
                         padding_mode="circular").to(conv.weight.device)
    circular.load_state_dict(conv.state_dict())
    return nn.Sequential(circular, nn.ReLU())


def patch_token_grid(vit, images: torch.Tensor, *, positions: bool = True) -> torch.Tensor:
    """A ViT's patch tokens before the first block, laid out as a (N, dim, rows, cols) grid (Q13)."""
    tokens = vit.patch_embed(images)
    if positions:
        tokens = tokens + vit.pos_embed[:, 1:]
    side = int(tokens.shape[1] ** 0.5)
    return tokens.transpose(1, 2).reshape(len(images), -1, side, side)


def shift_error(features: Callable[[torch.Tensor], torch.Tensor], images: torch.Tensor, pixels: int) -> float:
    """How far features(shift(x)) is from shift(features(x)), relative to the features' size; 0 = equivariant (Q13).

    The shift is circular by `pixels` along both axes; the feature map is shifted by the same fraction of its size.
    """
    with torch.no_grad():
        plain, moved = features(images), features(torch.roll(images, (pixels, pixels), dims=(-2, -1)))
    step = pixels * plain.shape[-1] / images.shape[-1]
    if step != int(step):
        return ((moved - plain).norm() / plain.norm()).item()  # the grid cannot shift by a fraction of a cell
    expected = torch.roll(plain, (int(step), int(step)), dims=(-2, -1))
    return ((moved - expected).norm() / expected.norm()).item()


def input_pixels_seen(features: Callable[[torch.Tensor], torch.Tensor], image_shape: tuple[int, int, int],
                      row: int, col: int) -> int:
    """How many input pixels one output position at (row, col) depends on, found from its gradient (Q13)."""
    image = torch.randn(1, *image_shape, requires_grad=True)
    features(image)[0, :, row, col].sum().backward()
    return int((image.grad.abs().sum(1) > 0).sum())


def inductive_bias_figure():
    """A digit and its 2-pixel shift; the CNN's feature map moves with it, the ViT's patch tokens do not (Q13)."""
    from mlqa.vision.digits import digit_images

    use_style()
    torch.manual_seed(0)
    cnn_map, vit = conv_features(small_cnn()), small_vit()
    image = digit_images().x_test[:1]
    shifted = torch.roll(image, (2, 2), dims=(-2, -1))
    with torch.no_grad():
        panels = [("image", image), ("shifted by 2 px", shifted),
                  ("CNN map of shifted\n− shifted CNN map",
                   cnn_map(shifted) - torch.roll(cnn_map(image), (2, 2), (-2, -1))),
                  ("ViT tokens of shifted\n− shifted ViT tokens",
                   patch_token_grid(vit, shifted) - torch.roll(patch_token_grid(vit, image), (1, 1), (-2, -1)))]
    pictures = [tensor[0].abs().mean(0) for _, tensor in panels]  # mean |value| over channels
    difference_max = max(float(pictures[2].max()), float(pictures[3].max()))
    fig, axes = plt.subplots(1, 4, figsize=(10.5, 2.8))
    for index, (ax, (title, _), picture) in enumerate(zip(axes, panels, pictures)):
        shown = ax.imshow(picture, cmap="magma", vmin=0, vmax=1 if index < 2 else difference_max)
        ax.set_title(title)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    fig.colorbar(shown, ax=axes[2:], shrink=0.8, label="|difference|")
    fig.suptitle("Translation equivariance: the CNN's difference map is zero, the ViT's is not", y=1.04)
    return fig


def vit_block_grid(vit, images: torch.Tensor, blocks: int = 1) -> torch.Tensor:
    """The patch tokens after the first `blocks` transformer blocks, as a (N, dim, rows, cols) grid (Q13)."""
    tokens = vit.tokens(images)
    for block in vit.blocks[:blocks]:
        tokens = block(tokens)
    patches = tokens[:, 1:]
    side = int(patches.shape[1] ** 0.5)
    return patches.transpose(1, 2).reshape(len(images), -1, side, side)
