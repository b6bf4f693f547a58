"""Q11-Q13: computer vision. Parameter and FLOP counts (Q11), fully connected layers as convolutions (Q12),
vision transformers and training-set size (Q13)."""

from mlqa.vision.attention_distance import (
    attention_distance_figure,
    mean_attention_distance,
    patch_distances,
    uniform_attention_distance,
)
from mlqa.vision.calculator import ConvLayerSummary, conv_calculator, conv_layer_summary, conv_output_size
from mlqa.vision.conv_forms import ConvForm, conv_forms, time_forms
from mlqa.vision.conv_matrix_plots import toeplitz_explorer, toeplitz_figure
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
from mlqa.vision.data_efficiency import DataEfficiency, data_efficiency_figure, run_data_efficiency
from mlqa.vision.digits import DigitImages, digit_images, subset_indices, training_subset
from mlqa.vision.ensemble import Member, train_members
from mlqa.vision.equivalence import (
    conv1x1_as_linear,
    conv1x1_linear_differences,
    fc_conv_differences,
    im2col_conv2d,
    linear_as_conv,
    linear_per_pixel,
    toeplitz_matrix,
    toeplitz_weight_index,
)
from mlqa.vision.flops import attention_macs, conv_macs, counted_flops, layer_macs, linear_macs
from mlqa.vision.hf_vit import to_hugging_face
from mlqa.vision.inductive_bias import (
    conv_features,
    inductive_bias_figure,
    input_pixels_seen,
    patch_token_grid,
    shift_error,
    vit_block_grid,
)
from mlqa.vision.memory import BYTES_PER_VALUE, measured_training_memory, training_memory
from mlqa.vision.networks import VGG, ResNet, chapter_cnn, lenet5
from mlqa.vision.parameter_plots import parameter_share_figure, parameter_shares
from mlqa.vision.small_models import small_cnn, small_vit
from mlqa.vision.training import accuracy, random_shift
from mlqa.vision.vit import VisionTransformer

__all__ = [
    "ConvLayerSummary", "conv_calculator", "conv_layer_summary", "conv_output_size",
    "LayerCount", "batchnorm_buffers", "batchnorm_parameters", "closed_form_parameters", "conv_parameters",
    "count_buffers", "count_parameters", "depthwise_separable_parameters", "embedding_parameters",
    "layernorm_parameters", "linear_parameters", "multihead_attention_parameters", "parameter_table",
    "parameters_by_kind", "torchinfo_total",
    "ConvForm", "conv_forms", "time_forms", "toeplitz_explorer", "toeplitz_figure",
    "conv1x1_as_linear", "conv1x1_linear_differences", "fc_conv_differences", "im2col_conv2d", "linear_as_conv",
    "linear_per_pixel", "toeplitz_matrix", "toeplitz_weight_index",
    "attention_macs", "conv_macs", "counted_flops", "layer_macs", "linear_macs",
    "BYTES_PER_VALUE", "measured_training_memory", "training_memory",
    "VGG", "ResNet", "chapter_cnn", "lenet5",
    "parameter_share_figure", "parameter_shares",
    "VisionTransformer",
    "attention_distance_figure", "mean_attention_distance", "patch_distances", "uniform_attention_distance",
    "DataEfficiency", "data_efficiency_figure", "run_data_efficiency",
    "DigitImages", "digit_images", "subset_indices", "training_subset",
    "Member", "train_members", "to_hugging_face",
    "conv_features", "inductive_bias_figure", "input_pixels_seen", "patch_token_grid", "shift_error",
    "vit_block_grid", "small_cnn", "small_vit", "accuracy", "random_shift",
]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {
    "q11-parameter-shares": "mlqa.vision.parameter_plots:parameter_share_figure",
    "q11-conv-calculator": "mlqa.vision.calculator:kernel_channels_figure",
    "q12-toeplitz": "mlqa.vision.conv_matrix_plots:toeplitz_figure",
    "q13-translation-equivariance": "mlqa.vision.inductive_bias:inductive_bias_figure",
}
