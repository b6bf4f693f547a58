"""Self-attention beyond text: an image as a sequence of patch tokens, as in the Vision Transformer (Q16)."""

from torch import Tensor


def image_patches(images: Tensor, patch: int) -> Tensor:
    """(batch, height, width) images -> (batch, patches, patch * patch) tokens, row by row (Q16)."""
    if images.dim() != 3:
        raise ValueError(f"images must be (batch, height, width), got shape {tuple(images.shape)}")
    batch, height, width = images.shape
    if patch < 1 or height % patch or width % patch:
        raise ValueError(f"patch={patch} must divide height={height} and width={width}")
    tiles = images.unfold(1, patch, patch).unfold(2, patch, patch)  # (batch, rows, cols, patch, patch)
    return tiles.reshape(batch, (height // patch) * (width // patch), patch * patch)
