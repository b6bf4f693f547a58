"""Where the parameters of VGG-16, ResNet-50 and ViT-B/16 sit, by kind of layer (Q11)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch

from mlqa.utils import use_style
from mlqa.vision.counts import parameters_by_kind
from mlqa.vision.networks import VGG, ResNet
from mlqa.vision.vit import VisionTransformer


def parameter_shares() -> dict[str, dict[str, float]]:
    """Fraction of each reference network's parameters in convolution, fully connected, norm and other (Q11)."""
    with torch.device("meta"):  # shapes only: no memory, no initialisation
        networks = {"VGG-16": VGG(16), "ResNet-50": ResNet(50), "ViT-B/16": VisionTransformer()}
    shares = {}
    for name, model in networks.items():
        kinds = parameters_by_kind(model)
        total = sum(kinds.values())
        shares[name] = {kind: count / total for kind, count in kinds.items()}
    return shares


def parameter_share_figure():
    """Stacked bars: VGG's parameters sit in its fully connected layers, ResNet's in its convolutions (Q11)."""
    use_style()
    shares = parameter_shares()
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    left = [0.0] * len(shares)
    for kind, colour in zip(("convolution", "fully connected", "normalisation", "other"),
                            ("tab:blue", "tab:orange", "tab:green", "tab:grey")):
        widths = [s[kind] for s in shares.values()]
        ax.barh(list(shares), widths, left=left, color=colour, label=kind)
        left = [a + b for a, b in zip(left, widths)]
    ax.set(xlabel="share of parameters", xlim=(0, 1))
    ax.invert_yaxis()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=4)
    ax.set_title("Where the parameters sit")
    fig.tight_layout()
    return fig
