"""Classification by retrieval: the labels of the nearest labelled tweets by MiniLM similarity (Q18).

Nothing is trained; the labelled examples are the model. Adding a label means adding a row to the index,
and at inference each query needs one encoder pass plus a similarity against every indexed example.
"""

import torch
from torch import Tensor


def nearest_labels(index: Tensor, index_labels: list[int], queries: Tensor, k: int = 7) -> Tensor:
    """Majority label of the `k` indexed rows most cosine-similar to each query; rows need not be normalised (Q18)."""
    if index.dim() != 2 or queries.dim() != 2 or index.size(1) != queries.size(1):
        raise ValueError(f"index {tuple(index.shape)} and queries {tuple(queries.shape)} must be 2-D of one width")
    if len(index_labels) != len(index) or not 1 <= k <= len(index) or k % 2 == 0:
        raise ValueError(f"need one label per indexed row ({len(index_labels)} for {len(index)}) and an odd k "
                         f"in 1..{len(index)}, got k={k}")
    similarity = torch.nn.functional.normalize(queries, dim=1) @ torch.nn.functional.normalize(index, dim=1).T
    nearest = similarity.topk(k, dim=1).indices
    votes = torch.tensor(index_labels)[nearest].float().mean(1)
    return (votes > 0.5).long()


def retrieval_accuracy(index: Tensor, index_labels: list[int], queries: Tensor, labels: list[int], k: int = 7) -> float:
    """Fraction of queries whose nearest-label vote is right (Q18)."""
    if len(queries) != len(labels):
        raise ValueError(f"{len(queries)} queries but {len(labels)} labels")
    return int((nearest_labels(index, index_labels, queries, k) == torch.tensor(labels)).sum()) / len(labels)
