"""Q19: BLEU, ROUGE and BERTScore from scratch equal sacrebleu, rouge-score and bert-score; perplexity equals
exp of Hugging Face's mean token loss."""

import math

import pytest
import torch

from mlqa.llm_eval import CASES, EDGE_CASES, bert_score, bleu, label_accuracy, load_encoder, perplexity, rouge

PAIRS = [(h, r) for h, r, _ in EDGE_CASES] + [(getattr(c, k), c.reference) for c in CASES
                                               for k in ("paraphrase", "wrong", "unrelated")]


@pytest.mark.parametrize("smooth", ["none", "exp"])
def test_bleu_equals_sacrebleu(smooth):
    """Sentence by sentence and on the whole corpus, to 1e-9 (sacrebleu rounds nothing internally)."""
    from sacrebleu.metrics import BLEU

    theirs = BLEU(smooth_method=smooth)
    for hypothesis, reference in PAIRS:
        assert bleu([hypothesis], [reference], smooth) == pytest.approx(
            theirs.corpus_score([hypothesis], [[reference]]).score, abs=1e-9), (hypothesis, reference)
    hyps, refs = [h for h, _ in PAIRS], [r for _, r in PAIRS]
    assert bleu(hyps, refs, smooth) == pytest.approx(theirs.corpus_score(hyps, [refs]).score, abs=1e-9)


def test_rouge_equals_rouge_score():
    from rouge_score.rouge_scorer import RougeScorer

    scorer = RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False)
    for hypothesis, reference in PAIRS:
        theirs, ours = scorer.score(reference, hypothesis), rouge(hypothesis, reference)
        for key in ("rouge1", "rouge2", "rougeL"):
            assert ours[key] == pytest.approx(tuple(theirs[key]), abs=1e-12), (key, hypothesis)


def test_bad_input_raises():
    with pytest.raises(ValueError, match="2 and 1"):
        bleu(["a", "b"], ["a"])
    with pytest.raises(ValueError, match="smooth"):
        bleu(["a"], ["a"], smooth="floor")
    with pytest.raises(ValueError, match="labels"):
        label_accuracy(["positive"], ["neutral"])


@pytest.mark.slow
def test_bert_score_equals_bert_score_package_offline(monkeypatch):
    """MiniLM from the local wheel, no IDF, no rescaling: P, R, F1 agree to 1e-5 (measured 1.2e-7).

    batch_size=1: in a padded batch bert-score lets a padding position (cosine 0) win the max over negative
    cosines, which moved scores of unrelated pairs by up to 2e-3 here; that is a batching artefact.

    bert-score 0.3.12 crashes on an empty sentence under transformers 5 (its tokenizer lost
    build_inputs_with_special_tokens), so the empty case is checked against its documented rule: scores 0.
    """
    import bert_score as package

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    encoder = load_encoder()
    hyps, refs = [h for h, r in PAIRS if h and r], [r for h, r in PAIRS if h and r]
    ours = bert_score(hyps, refs, encoder)
    theirs = package.score(hyps, refs, model_type=str(encoder.path), num_layers=6, batch_size=1)
    for a, b in zip(ours, theirs):
        assert torch.allclose(a, b.float(), atol=1e-5), (a - b).abs().max()
    assert all(score.item() == 0 for score in bert_score([""], ["the cat sat"], encoder))


def test_perplexity_equals_hugging_face_loss(one_thread):
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    config = GPT2Config(vocab_size=50, n_positions=32, n_embd=32, n_layer=2, n_head=4,
                        bos_token_id=0, eos_token_id=0, pad_token_id=0)
    model = GPT2LMHeadModel(config).eval()
    ids = torch.randint(1, 50, (3, 20))
    loss = model(input_ids=ids, labels=ids).loss.item()
    assert perplexity(model, ids) == pytest.approx(math.exp(loss), rel=1e-5)
    mask = torch.ones_like(ids)
    mask[1, 12:] = 0
    mask[2, 7:] = 0
    labels = ids.masked_fill(mask == 0, -100)
    masked_loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss.item()
    assert perplexity(model, ids, mask) == pytest.approx(math.exp(masked_loss), rel=1e-5)
    with pytest.raises(ValueError, match="seq >= 2"):
        perplexity(model, ids[:, :1])


def test_answer_label_reads_negation():
    from mlqa.llm_eval import answer_label

    assert answer_label("The sentiment is not positive.") == "negative"
    assert answer_label("Clearly pleased, a good review") == "positive"
    assert answer_label("No idea.") is None
