"""Hugging Face reference models for the Q17 checks: small configs, every weight redrawn from a seed."""

import torch
from torch import nn

VOCAB_SIZE = 97
SPECIAL_IDS = dict(pad_token_id=0, bos_token_id=1, eos_token_id=2)


def count_parameters(model: nn.Module) -> int:
    """Number of parameters of `model`, shared ones counted once (Q17)."""
    return sum(p.numel() for p in model.parameters())


def is_embedding(model: nn.Module, param: nn.Parameter) -> bool:
    """Whether `param` is the weight of an nn.Embedding inside `model` (Q17)."""
    return any(isinstance(m, nn.Embedding) and m.weight is param for m in model.modules())


def perturbed(model: nn.Module, seed: int = 0, std: float = 0.3, embedding_std: float = 0.3) -> nn.Module:
    """Redraw every trainable weight (and Marian's final_logits_bias) from one seeded generator; eval mode (Q17).

    Fresh Hugging Face models have zero biases and unit LayerNorms, which hide mapping mistakes. Weights with
    std 0.3 make a wrong GELU variant show; a small `embedding_std` gives the first LayerNorm a small input
    variance, so a wrong epsilon shows too.
    """
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for param in model.parameters():
            if param.requires_grad:
                spread = embedding_std if is_embedding(model, param) else std
                param.copy_(torch.randn(param.shape, generator=generator) * spread)
        for name, buffer in model.named_buffers():
            if name.endswith("final_logits_bias"):
                buffer.copy_(torch.randn(buffer.shape, generator=generator) * std)
    return model.eval()


def reference_models(seed: int = 0, d_model: int = 32, layers: int = 2, heads: int = 4) -> dict[str, nn.Module]:
    """Small Hugging Face GPT2LMHeadModel, BertForPreTraining and MarianMTModel, perturbed with `seed` (Q17).

    All use eager attention (the bit-exact reference) and a 97-token vocabulary with pad 0, bos 1, eos 2.
    """
    import transformers as hf

    common = dict(attn_implementation="eager", **SPECIAL_IDS)
    gpt2 = hf.GPT2LMHeadModel(hf.GPT2Config(vocab_size=VOCAB_SIZE, n_positions=64, n_embd=d_model, n_layer=layers,
                                            n_head=heads, **common))
    bert = hf.BertForPreTraining(hf.BertConfig(vocab_size=VOCAB_SIZE, hidden_size=d_model, num_hidden_layers=layers,
                                               num_attention_heads=heads, intermediate_size=2 * d_model, **common))
    marian = hf.MarianMTModel(hf.MarianConfig(
        vocab_size=VOCAB_SIZE, d_model=d_model, encoder_layers=layers, decoder_layers=layers,
        encoder_attention_heads=heads, decoder_attention_heads=heads, encoder_ffn_dim=2 * d_model,
        decoder_ffn_dim=2 * d_model, max_position_embeddings=64, activation_function="relu", scale_embedding=True,
        decoder_start_token_id=0, forced_eos_token_id=None, **common))
    return {name: perturbed(model, seed + i) for i, (name, model) in
            enumerate((("GPT-2", gpt2), ("BERT", bert), ("Marian", marian)))}
