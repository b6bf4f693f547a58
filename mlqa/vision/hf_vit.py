"""Copy mlqa's VisionTransformer into Hugging Face's ViTForImageClassification of the same configuration (Q13).

The reference implementation that installs here: timm needs torchvision at import time, and torchvision does not
import beside this PyTorch, so `transformers`' ViT (same architecture as timm's `VisionTransformer`) is the check.
"""

from __future__ import annotations

import torch

from mlqa.vision.vit import VisionTransformer


def to_hugging_face(vit: VisionTransformer):
    """A `transformers.ViTForImageClassification` with `vit`'s configuration and a copy of its weights (Q13)."""
    from transformers import ViTConfig, ViTForImageClassification

    dim = vit.cls_token.shape[-1]
    block = vit.blocks[0]
    config = ViTConfig(hidden_size=dim, num_hidden_layers=len(vit.blocks), num_attention_heads=block.attn.heads,
                       intermediate_size=block.mlp[0].out_features, hidden_act="gelu", layer_norm_eps=block.norm1.eps,
                       image_size=int(vit.patch_embed.num_patches**0.5) * vit.patch_size, patch_size=vit.patch_size,
                       num_channels=vit.patch_embed.proj.in_channels, num_labels=vit.head.out_features,
                       hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, qkv_bias=True)
    reference = ViTForImageClassification(config)
    reference.config._attn_implementation = "eager"
    state = {"vit.embeddings.cls_token": vit.cls_token, "vit.embeddings.position_embeddings": vit.pos_embed,
             "vit.embeddings.patch_embeddings.projection.weight": vit.patch_embed.proj.weight,
             "vit.embeddings.patch_embeddings.projection.bias": vit.patch_embed.proj.bias,
             "vit.layernorm.weight": vit.norm.weight, "vit.layernorm.bias": vit.norm.bias,
             "classifier.weight": vit.head.weight, "classifier.bias": vit.head.bias}
    for i, block in enumerate(vit.blocks):
        prefix = f"vit.layers.{i}."  # transformers 5 names
        for name, part in zip(("q_proj", "k_proj", "v_proj"), block.attn.qkv.weight.chunk(3)):
            state[f"{prefix}attention.{name}.weight"] = part
        for name, part in zip(("q_proj", "k_proj", "v_proj"), block.attn.qkv.bias.chunk(3)):
            state[f"{prefix}attention.{name}.bias"] = part
        pairs = {"attention.o_proj": block.attn.proj, "layernorm_before": block.norm1,
                 "layernorm_after": block.norm2, "mlp.fc1": block.mlp[0], "mlp.fc2": block.mlp[2]}
        for name, module in pairs.items():
            state[f"{prefix}{name}.weight"], state[f"{prefix}{name}.bias"] = module.weight, module.bias
    with torch.no_grad():
        missing, unexpected = reference.load_state_dict({k: v.detach().clone() for k, v in state.items()},
                                                        strict=False)
    if missing or unexpected:
        raise ValueError(f"weight copy incomplete: missing {missing}, unexpected {unexpected}")
    return reference.to(vit.cls_token.device).eval()
