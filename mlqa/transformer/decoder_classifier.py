"""Exercise 17-B as a fair experiment: a tiny GPT as classifier against a tiny BERT of the same size.

Both read the same corpus with the same tokenizer. The BERT is pretrained until it has made as many token
predictions as the GPT (it is scored on the ~15 % masked positions only, the GPT on every position), and it is
read out both ways, through its pooled [CLS] vector and through the mean of its token vectors.
"""

import math

import torch
from tokenizers import Tokenizer
from tqdm.auto import tqdm

from mlqa.transformer.bert import BertClassifier, BertForPretraining, EncoderConfig, next_sentence_accuracy
from mlqa.transformer.data import (
    CLS_ID,
    MASK_ID,
    PAD_ID,
    SEP_ID,
    encode_for_bert,
    encode_for_gpt,
    next_sentence_pairs,
    train_wordpiece,
)
from mlqa.transformer.experiments import (
    accuracy,
    balanced_subset,
    cls_embeddings,
    last_token_features,
    logistic_regression_accuracy,
    sentence_embeddings,
)
from mlqa.transformer.finetuning import SentenceEmbeddingClassifier
from mlqa.transformer.gpt import GPT, DecoderConfig, GPTClassifier
from mlqa.transformer.train import masked_token_targets, next_token_targets, train_bert, train_classifier, train_gpt

LENGTH = 32  # tokens per tweet for the tiny models
TINY = dict(d_model=64, num_layers=2, num_heads=4, d_ff=256, max_positions=64)
GPT_STEPS, BATCH_SIZE, NSP_HELD_OUT = 500, 32, 1000
SPECIAL_IDS = [PAD_ID, CLS_ID, SEP_ID]


def pretraining_corpus(texts: list[str], test_texts: list[str]) -> tuple[list[str], Tokenizer]:
    """Every tweet but the test tweets, and a 1,000-token WordPiece tokenizer trained on 12,000 of them (Q17)."""
    held_out = set(test_texts)
    corpus = [text for text in texts if text not in held_out]
    return corpus, train_wordpiece(corpus[:12000], vocab_size=1000)


def pretrain_tiny_gpt(
    tokenizer: Tokenizer, corpus: list[str], steps: int = GPT_STEPS, seed: int = 0, progress: bool = True
) -> tuple[GPT, list[float], float]:
    """The notebook's tiny GPT: next-token prediction on the corpus; returns model, losses, token predictions (Q17)."""
    ids, _ = encode_for_gpt(tokenizer, corpus, LENGTH)
    torch.manual_seed(seed)
    gpt = GPT(DecoderConfig(vocab_size=tokenizer.get_vocab_size(), **TINY))
    losses = train_gpt(gpt, ids, PAD_ID, steps=steps, batch_size=BATCH_SIZE, lr=3e-3, seed=seed, progress=progress)
    predictions = steps * BATCH_SIZE * next_token_targets(ids, PAD_ID).float().mean().item()
    return gpt, losses, predictions


def matched_bert_steps(tokenizer: Tokenizer, corpus: list[str], token_predictions: float, seed: int = 0) -> int:
    """Steps after which a BERT on this corpus has made `token_predictions` masked-token predictions (Q17)."""
    pair_ids = next_sentence_pairs(tokenizer, corpus, LENGTH, seed=seed)[0][:-NSP_HELD_OUT]
    per_step = BATCH_SIZE * masked_token_targets(pair_ids, SPECIAL_IDS).mean().item()
    return math.ceil(token_predictions / per_step)


def pretrain_tiny_bert(
    tokenizer: Tokenizer, corpus: list[str], steps: int, seed: int = 0, progress: bool = True
) -> tuple[BertForPretraining, dict[str, list[float]], float]:
    """The notebook's tiny BERT: MLM + NSP on tweet halves; returns model, loss log, held-out NSP accuracy (Q17).

    The last 1,000 sentence pairs are held out to measure next-sentence accuracy.
    """
    ids, types, mask, labels = next_sentence_pairs(tokenizer, corpus, LENGTH, seed=seed)
    torch.manual_seed(seed)
    bert = BertForPretraining(EncoderConfig(vocab_size=tokenizer.get_vocab_size(), **TINY))
    train = slice(None, -NSP_HELD_OUT)
    log = train_bert(bert, ids[train], types[train], mask[train], labels[train], MASK_ID, SPECIAL_IDS, steps=steps,
                     batch_size=BATCH_SIZE, lr=2e-3, seed=seed, progress=progress)
    held_out = slice(-NSP_HELD_OUT, None)
    return bert, log, next_sentence_accuracy(bert, ids[held_out], types[held_out], mask[held_out], labels[held_out])


