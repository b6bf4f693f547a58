"""Q8, Q16, Q17: transformers built from the same parts: self-attention step by step, why transformers won,
and encoder, decoder and encoder-decoder models."""

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

# Q16: self-attention step by step, additive attention, masks, scaling and cost (appended by the Q16 branch).
from mlqa.transformer.additive_attention import (  # noqa: E402
    AdditiveAttention,
    RNNEncoderDecoder,
    attention_vs_fixed_context,
    reversal_accuracy,
    reversal_pairs,
    train_reversal,
)
from mlqa.transformer.attention_cost import attention_cost, quadratic_fit, softmax_saturation  # noqa: E402
from mlqa.transformer.image_patches import image_patches  # noqa: E402
from mlqa.transformer.self_attention_steps import (  # noqa: E402
    SelfAttentionSteps,
    masking_checks,
    multihead_gradients,
    self_attention_steps,
    torch_multihead_copy,
    toy_embeddings,
)

__all__ += [
    "AdditiveAttention",
    "RNNEncoderDecoder",
    "SelfAttentionSteps",
    "attention_cost",
    "attention_vs_fixed_context",
    "image_patches",
    "masking_checks",
    "multihead_gradients",
    "quadratic_fit",
    "reversal_accuracy",
    "reversal_pairs",
    "self_attention_steps",
    "softmax_saturation",
    "torch_multihead_copy",
    "toy_embeddings",
    "train_reversal",
]
FIGURES |= {
    "q16-softmax-saturation": "mlqa.transformer.plots_self_attention:saturation_figure",
    "q16-additive-alignment": "mlqa.transformer.plots_self_attention:alignment_figure",
    "q16-attention-cost": "mlqa.transformer.plots_self_attention:attention_cost_figure",
}

# Q17 helpers that the Q14-Q16 notebooks and mlqa.text use (appended by the Q16 branch).
from mlqa.transformer.data import load_tweets, number_in_words, sentiment_split  # noqa: E402
from mlqa.transformer.experiments import encode_wordpiece, load_minilm  # noqa: E402

__all__ += ["encode_wordpiece", "load_minilm", "load_tweets", "number_in_words", "sentiment_split"]

# Q8: the success of transformers (long-range recall, parallelism, a toy scaling law).
from mlqa.transformer.long_range import LongRangeResult, LSTMClassifier, long_range_study, recall_batch  # noqa: E402
from mlqa.transformer.parallelism import (  # noqa: E402
    attention_score_bytes,
    fit_exponent,
    forward_seconds,
    sequential_steps,
)
from mlqa.transformer.scaling import (  # noqa: E402
    PowerLaw,
    ScalingResult,
    fit_power_law,
    non_embedding_parameters,
    scaling_study,
)
from mlqa.transformer.synthetic_language import MarkovLanguage, random_language  # noqa: E402

__all__ += [
    "LSTMClassifier",
    "LongRangeResult",
    "MarkovLanguage",
    "PowerLaw",
    "ScalingResult",
    "attention_score_bytes",
    "fit_exponent",
    "fit_power_law",
    "forward_seconds",
    "long_range_study",
    "non_embedding_parameters",
    "random_language",
    "recall_batch",
    "scaling_study",
    "sequential_steps",
]
FIGURES.update({
    "q08-attention-memory": "mlqa.transformer.plots_success:attention_memory_figure",
    "q08-scaling-law": "mlqa.transformer.plots_success:scaling_figure",
})
