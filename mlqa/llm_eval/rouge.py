"""ROUGE-1, ROUGE-2 and ROUGE-L from their definitions, with rouge-score's tokenizer and no stemming (Q19)."""

import re
from collections import Counter

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")


def tokenize_rouge(text: str) -> list[str]:
    """Lower-case, keep runs of a-z and 0-9 as tokens, drop everything else (Q19)."""
    return re.findall(r"[a-z0-9]+", text.lower())


def f_measure(precision: float, recall: float) -> float:
    """Harmonic mean of precision and recall, 0 when both are 0 (Q19)."""
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def rouge_n(hyp: list[str], ref: list[str], n: int) -> tuple[float, float, float]:
    """(precision, recall, F) of the clipped n-gram overlap between hypothesis and reference tokens (Q19)."""
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    hyp_ngrams = Counter(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))
    ref_ngrams = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))
    overlap = sum(min(count, hyp_ngrams[g]) for g, count in ref_ngrams.items())
    precision = overlap / max(sum(hyp_ngrams.values()), 1)
    recall = overlap / max(sum(ref_ngrams.values()), 1)
    return precision, recall, f_measure(precision, recall)


def longest_common_subsequence(a: list[str], b: list[str]) -> int:
    """Length of the longest sequence of tokens that appears in both, in order, gaps allowed (Q19)."""
    previous = [0] * (len(b) + 1)
    for token in a:
        current = [0]
        for j, other in enumerate(b):
            current.append(previous[j] + 1 if token == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def rouge_l(hyp: list[str], ref: list[str]) -> tuple[float, float, float]:
    """(precision, recall, F) of the longest common subsequence (Q19)."""
    if not hyp or not ref:
        return 0.0, 0.0, 0.0
    lcs = longest_common_subsequence(hyp, ref)
    precision, recall = lcs / len(hyp), lcs / len(ref)
    return precision, recall, f_measure(precision, recall)


def rouge(hypothesis: str, reference: str) -> dict[str, tuple[float, float, float]]:
    """ROUGE-1, ROUGE-2 and ROUGE-L of one hypothesis against one reference, as (P, R, F) tuples (Q19)."""
    if not isinstance(hypothesis, str) or not isinstance(reference, str):
        raise ValueError(f"rouge takes two strings, got {type(hypothesis).__name__} and {type(reference).__name__}")
    hyp, ref = tokenize_rouge(hypothesis), tokenize_rouge(reference)
    return {"rouge1": rouge_n(hyp, ref, 1), "rouge2": rouge_n(hyp, ref, 2), "rougeL": rouge_l(hyp, ref)}
