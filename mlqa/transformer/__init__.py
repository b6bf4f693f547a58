"""Q17: encoder, decoder and encoder-decoder transformers built from the same parts."""

from mlqa.transformer.attention import (
    KVCache,
    MultiHeadAttention,
    causal_mask,
    padding_mask,
    recorded_attention,
    scaled_dot_product_attention,
)
from mlqa.transformer.bert import (
    BertClassifier,
    BertEncoder,
    BertForPretraining,
    EncoderConfig,
    mask_tokens,
    next_sentence_accuracy,
)
from mlqa.transformer.embeddings import sinusoidal_positions
from mlqa.transformer.encoder_decoder import EncoderDecoder, EncoderDecoderConfig
from mlqa.transformer.gpt import GPT, DecoderConfig, GPTClassifier
from mlqa.transformer.hf import from_hf
from mlqa.transformer.reference import count_parameters, perturbed, reference_models
from mlqa.transformer.results import load_results, summarise

__all__ = [
    "BertClassifier",
    "BertEncoder",
    "BertForPretraining",
    "DecoderConfig",
    "EncoderConfig",
    "EncoderDecoder",
    "EncoderDecoderConfig",
    "GPT",
    "GPTClassifier",
    "KVCache",
    "MultiHeadAttention",
    "causal_mask",
    "count_parameters",
    "from_hf",
    "load_results",
    "mask_tokens",
    "next_sentence_accuracy",
    "padding_mask",
    "perturbed",
    "recorded_attention",
    "reference_models",
    "scaled_dot_product_attention",
    "sinusoidal_positions",
    "summarise",
]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {
    "q17-attention-masks": "mlqa.transformer.plots:attention_masks_figure",
    "q17-timeline": "mlqa.transformer.plots:timeline_figure",
    "q17-exercise-a-sweep": "mlqa.transformer.plots:sweep_17a_figure",
    "q17-exercise-b-sweep": "mlqa.transformer.plots:sweep_17b_figure",
}
