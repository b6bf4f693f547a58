"""Q11: closed-form counts equal the modules' numel sums and torchinfo's totals; MACs equal PyTorch's counter."""

import pytest
import torch
from torch import nn

from mlqa.vision import (
    VGG,
    ResNet,
    VisionTransformer,
    batchnorm_buffers,
    chapter_cnn,
    closed_form_parameters,
    conv_layer_summary,
    conv_parameters,
    count_buffers,
    count_parameters,
    counted_flops,
    depthwise_separable_parameters,
    layer_macs,
    lenet5,
    measured_training_memory,
    parameter_table,
    parameters_by_kind,
    torchinfo_total,
    training_memory,
)

LAYERS = [
    nn.Conv2d(3, 8, 3), nn.Conv2d(6, 12, (3, 5), groups=3, bias=False), nn.Conv2d(16, 16, 3, groups=16),
    nn.Conv1d(4, 6, 7), nn.Linear(10, 3), nn.Linear(10, 3, bias=False), nn.BatchNorm2d(7), nn.BatchNorm1d(5),
    nn.BatchNorm2d(7, affine=False), nn.LayerNorm(9), nn.LayerNorm((4, 9), bias=False), nn.Embedding(50, 12),
    nn.MultiheadAttention(16, 4), nn.MultiheadAttention(16, 2, bias=False),
    nn.MultiheadAttention(16, 4, kdim=5, vdim=7),
]


@pytest.mark.parametrize("layer", LAYERS, ids=[repr(layer) for layer in LAYERS])
def test_closed_form_equals_numel(layer):
    assert closed_form_parameters(layer) == count_parameters(layer)


def test_depthwise_separable_and_batchnorm_buffers():
    separable = nn.Sequential(nn.Conv2d(32, 32, 3, groups=32), nn.Conv2d(32, 64, 1))
    assert depthwise_separable_parameters(32, 64, 3) == count_parameters(separable)
    assert depthwise_separable_parameters(32, 64, 3) < conv_parameters(32, 64, 3) / 7
    assert batchnorm_buffers(7) == count_buffers(nn.BatchNorm2d(7)) == 15  # mean, variance, one counter


def test_bad_sizes_raise():
    with pytest.raises(ValueError, match="groups=3"):
        conv_parameters(4, 6, 3, groups=3)
    with pytest.raises(ValueError, match="no closed form"):
        closed_form_parameters(nn.ReLU())
    with pytest.raises(ValueError, match="does not fit"):
        conv_layer_summary(3, 8, 7, 4)


NETWORKS = {  # name -> (model factory, input size for torchinfo)
    "chapter CNN": (chapter_cnn, (1, 3, 24, 24)),
    "chapter CNN + BN": (lambda: chapter_cnn(batchnorm=True), (2, 3, 24, 24)),
    "LeNet-5": (lenet5, (1, 1, 32, 32)),
    "VGG-11": (lambda: VGG(11), (1, 3, 32, 32)),
    "ResNet-18": (lambda: ResNet(18), (1, 3, 32, 32)),
    "ResNet-50": (lambda: ResNet(50), (1, 3, 32, 32)),
    "small ViT": (lambda: VisionTransformer(32, 4, 3, 10, dim=64, depth=2, heads=4), (1, 3, 32, 32)),
}


@pytest.mark.parametrize("name", list(NETWORKS))
def test_itemised_count_equals_numel_and_torchinfo(name, one_thread):
    factory, input_size = NETWORKS[name]
    model = factory().eval()
    rows = parameter_table(model)
    assert all(row.closed_form == row.numel for row in rows)
    assert sum(row.closed_form for row in rows) == count_parameters(model) == torchinfo_total(model, input_size)


def test_published_totals_and_hugging_face_counts():
    from transformers import ResNetConfig, ResNetForImageClassification, ViTConfig, ViTForImageClassification

    with torch.device("meta"):
        ours = {"VGG-16": VGG(16), "ResNet-50": ResNet(50), "ViT-B/16": VisionTransformer()}
        hf_resnet = ResNetForImageClassification(ResNetConfig(num_labels=1000))  # the ResNet-50 layout
        hf_vit = ViTForImageClassification(ViTConfig(num_labels=1000))  # ViT-B/16 at 224
    totals = {name: count_parameters(model) for name, model in ours.items()}
    assert totals == {"VGG-16": 138_357_544, "ResNet-50": 25_557_032, "ViT-B/16": 86_567_656}
    assert totals["ResNet-50"] == count_parameters(hf_resnet)
    assert totals["ViT-B/16"] == count_parameters(hf_vit)
    vgg, resnet = parameters_by_kind(ours["VGG-16"]), parameters_by_kind(ours["ResNet-50"])
    assert vgg["fully connected"] > 0.85 * totals["VGG-16"]
    assert resnet["convolution"] > 0.9 * totals["ResNet-50"]


@pytest.mark.parametrize("name", ["LeNet-5", "ResNet-18", "small ViT"])
def test_macs_by_formula_equal_flop_counter(name, one_thread):
    factory, input_size = NETWORKS[name]
    model = factory().eval()
    macs = layer_macs(model, (2, *input_size[1:]))
    total, per_module = counted_flops(model, (2, *input_size[1:]))
    assert 2 * sum(macs.values()) == total
    for layer, count in macs.items():
        if not layer.endswith("(products)"):
            assert 2 * count == per_module[layer], layer


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_training_memory_formula_equals_adam_state(precision):
    model = chapter_cnn(batchnorm=True)
    assert training_memory(count_parameters(model), precision) == measured_training_memory(model, precision)


def test_training_memory_scales_with_width():
    fp32, bf16, int8 = (training_memory(1000, p)["total"] for p in ("fp32", "bf16", "int8"))
    assert fp32 == 2 * bf16 == 4 * int8 == 16_000
    assert training_memory(1000, optimizer="sgd")["optimizer state"] == 0
    with pytest.raises(ValueError, match="int8"):
        measured_training_memory(lenet5(), "int8")


@pytest.mark.parametrize("settings", [(3, 8, 3, 17, 1, 0, 1), (8, 16, 5, 32, 2, 2, 4), (6, 6, 7, 9, 3, 3, 6)])
def test_calculator_matches_a_real_convolution(settings):
    cin, cout, k, size, stride, padding, groups = settings
    summary = conv_layer_summary(cin, cout, k, size, stride=stride, padding=padding, groups=groups)
    conv = nn.Conv2d(cin, cout, k, stride, padding, groups=groups)
    assert summary.parameters == count_parameters(conv)
    assert summary.output_shape == tuple(conv(torch.zeros(1, cin, size, size)).shape[1:])
    assert 2 * summary.macs == counted_flops(conv, (1, cin, size, size))[0]