def classifier_accuracies(
    gpt: GPT,
    bert: BertForPretraining,
    tokenizer: Tokenizer,
    train: tuple[list[str], list[int]],
    test: tuple[list[str], list[int]],
    seed: int = 0,
    finetune_steps: int = 150,
    lr: float = 1e-3,
    progress: bool = True,
) -> dict[str, float]:
    """Exercise 17-B: test accuracy of the decoder and the encoder, frozen (+ LR) and finetuned (Q17).

    The encoder is read out through [CLS] (BERT's pooler) and through the mean of its token vectors; untrained
    copies of both models give the frozen controls. Every finetuned arm gets the same steps and learning rate.
    """
    (train_texts, train_y), (test_texts, test_y) = train, test
    g_train, g_train_mask = encode_for_gpt(tokenizer, train_texts, LENGTH)
    g_test, g_test_mask = encode_for_gpt(tokenizer, test_texts, LENGTH)
    b_train, b_train_mask = encode_for_bert(tokenizer, train_texts, LENGTH)
    b_test, b_test_mask = encode_for_bert(tokenizer, test_texts, LENGTH)
    torch.manual_seed(seed)
    untrained_gpt, untrained_bert = GPT(gpt.config), BertForPretraining(bert.encoder.config)

    def probe(features, model, train_inputs, test_inputs) -> float:
        return logistic_regression_accuracy(features(model, *train_inputs), train_y, features(model, *test_inputs),
                                            test_y)

    g_data, b_data = ((g_train, g_train_mask), (g_test, g_test_mask)), ((b_train, b_train_mask), (b_test, b_test_mask))
    results = {
        "decoder, frozen last token + LR": probe(last_token_features, gpt, *g_data),
        "encoder, frozen [CLS] + LR": probe(cls_embeddings, bert.encoder, *b_data),
        "encoder, frozen mean pool + LR": probe(sentence_embeddings, bert.encoder, *b_data),
        "untrained decoder, frozen last token + LR": probe(last_token_features, untrained_gpt, *g_data),
        "untrained encoder, frozen mean pool + LR": probe(sentence_embeddings, untrained_bert.encoder, *b_data),
    }
    labels = torch.tensor(train_y)
    settings = dict(lr=lr, batch_size=BATCH_SIZE, seed=seed, progress=progress)
    torch.manual_seed(seed)
    decoder = GPTClassifier(gpt.config, 2, PAD_ID)
    decoder.gpt.load_state_dict(gpt.state_dict())
    train_classifier(decoder, (g_train, g_train_mask), labels, finetune_steps, desc="finetune decoder", **settings)
    results["decoder, finetuned last token"] = accuracy(decoder, (g_test, g_test_mask), test_y)
    torch.manual_seed(seed)
    encoder_cls = BertClassifier(bert.encoder.config, 2)
    encoder_cls.encoder.load_state_dict(bert.encoder.state_dict())
    train_classifier(encoder_cls, (b_train, b_train_mask), labels, finetune_steps, desc="finetune [CLS]", **settings)
    results["encoder, finetuned [CLS]"] = accuracy(encoder_cls, (b_test, b_test_mask), test_y)
    torch.manual_seed(seed)
    encoder_mean = SentenceEmbeddingClassifier(BertForPretraining(bert.encoder.config).encoder, 2)
    encoder_mean.encoder.load_state_dict(bert.encoder.state_dict())
    train_classifier(encoder_mean, (b_train, b_train_mask), labels, finetune_steps, desc="finetune mean pool",
                     **settings)
    results["encoder, finetuned mean pool"] = accuracy(encoder_mean, (b_test, b_test_mask), test_y)
    return results


def exercise_17b(
    texts: list[str],
    split: tuple[list[str], list[int], list[str], list[int]],
    num_labels: int = 500,
    seed: int = 0,
    progress: bool = True,
) -> tuple[dict[str, float], dict[str, float]]:
    """One seed of exercise 17-B end to end: pretrain both tiny models, then classify (Q17).

    `split` is the sentiment pool and test set; `num_labels` of the pool (balanced, drawn with seed 0, the same
    for every seed) train the classifiers. Returns accuracies and pretraining facts (predictions, steps, losses).
    """
    pool_texts, pool_labels, test_texts, test_labels = split
    corpus, tokenizer = pretraining_corpus(texts, test_texts)
    gpt, gpt_losses, gpt_predictions = pretrain_tiny_gpt(tokenizer, corpus, seed=seed, progress=progress)
    bert_steps = matched_bert_steps(tokenizer, corpus, gpt_predictions, seed=seed)
    bert, bert_log, nsp_accuracy = pretrain_tiny_bert(tokenizer, corpus, bert_steps, seed=seed, progress=progress)
    picked = balanced_subset(pool_labels, num_labels, seed=0)
    train = ([pool_texts[i] for i in picked], [pool_labels[i] for i in picked])
    results = classifier_accuracies(gpt, bert, tokenizer, train, (test_texts, test_labels), seed=seed,
                                    progress=progress)
    facts = {
        "gpt_steps": GPT_STEPS, "gpt_token_predictions": gpt_predictions, "bert_steps": bert_steps,
        "bert_token_predictions": sum(bert_log["mlm_predictions"]),
        "gpt_final_loss": sum(gpt_losses[-20:]) / 20, "bert_final_mlm_loss": sum(bert_log["mlm"][-20:]) / 20,
        "bert_final_nsp_loss": sum(bert_log["nsp"][-20:]) / 20, "nsp_accuracy": nsp_accuracy,
    }
    return results, facts


def sweep_17b(seeds: tuple[int, ...] = (0, 1, 2), progress: bool = True) -> tuple[list[dict], dict]:
    """Exercise 17-B for each seed: rows {seed, arm, accuracy} and the settings with per-seed facts (Q17)."""
    from mlqa.transformer.data import load_tweets, sentiment_split
    from mlqa.transformer.experiments import POOL_SIZE, TEST_SIZE

    tweets = load_tweets()
    split = sentiment_split(tweets, num_train=POOL_SIZE, num_test=TEST_SIZE, seed=0)
    rows, facts = [], {}
    for seed in tqdm(seeds, desc="17-B sweep", disable=not progress):
        results, facts[seed] = exercise_17b(tweets.texts, split, seed=seed, progress=False)
        rows += [{"seed": seed, "arm": arm, "accuracy": value} for arm, value in results.items()]
    settings = {"labels": 500, "length": LENGTH, "tiny": TINY, "gpt_steps": GPT_STEPS, "batch_size": BATCH_SIZE,
                "finetune_steps": 150, "finetune_lr": 1e-3, "facts": facts}
    return rows, settings
