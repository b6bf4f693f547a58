"""BERT-style encoder with masked-language-model and next-sentence heads (Q17)."""

from dataclasses import dataclass

import torch
from torch import Tensor, nn

from mlqa.transformer.attention import padding_mask
from mlqa.transformer.blocks import ACTIVATIONS, PostLNEncoderBlock, init_weights
from mlqa.transformer.embeddings import check_inputs

IGNORE_INDEX = -100  # label of positions that do not count in the MLM loss


@dataclass
class EncoderConfig:
    """Sizes of a BERT-style encoder (Q17)."""

    vocab_size: int
    d_model: int = 128
    num_layers: int = 2
    num_heads: int = 4
    d_ff: int = 512
    max_positions: int = 128
    type_vocab_size: int = 2
    eps: float = 1e-12
    dropout: float = 0.1
    activation: str = "gelu"


class BertEncoder(nn.Module):
    """Token + segment + learned position embeddings, LayerNorm, post-LN blocks, tanh pooler (Q17)."""

    def __init__(self, config: EncoderConfig):
        super().__init__()
        self.config = config
        self.token_embedding = nn.Embedding(config.vocab_size, config.d_model)
        self.segment_embedding = nn.Embedding(config.type_vocab_size, config.d_model)
        self.position_embedding = nn.Embedding(config.max_positions, config.d_model)
        self.embedding_norm = nn.LayerNorm(config.d_model, eps=config.eps)
        self.drop = nn.Dropout(config.dropout)
        c = config
        self.blocks = nn.ModuleList(
            PostLNEncoderBlock(c.d_model, c.num_heads, c.d_ff, c.activation, c.eps, c.dropout)
            for _ in range(c.num_layers)
        )
        self.pooler = nn.Linear(config.d_model, config.d_model)
        self.apply(init_weights)

    def forward(
        self, input_ids: Tensor, attention_mask: Tensor | None = None, token_type_ids: Tensor | None = None
    ) -> Tensor:
        """Last hidden state, (batch, seq, d_model)."""
        check_inputs(input_ids, attention_mask, self.config.vocab_size, self.config.max_positions)
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        c = self.config
        check_inputs(token_type_ids, None, c.type_vocab_size, c.max_positions, name="token_type_ids")
        positions = torch.arange(input_ids.size(1), device=input_ids.device)
        x = self.token_embedding(input_ids) + self.segment_embedding(token_type_ids)
        x = x + self.position_embedding(positions)
        x = self.drop(self.embedding_norm(x))
        allowed = None if attention_mask is None else padding_mask(attention_mask)
        for block in self.blocks:
            x = block(x, allowed)
        return x

    def pool(self, hidden: Tensor) -> Tensor:
        """Sentence representation: tanh(dense(hidden state of the first, [CLS], token))."""
        return torch.tanh(self.pooler(hidden[:, 0]))


class BertForPretraining(nn.Module):
    """BERT with the MLM head (tied to the token embedding) and the NSP head (Q17)."""

    def __init__(self, config: EncoderConfig):
        super().__init__()
        self.encoder = BertEncoder(config)
        self.mlm_transform = nn.Sequential(
            nn.Linear(config.d_model, config.d_model),
            ACTIVATIONS[config.activation](),
            nn.LayerNorm(config.d_model, eps=config.eps),
        )
        self.mlm_bias = nn.Parameter(torch.zeros(config.vocab_size))
        self.nsp_head = nn.Linear(config.d_model, 2)

    def forward(
        self, input_ids: Tensor, attention_mask: Tensor | None = None, token_type_ids: Tensor | None = None
    ) -> tuple[Tensor, Tensor]:
        """MLM logits (batch, seq, vocab) and NSP logits (batch, 2); NSP class 0 = 'B follows A'."""
        hidden = self.encoder(input_ids, attention_mask, token_type_ids)
        mlm_logits = self.mlm_transform(hidden) @ self.encoder.token_embedding.weight.T + self.mlm_bias
        return mlm_logits, self.nsp_head(self.encoder.pool(hidden))


class BertClassifier(nn.Module):
    """BERT encoder plus a linear layer on the pooled [CLS] representation (Q17)."""

    def __init__(self, config: EncoderConfig, num_labels: int):
        super().__init__()
        self.encoder = BertEncoder(config)
        self.drop = nn.Dropout(config.dropout)
        self.classifier = nn.Linear(config.d_model, num_labels)

    def forward(
        self, input_ids: Tensor, attention_mask: Tensor | None = None, token_type_ids: Tensor | None = None
    ) -> Tensor:
        """Class logits, (batch, num_labels)."""
        hidden = self.encoder(input_ids, attention_mask, token_type_ids)
        return self.classifier(self.drop(self.encoder.pool(hidden)))


def mask_tokens(
    input_ids: Tensor,
    mask_id: int,
    vocab_size: int,
    special_ids: list[int],
    mask_prob: float = 0.15,
    generator: torch.Generator | None = None,
) -> tuple[Tensor, Tensor]:
    """BERT masking: pick `mask_prob` of the ordinary tokens; of those 80 % [MASK], 10 % random, 10 % kept (Q17).

    Returns the corrupted ids and labels that hold the original id at picked positions and -100 elsewhere.
    """
    if not 0.0 < mask_prob < 1.0:
        raise ValueError(f"mask_prob must lie in (0, 1), got {mask_prob}")
    ordinary = ~torch.isin(input_ids, torch.tensor(special_ids, device=input_ids.device))
    draw = torch.rand(input_ids.shape, generator=generator, device=input_ids.device)
    picked = ordinary & (draw < mask_prob)
    labels = torch.where(picked, input_ids, IGNORE_INDEX)
    action = torch.rand(input_ids.shape, generator=generator, device=input_ids.device)
    random_ids = torch.randint(vocab_size, input_ids.shape, generator=generator, device=input_ids.device)
    corrupted = torch.where(picked & (action < 0.8), mask_id, input_ids)
    corrupted = torch.where(picked & (action >= 0.8) & (action < 0.9), random_ids, corrupted)
    return corrupted, labels


@torch.no_grad()
def top_guesses(model: BertForPretraining, input_ids: Tensor, position: int, top: int = 8) -> tuple[Tensor, Tensor]:
    """The `top` most likely tokens, and their probabilities, at `position` of a one-row input (Q17)."""
    model.eval()
    mlm_logits, _ = model(input_ids)
    best = mlm_logits[0, position].softmax(-1).topk(top)
    return best.indices, best.values


@torch.no_grad()
def next_sentence_accuracy(
    model: BertForPretraining, ids: Tensor, token_type_ids: Tensor, attention_mask: Tensor, labels: Tensor,
    batch_size: int = 128,
) -> float:
    """Fraction of sentence pairs whose NSP head picks the right class (0 = 'B follows A') (Q17)."""
    if not len(ids) == len(token_type_ids) == len(attention_mask) == len(labels):
        raise ValueError(f"row counts differ: {len(ids)}, {len(token_type_ids)}, {len(attention_mask)}, {len(labels)}")
    model.eval()
    correct = 0
    for i in range(0, len(ids), batch_size):
        rows = slice(i, i + batch_size)
        _, nsp_logits = model(ids[rows], attention_mask[rows], token_type_ids[rows])
        correct += int((nsp_logits.argmax(-1) == labels[rows]).sum())
    return correct / len(ids)
