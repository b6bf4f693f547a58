"""Technique 6, few-shot learning: prototypical networks on classes never seen in training (Q30).

The code lives in `mlqa.fewshot` (Q3's package). The main setup: 100 two-digit classes made offline from the
bundled digits, a prototypical network meta-trained on 70 of them and tested 5-way on the 30 unseen ones, against
nearest prototype on raw pixels, on an untrained random encoder, and on a classifier pretrained on the base classes.
The control is the old setup that lost: 40 rotated and mirrored classes of the digits 0-4, tested on 5-9.
"""

from __future__ import annotations

from typing import Sequence

from mlqa.fewshot import compare_methods
from mlqa.limited.data import TechniqueResult
from mlqa.utils import torch_threads

CONTROL_METHODS = ("raw pixels", "random encoder", "prototypical network")


def run(labels_per_class: int = 5, seeds: Sequence[int] = (0, 1, 2), progress: bool = False) -> TechniqueResult:
    """5-way K-shot accuracy on unseen two-digit classes: raw-pixel prototypes vs a prototypical network (Q30)."""
    shots = sorted({1, labels_per_class})
    with torch_threads():
        pairs = compare_methods("pairs", shots, seeds=seeds, progress=progress)
        rotated = compare_methods("rotated", shots, seeds=seeds, methods=CONTROL_METHODS, progress=progress)
    return TechniqueResult("few-shot", "nearest prototype, raw pixels", "prototypical network, 70 base pairs",
                           pairs["raw pixels"][labels_per_class], pairs["prototypical network"][labels_per_class],
                           list(seeds), labels_per_class, {"pairs": pairs, "rotated control": rotated})
