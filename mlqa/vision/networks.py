"""Reference convolutional networks built from their papers' layer tables, without weights (Q11).

LeNet-5, VGG and ResNet follow the layouts of LeCun et al. (1998), Simonyan & Zisserman (2015) and
He et al. (2016) as torchvision arranges them, so their parameter totals match the published ones.
`chapter_cnn` is the small network the book's chapter counts by hand.
"""

from __future__ import annotations

from torch import nn

VGG_LAYOUTS: dict[int, list[int | str]] = {
    11: [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    16: [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
}
RESNET_LAYOUTS: dict[int, tuple[str, list[int]]] = {
    18: ("basic", [2, 2, 2, 2]), 34: ("basic", [3, 4, 6, 3]), 50: ("bottleneck", [3, 4, 6, 3]),
}


def chapter_cnn(*, batchnorm: bool = False, num_classes: int = 10) -> nn.Sequential:
    """Two convolutions and two fully connected layers on 3×24×24 images; optional batch norm (Q11)."""
    def norm(kind: type[nn.Module], channels: int) -> list[nn.Module]:
        return [kind(channels)] if batchnorm else []

    return nn.Sequential(
        nn.Conv2d(3, 5, 5), *norm(nn.BatchNorm2d, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(5, 12, 3), *norm(nn.BatchNorm2d, 12), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(12 * 4 * 4, 128), *norm(nn.BatchNorm1d, 128), nn.ReLU(),
        nn.Linear(128, num_classes),
    )


def lenet5(num_classes: int = 10) -> nn.Sequential:
    """LeNet-5 on 1×32×32 images: two 5×5 convolutions with average pooling, then 120-84-classes (Q11)."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2),
        nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(),
        nn.Linear(84, num_classes),
    )


class VGG(nn.Module):
    """VGG: stacks of 3×3 convolutions and max pooling, then three large fully connected layers (Q11)."""

    def __init__(self, depth: int = 16, num_classes: int = 1000) -> None:
        super().__init__()
        if depth not in VGG_LAYOUTS:
            raise ValueError(f"VGG depth must be one of {sorted(VGG_LAYOUTS)}, got {depth}")
        layers: list[nn.Module] = []
        channels = 3
        for item in VGG_LAYOUTS[depth]:
            if item == "M":
                layers.append(nn.MaxPool2d(2))
            else:
                layers += [nn.Conv2d(channels, int(item), 3, padding=1), nn.ReLU(inplace=True)]
                channels = int(item)
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(7)
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096), nn.ReLU(inplace=True), nn.Dropout(),
            nn.Linear(4096, 4096), nn.ReLU(inplace=True), nn.Dropout(),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x):
        return self.classifier(self.avgpool(self.features(x)).flatten(1))


class ResidualBlock(nn.Module):
    """A basic (two 3×3) or bottleneck (1×1, 3×3, 1×1 ×4) residual block with a projection shortcut (Q11)."""

    def __init__(self, in_channels: int, width: int, stride: int, kind: str) -> None:
        super().__init__()
        if kind not in ("basic", "bottleneck"):
            raise ValueError(f"block kind must be 'basic' or 'bottleneck', got {kind!r}")
        out_channels = width if kind == "basic" else 4 * width
        if kind == "basic":
            layers = [nn.Conv2d(in_channels, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width),
                      nn.ReLU(inplace=True), nn.Conv2d(width, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width)]
        else:
            layers = [nn.Conv2d(in_channels, width, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True),
                      nn.Conv2d(width, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width),
                      nn.ReLU(inplace=True), nn.Conv2d(width, out_channels, 1, bias=False),
                      nn.BatchNorm2d(out_channels)]
        self.body = nn.Sequential(*layers)
        self.shortcut = (nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride, bias=False),
                                       nn.BatchNorm2d(out_channels))
                         if stride != 1 or in_channels != out_channels else nn.Identity())
        self.out_channels = out_channels

    def forward(self, x):
        return (self.body(x) + self.shortcut(x)).relu()


class ResNet(nn.Module):
    """ResNet-18/34/50: a 7×7 stem, four stages of residual blocks, global pooling, one linear layer (Q11)."""

    def __init__(self, depth: int = 50, num_classes: int = 1000) -> None:
        super().__init__()
        if depth not in RESNET_LAYOUTS:
            raise ValueError(f"ResNet depth must be one of {sorted(RESNET_LAYOUTS)}, got {depth}")
        kind, blocks_per_stage = RESNET_LAYOUTS[depth]
        self.stem = nn.Sequential(nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True),
                                  nn.MaxPool2d(3, 2, 1))
        stages, channels = [], 64
        for stage, (width, blocks) in enumerate(zip((64, 128, 256, 512), blocks_per_stage)):
            stage_blocks = []
            for index in range(blocks):
                block = ResidualBlock(channels, width, 2 if stage > 0 and index == 0 else 1, kind)
                stage_blocks.append(block)
                channels = block.out_channels
            stages.append(nn.Sequential(*stage_blocks))
        self.stages = nn.Sequential(*stages)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(channels, num_classes)

    def forward(self, x):
        return self.fc(self.pool(self.stages(self.stem(x))).flatten(1))
