"""Corpus BLEU from its definition: clipped n-gram precisions, their geometric mean, a brevity penalty (Q19)."""

import math
import re
from collections import Counter

MAX_ORDER = 4
SMOOTHING = ("none", "exp")
# mteval-v13a's punctuation rules, as sacrebleu applies them (Post 2018).
_13A_RULES = [
    (re.compile(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])"), r" \1 "),  # symbols become their own tokens
    (re.compile(r"([^0-9])([\.,])"), r"\1 \2 "),  # period and comma unless after a digit
    (re.compile(r"([\.,])([^0-9])"), r" \1 \2"),  # period and comma unless before a digit
    (re.compile(r"([0-9])(-)"), r"\1 \2 "),  # a dash after a digit
]


def tokenize_13a(text: str) -> list[str]:
    """Split `text` into words and punctuation the way mteval-v13a (sacreBLEU's default) does (Q19)."""
    line = text.rstrip().replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    for entity, char in (("&quot;", '"'), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">")):
        line = line.replace(entity, char)
    line = f" {line} "
    for pattern, replacement in _13A_RULES:
        line = pattern.sub(replacement, line)
    return line.split()


def ngram_counts(tokens: list[str], n: int) -> Counter:
    """How often each n-gram (a tuple of n tokens) occurs in `tokens` (Q19)."""
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def bleu(hypotheses: list[str], references: list[str], smooth: str = "none") -> float:
    """Corpus BLEU in 0-100 with 13a tokens, one reference per hypothesis, optional 'exp' smoothing (Q19).

    Matches and n-gram totals are summed over the corpus before the precisions are taken; the brevity
    penalty compares the summed lengths.
    """
    if len(hypotheses) != len(references):
        raise ValueError(f"need one reference per hypothesis, got {len(hypotheses)} and {len(references)}")
    if smooth not in SMOOTHING:
        raise ValueError(f"smooth must be one of {SMOOTHING}, got {smooth!r}")
    matches, totals = [0] * MAX_ORDER, [0] * MAX_ORDER
    hyp_len = ref_len = 0
    for hypothesis, reference in zip(hypotheses, references):
        hyp, ref = tokenize_13a(hypothesis), tokenize_13a(reference)
        hyp_len, ref_len = hyp_len + len(hyp), ref_len + len(ref)
        for n in range(1, MAX_ORDER + 1):
            hyp_ngrams, ref_ngrams = ngram_counts(hyp, n), ngram_counts(ref, n)
            matches[n - 1] += sum(min(count, ref_ngrams[g]) for g, count in hyp_ngrams.items())
            totals[n - 1] += sum(hyp_ngrams.values())
    if matches[0] == 0:  # nothing in common (or an empty output): BLEU is 0 whatever the smoothing
        return 0.0
    log_precisions, halvings = [], 0
    for match, total in zip(matches, totals):
        if total == 0:  # the hypotheses are shorter than n: the missing orders count as zero precision
            return 0.0
        if match == 0 and smooth == "exp":
            halvings += 1
            log_precisions.append(math.log(1 / (2**halvings * total)))
        elif match == 0:
            return 0.0
        else:
            log_precisions.append(math.log(match / total))
    brevity = 1.0 if hyp_len >= ref_len else math.exp(1 - ref_len / hyp_len)
    return 100 * brevity * math.exp(sum(log_precisions) / MAX_ORDER)
