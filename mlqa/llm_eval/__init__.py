"""Q19: evaluating generative LLMs: perplexity, BLEU, ROUGE and BERTScore from scratch, and where they fail."""

from mlqa.llm_eval.bertscore import TokenEncoder, bert_score, load_encoder, minilm_path
from mlqa.llm_eval.bleu import bleu, tokenize_13a
from mlqa.llm_eval.compare import failure_scores, score_pairs
from mlqa.llm_eval.examples import CASES, EDGE_CASES
from mlqa.llm_eval.language_model import ALPHABET, PerplexityRun, load_tweet_texts, train_tiny_gpt
from mlqa.llm_eval.perplexity import perplexity, token_log_likelihoods
from mlqa.llm_eval.rouge import rouge, tokenize_rouge
from mlqa.llm_eval.surrogate import ANSWERS, answer_label, label_accuracy, reference_answer

__all__ = [
    "ALPHABET", "ANSWERS", "CASES", "EDGE_CASES", "PerplexityRun", "TokenEncoder", "answer_label", "bert_score",
    "bleu", "failure_scores", "label_accuracy", "load_encoder", "load_tweet_texts", "minilm_path", "perplexity",
    "reference_answer", "rouge", "score_pairs", "token_log_likelihoods", "tokenize_13a", "tokenize_rouge",
    "train_tiny_gpt",
]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {
    "q19-metric-failures": "mlqa.llm_eval.plots:metric_failures_figure",
    "q19-perplexity": "mlqa.llm_eval.plots:perplexity_figure",
}
