"""Score hypothesis-reference pairs with every metric at once, for the tables and figures of Q19."""

from mlqa.llm_eval.bertscore import TokenEncoder, bert_score, load_encoder
from mlqa.llm_eval.bleu import bleu
from mlqa.llm_eval.examples import CASES
from mlqa.llm_eval.rouge import rouge

KINDS = ("paraphrase", "wrong", "unrelated")


def score_pairs(hypotheses: list[str], references: list[str], model: TokenEncoder | None = None) -> list[dict]:
    """Per pair: BLEU (one-sentence corpus, 'exp' smoothing), ROUGE-1/2/L F and BERTScore F1, all 0-100 (Q19)."""
    model = load_encoder() if model is None else model
    _, _, f1 = bert_score(hypotheses, references, model)
    rows = []
    for hypothesis, reference, bert_f1 in zip(hypotheses, references, f1.tolist()):
        scores = rouge(hypothesis, reference)
        rows.append({
            "BLEU": bleu([hypothesis], [reference], smooth="exp"),
            "ROUGE-1": 100 * scores["rouge1"][2],
            "ROUGE-2": 100 * scores["rouge2"][2],
            "ROUGE-L": 100 * scores["rougeL"][2],
            "BERTScore": 100 * bert_f1,
        })
    return rows


def failure_scores(model: TokenEncoder | None = None) -> dict[str, list[dict]]:
    """Every metric for the paraphrase, the fluent wrong answer and the unrelated sentence of each case (Q19)."""
    model = load_encoder() if model is None else model
    references = [case.reference for case in CASES]
    return {kind: score_pairs([getattr(case, kind) for case in CASES], references, model) for kind in KINDS}
