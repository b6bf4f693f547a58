"""A Vision Transformer written from scratch: patches, a class token, learned positions, pre-LN blocks (Q11, Q13).

The layout (names aside) is Dosovitskiy et al. (2021)'s, as timm and Hugging Face build it: a strided
convolution cuts the image into patches, each block is LayerNorm → attention → residual, LayerNorm → MLP
(exact GELU) → residual, and the class token's final state feeds a linear head.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class PatchEmbedding(nn.Module):
    """Cut the image into non-overlapping patches and project each to `dim` (a conv with stride = kernel) (Q13)."""

    def __init__(self, image_size: int, patch_size: int, in_channels: int, dim: int) -> None:
        super().__init__()
        if image_size % patch_size:
            raise ValueError(f"patch_size={patch_size} must divide image_size={image_size}")
        self.num_patches = (image_size // patch_size) ** 2
        self.proj = nn.Conv2d(in_channels, dim, patch_size, stride=patch_size)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.proj(images).flatten(2).transpose(1, 2)


class Attention(nn.Module):
    """Multi-head self-attention with one fused query-key-value projection; keeps its last weights if asked (Q13)."""

    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        if dim % heads:
            raise ValueError(f"heads={heads} must divide dim={dim}")
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.keep_weights = False
        self.weights: torch.Tensor | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, tokens, dim = x.shape
        q, k, v = self.qkv(x).view(batch, tokens, 3, self.heads, dim // self.heads).permute(2, 0, 3, 1, 4)
        weights = F.softmax(q @ k.transpose(-2, -1) * (dim // self.heads) ** -0.5, dim=-1)
        if self.keep_weights:
            self.weights = weights.detach()
        return self.proj((weights @ v).transpose(1, 2).reshape(batch, tokens, dim))


class Block(nn.Module):
    """Pre-LN transformer block: x + attention(LN(x)), then x + MLP(LN(x)) (Q13)."""

    def __init__(self, dim: int, heads: int, mlp_ratio: float, eps: float) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=eps)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=eps)
        hidden = int(dim * mlp_ratio)
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class VisionTransformer(nn.Module):
    """ViT classifier: patches + class token + learned positions, pre-LN blocks, head on the class token (Q13)."""

    def __init__(self, image_size: int = 224, patch_size: int = 16, in_channels: int = 3, num_classes: int = 1000,
                 dim: int = 768, depth: int = 12, heads: int = 12, mlp_ratio: float = 4.0, eps: float = 1e-6) -> None:
        super().__init__()
        self.patch_size = patch_size
        self.patch_embed = PatchEmbedding(image_size, patch_size, in_channels, dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, self.patch_embed.num_patches + 1, dim) * 0.02)
        self.blocks = nn.Sequential(*(Block(dim, heads, mlp_ratio, eps) for _ in range(depth)))
        self.norm = nn.LayerNorm(dim, eps=eps)
        self.head = nn.Linear(dim, num_classes)

    def tokens(self, images: torch.Tensor) -> torch.Tensor:
        """Patch tokens with the class token in front and positions added, before any block (Q13)."""
        patches = self.patch_embed(images)
        cls = self.cls_token.expand(patches.shape[0], -1, -1)
        return torch.cat([cls, patches], dim=1) + self.pos_embed

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.head(self.norm(self.blocks(self.tokens(images)))[:, 0])

    def attention_maps(self, images: torch.Tensor) -> list[torch.Tensor]:
        """Each block's attention weights (batch, heads, tokens, tokens) for these images (Q13)."""
        for block in self.blocks:
            block.attn.keep_weights = True
        try:
            with torch.no_grad():
                self(images)
            return [block.attn.weights for block in self.blocks]
        finally:
            for block in self.blocks:
                block.attn.keep_weights = False
                block.attn.weights = None
