"""Q8, Q16, Q17: transformers built from the same parts: self-attention step by step, why transformers won,
and encoder, decoder and encoder-decoder models."""

from mlqa.transformer.additive_attention import (
    AdditiveAttention,
    RNNEncoderDecoder,
    attention_vs_fixed_context,
    reversal_accuracy,
    reversal_pairs,
    train_reversal,
)
from mlqa.transformer.attention import (
    KVCache,
    MultiHeadAttention,
    causal_mask,
    padding_mask,
    recorded_attention,
    scaled_dot_product_attention,
)
from mlqa.transformer.attention_cost import attention_cost, quadratic_fit, softmax_saturation
from mlqa.transformer.bert import (
    BertClassifier,
    BertEncoder,
    BertForPretraining,
    EncoderConfig,
    mask_tokens,
    next_sentence_accuracy,
)
from mlqa.transformer.data import (
    Tweets,
    encode_for_bert,
    encode_for_gpt,
    load_tweets,
    number_in_words,
    sentiment_split,
    train_wordpiece,
)
from mlqa.transformer.embeddings import sinusoidal_positions
from mlqa.transformer.encoder_decoder import EncoderDecoder, EncoderDecoderConfig
from mlqa.transformer.experiments import balanced_subset, encode_wordpiece, load_minilm, mean_pool, sentence_embeddings
from mlqa.transformer.finetuning import SentenceEmbeddingClassifier, finetune, head_from_logistic_regression
from mlqa.transformer.gpt import GPT, DecoderConfig, GPTClassifier
from mlqa.transformer.hf import from_hf
from mlqa.transformer.image_patches import image_patches
from mlqa.transformer.long_range import LongRangeResult, LSTMClassifier, long_range_study, recall_batch
from mlqa.transformer.parallelism import attention_score_bytes, fit_exponent, forward_seconds, sequential_steps
from mlqa.transformer.reference import count_parameters, perturbed, reference_models
from mlqa.transformer.results import load_results, summarise
from mlqa.transformer.scaling import PowerLaw, ScalingResult, fit_power_law, non_embedding_parameters, scaling_study
from mlqa.transformer.self_attention_steps import (
    SelfAttentionSteps,
    masking_checks,
    multihead_gradients,
    self_attention_steps,
    torch_multihead_copy,
    toy_embeddings,
)
from mlqa.transformer.synthetic_language import MarkovLanguage, random_language
from mlqa.transformer.train import predict, train_classifier, train_gpt

__all__ = [
    "AdditiveAttention",
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
    "LSTMClassifier",
    "LongRangeResult",
    "MarkovLanguage",
    "MultiHeadAttention",
    "PowerLaw",
    "RNNEncoderDecoder",
    "ScalingResult",
    "SelfAttentionSteps",
    "SentenceEmbeddingClassifier",
    "Tweets",
    "attention_cost",
    "attention_score_bytes",
    "attention_vs_fixed_context",
    "balanced_subset",
    "causal_mask",
    "count_parameters",
    "encode_for_bert",
    "encode_for_gpt",
    "encode_wordpiece",
    "finetune",
    "fit_exponent",
    "fit_power_law",
    "forward_seconds",
    "head_from_logistic_regression",
    "from_hf",
    "image_patches",
    "load_minilm",
    "load_results",
    "load_tweets",
    "long_range_study",
    "mask_tokens",
    "masking_checks",
    "mean_pool",
    "multihead_gradients",
    "next_sentence_accuracy",
    "non_embedding_parameters",
    "number_in_words",
    "padding_mask",
    "perturbed",
    "predict",
    "quadratic_fit",
    "random_language",
    "recall_batch",
    "recorded_attention",
    "reference_models",
    "reversal_accuracy",
    "reversal_pairs",
    "scaled_dot_product_attention",
    "scaling_study",
    "self_attention_steps",
    "sentence_embeddings",
    "sentiment_split",
    "sequential_steps",
    "sinusoidal_positions",
    "softmax_saturation",
    "summarise",
    "torch_multihead_copy",
    "toy_embeddings",
    "train_classifier",
    "train_gpt",
    "train_reversal",
    "train_wordpiece",
]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {
    "q17-attention-masks": "mlqa.transformer.plots:attention_masks_figure",
    "q17-timeline": "mlqa.transformer.plots:timeline_figure",
    "q17-exercise-a-sweep": "mlqa.transformer.plots:sweep_17a_figure",
    "q17-exercise-b-sweep": "mlqa.transformer.plots:sweep_17b_figure",
    "q16-softmax-saturation": "mlqa.transformer.plots_self_attention:saturation_figure",
    "q16-additive-alignment": "mlqa.transformer.plots_self_attention:alignment_figure",
    "q16-attention-cost": "mlqa.transformer.plots_self_attention:attention_cost_figure",
    "q08-attention-memory": "mlqa.transformer.plots_success:attention_memory_figure",
    "q08-scaling-law": "mlqa.transformer.plots_success:scaling_figure",
    "q08-pretraining-gain": "mlqa.transformer.plots_success:pretraining_gain_figure",
}
