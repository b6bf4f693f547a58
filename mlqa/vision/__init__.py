"""Q11-Q13: computer vision. Parameter and FLOP counts, fully connected layers as convolutions, ViTs and data."""

from mlqa.vision.calculator import ConvLayerSummary, conv_calculator, conv_layer_summary, conv_output_size
from mlqa.vision.counts import (
    LayerCount,
    batchnorm_buffers,
    batchnorm_parameters,
    closed_form_parameters,
    conv_parameters,
    count_buffers,
    count_parameters,
    depthwise_separable_parameters,
    embedding_parameters,
    layernorm_parameters,
    linear_parameters,
    multihead_attention_parameters,
    parameter_table,
    parameters_by_kind,
    torchinfo_total,
)
from mlqa.vision.flops import attention_macs, conv_macs, counted_flops, layer_macs, linear_macs
from mlqa.vision.memory import BYTES_PER_VALUE, measured_training_memory, training_memory
from mlqa.vision.networks import VGG, ResNet, chapter_cnn, lenet5
from mlqa.vision.parameter_plots import parameter_share_figure, parameter_shares
from mlqa.vision.vit import VisionTransformer

__all__ = [
    "ConvLayerSummary", "conv_calculator", "conv_layer_summary", "conv_output_size",
    "LayerCount", "batchnorm_buffers", "batchnorm_parameters", "closed_form_parameters", "conv_parameters",
    "count_buffers", "count_parameters", "depthwise_separable_parameters", "embedding_parameters",
    "layernorm_parameters", "linear_parameters", "multihead_attention_parameters", "parameter_table",
    "parameters_by_kind", "torchinfo_total",
    "attention_macs", "conv_macs", "counted_flops", "layer_macs", "linear_macs",
    "BYTES_PER_VALUE", "measured_training_memory", "training_memory",
    "VGG", "ResNet", "chapter_cnn", "lenet5",
    "parameter_share_figure", "parameter_shares",
    "VisionTransformer",
]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {
    "q11-parameter-shares": "mlqa.vision.parameter_plots:parameter_share_figure",
    "q11-conv-calculator": "mlqa.vision.calculator:kernel_channels_figure",
}
