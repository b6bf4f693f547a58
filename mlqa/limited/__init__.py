"""Q30: learning with limited labeled data, every technique on one protocol."""

from mlqa.limited.data import Split, TechniqueResult, digits_split, split_labels
from mlqa.limited.techniques import TECHNIQUES, get_technique

__all__ = ["Split", "TechniqueResult", "digits_split", "split_labels", "TECHNIQUES", "get_technique"]
