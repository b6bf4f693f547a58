"""from_hf: copy a Hugging Face GPT-2, BERT or Marian model into the matching mlqa model (Q17)."""

import torch
from torch import Tensor, nn

from mlqa.transformer.bert import BertClassifier, BertEncoder, BertForPretraining, EncoderConfig
from mlqa.transformer.embeddings import sinusoidal_positions
from mlqa.transformer.encoder_decoder import EncoderDecoder, EncoderDecoderConfig
from mlqa.transformer.gpt import GPT, DecoderConfig, GPTClassifier

SUPPORTED = (
    "GPT2LMHeadModel, GPT2ForSequenceClassification, BertModel, BertForPreTraining, "
    "BertForSequenceClassification, MarianMTModel"
)
HF_ACTIVATIONS = {"gelu_new": "gelu_tanh", "gelu_pytorch_tanh": "gelu_tanh", "gelu": "gelu", "relu": "relu"}


def from_hf(model: nn.Module) -> nn.Module:
    """Return the mlqa model that computes what the Hugging Face `model` computes, weights copied (Q17)."""
    import transformers as hf

    name = type(model).__name__
    if isinstance(model, (hf.GPT2LMHeadModel, hf.GPT2ForSequenceClassification)):
        config = decoder_config(model.config)
        if isinstance(model, hf.GPT2LMHeadModel):
            ours, state = GPT(config), gpt2_state(model.transformer.state_dict())
            check_tied(model.lm_head.weight, model.transformer.wte.weight, name)
        else:
            ours = GPTClassifier(config, model.config.num_labels, model.config.pad_token_id)
            state = {"gpt." + k: v for k, v in gpt2_state(model.transformer.state_dict()).items()}
            state["score.weight"] = model.score.weight
    elif isinstance(model, (hf.BertModel, hf.BertForPreTraining, hf.BertForSequenceClassification)):
        config = encoder_config(model.config)
        if isinstance(model, hf.BertModel):
            ours = BertEncoder(config)
            state = bert_state(model.state_dict(), ours)
        elif isinstance(model, hf.BertForPreTraining):
            ours = BertForPretraining(config)
            state = {"encoder." + k: v for k, v in bert_state(model.bert.state_dict(), ours.encoder).items()}
            check_tied(model.cls.predictions.decoder.weight, model.bert.embeddings.word_embeddings.weight, name)
            state |= {
                "mlm_transform.0.weight": model.cls.predictions.transform.dense.weight,
                "mlm_transform.0.bias": model.cls.predictions.transform.dense.bias,
                "mlm_transform.2.weight": model.cls.predictions.transform.LayerNorm.weight,
                "mlm_transform.2.bias": model.cls.predictions.transform.LayerNorm.bias,
                "mlm_bias": model.cls.predictions.decoder.bias,
                "nsp_head.weight": model.cls.seq_relationship.weight,
                "nsp_head.bias": model.cls.seq_relationship.bias,
            }
        else:
            ours = BertClassifier(config, model.config.num_labels)
            state = {"encoder." + k: v for k, v in bert_state(model.bert.state_dict(), ours.encoder).items()}
            state |= {"classifier.weight": model.classifier.weight, "classifier.bias": model.classifier.bias}
    elif isinstance(model, hf.MarianMTModel):
        ours = EncoderDecoder(encoder_decoder_config(model.config))
        state = marian_state(model, ours)
    else:
        raise TypeError(f"from_hf does not support {name}; supported models: {SUPPORTED}")
    ours.load_state_dict({k: v.detach().clone() for k, v in state.items()}, strict=True)
    return ours.train(model.training)


def check_tied(output_weight: Tensor, embedding_weight: Tensor, name: str) -> None:
    """Our output layers reuse the token embedding: refuse a model whose head differs from it."""
    if not torch.equal(output_weight, embedding_weight):
        raise ValueError(f"{name} has an output layer not tied to its token embedding; mlqa models tie them")


def activation_name(hf_name: str) -> str:
    """Map a Hugging Face activation name to ours, or refuse it."""
    if hf_name not in HF_ACTIVATIONS:
        raise ValueError(f"activation {hf_name!r} is not supported; use one of {sorted(HF_ACTIVATIONS)}")
    return HF_ACTIVATIONS[hf_name]


def decoder_config(c) -> DecoderConfig:
    """DecoderConfig from a GPT2Config, refusing the variants our blocks do not implement."""
    if c.scale_attn_by_inverse_layer_idx or c.reorder_and_upcast_attn or c.add_cross_attention:
        raise ValueError("GPT-2 variants with scale_attn_by_inverse_layer_idx, reorder_and_upcast_attn or "
                         "add_cross_attention are not supported")
    if not c.scale_attn_weights:
        raise ValueError("GPT-2 with scale_attn_weights=False is not supported")
    return DecoderConfig(
        vocab_size=c.vocab_size, d_model=c.n_embd, num_layers=c.n_layer, num_heads=c.n_head,
        d_ff=c.n_inner or 4 * c.n_embd, max_positions=c.n_positions, eps=c.layer_norm_epsilon,
        dropout=c.resid_pdrop, activation=activation_name(c.activation_function),
    )


def encoder_config(c) -> EncoderConfig:
    """EncoderConfig from a BertConfig."""
    if getattr(c, "position_embedding_type", "absolute") != "absolute" or c.is_decoder:
        raise ValueError("only BERT encoders with absolute position embeddings are supported")
    return EncoderConfig(
        vocab_size=c.vocab_size, d_model=c.hidden_size, num_layers=c.num_hidden_layers,
        num_heads=c.num_attention_heads, d_ff=c.intermediate_size, max_positions=c.max_position_embeddings,
        type_vocab_size=c.type_vocab_size, eps=c.layer_norm_eps, dropout=c.hidden_dropout_prob,
        activation=activation_name(c.hidden_act),
    )


def encoder_decoder_config(c) -> EncoderDecoderConfig:
    """EncoderDecoderConfig from a MarianConfig (shared vocabulary, equal head counts and FFN sizes)."""
    if not (c.share_encoder_decoder_embeddings and c.scale_embedding):
        raise ValueError("only Marian models with shared embeddings and scale_embedding=True are supported")
    if c.encoder_attention_heads != c.decoder_attention_heads or c.encoder_ffn_dim != c.decoder_ffn_dim:
        raise ValueError(
            f"encoder and decoder must match: heads {c.encoder_attention_heads} vs {c.decoder_attention_heads}, "
            f"ffn {c.encoder_ffn_dim} vs {c.decoder_ffn_dim}"
        )
    return EncoderDecoderConfig(
        vocab_size=c.vocab_size, pad_id=c.pad_token_id, d_model=c.d_model, num_encoder_layers=c.encoder_layers,
        num_decoder_layers=c.decoder_layers, num_heads=c.encoder_attention_heads, d_ff=c.encoder_ffn_dim,
        max_positions=c.max_position_embeddings, dropout=c.dropout, activation=activation_name(c.activation_function),
    )


def gpt2_state(hf_state: dict[str, Tensor]) -> dict[str, Tensor]:
    """Rename GPT2Model weights; Conv1D stores (in, out), so every c_attn/c_proj/c_fc weight is transposed."""
    state = {
        "token_embedding.weight": hf_state["wte.weight"],
        "position_embedding.weight": hf_state["wpe.weight"],
        "final_norm.weight": hf_state["ln_f.weight"],
        "final_norm.bias": hf_state["ln_f.bias"],
    }
    num_layers = 1 + max(int(k.split(".")[1]) for k in hf_state if k.startswith("h."))
    for i in range(num_layers):
        h, b = f"h.{i}.", f"blocks.{i}."
        q, k, v = hf_state[h + "attn.c_attn.weight"].T.chunk(3, dim=0)
        qb, kb, vb = hf_state[h + "attn.c_attn.bias"].chunk(3)
        state |= {
            b + "norm1.weight": hf_state[h + "ln_1.weight"], b + "norm1.bias": hf_state[h + "ln_1.bias"],
            b + "attention.query.weight": q, b + "attention.query.bias": qb,
            b + "attention.key.weight": k, b + "attention.key.bias": kb,
            b + "attention.value.weight": v, b + "attention.value.bias": vb,
            b + "attention.out.weight": hf_state[h + "attn.c_proj.weight"].T,
            b + "attention.out.bias": hf_state[h + "attn.c_proj.bias"],
            b + "norm2.weight": hf_state[h + "ln_2.weight"], b + "norm2.bias": hf_state[h + "ln_2.bias"],
            b + "ffn.0.weight": hf_state[h + "mlp.c_fc.weight"].T, b + "ffn.0.bias": hf_state[h + "mlp.c_fc.bias"],
            b + "ffn.2.weight": hf_state[h + "mlp.c_proj.weight"].T, b + "ffn.2.bias": hf_state[h + "mlp.c_proj.bias"],
        }
    return state


def bert_state(hf_state: dict[str, Tensor], ours: BertEncoder) -> dict[str, Tensor]:
    """Rename BertModel weights; a model built without a pooler keeps our freshly initialised one."""
    e = "embeddings."
    state = {
        "token_embedding.weight": hf_state[e + "word_embeddings.weight"],
        "segment_embedding.weight": hf_state[e + "token_type_embeddings.weight"],
        "position_embedding.weight": hf_state[e + "position_embeddings.weight"],
        "embedding_norm.weight": hf_state[e + "LayerNorm.weight"],
        "embedding_norm.bias": hf_state[e + "LayerNorm.bias"],
        "pooler.weight": hf_state.get("pooler.dense.weight", ours.pooler.weight),
        "pooler.bias": hf_state.get("pooler.dense.bias", ours.pooler.bias),
    }
    renames = {
        "attention.self.query": "attention.query", "attention.self.key": "attention.key",
        "attention.self.value": "attention.value", "attention.output.dense": "attention.out",
        "attention.output.LayerNorm": "norm1", "intermediate.dense": "ffn.0",
        "output.dense": "ffn.2", "output.LayerNorm": "norm2",
    }
    for i in range(ours.config.num_layers):
        for theirs, mine in renames.items():
            for kind in ("weight", "bias"):
                state[f"blocks.{i}.{mine}.{kind}"] = hf_state[f"encoder.layer.{i}.{theirs}.{kind}"]
    return state


def marian_state(model: nn.Module, ours: EncoderDecoder) -> dict[str, Tensor]:
    """Rename MarianMTModel weights after checking tied embeddings and the [sin | cos] position table."""
    inner = model.model
    check_tied(model.lm_head.weight, inner.shared.weight, type(model).__name__)
    table = inner.encoder.embed_positions.weight
    if not torch.allclose(table, sinusoidal_positions(*table.shape), atol=1e-6):
        raise ValueError("the Marian position table is not the [sin | cos] sinusoid mlqa computes")
    attention = {"q_proj": "query", "k_proj": "key", "v_proj": "value", "out_proj": "out"}
    encoder_renames = {f"self_attn.{k}": f"attention.{v}" for k, v in attention.items()}
    encoder_renames |= {"self_attn_layer_norm": "norm1", "fc1": "ffn.0", "fc2": "ffn.2", "final_layer_norm": "norm2"}
    decoder_renames = {f"self_attn.{k}": f"self_attention.{v}" for k, v in attention.items()}
    decoder_renames |= {f"encoder_attn.{k}": f"cross_attention.{v}" for k, v in attention.items()}
    decoder_renames |= {
        "self_attn_layer_norm": "norm1", "encoder_attn_layer_norm": "norm2", "fc1": "ffn.0", "fc2": "ffn.2",
        "final_layer_norm": "norm3",
    }
    hf_state = inner.state_dict()
    state = {"token_embedding.weight": inner.shared.weight, "logits_bias": model.final_logits_bias[0]}
    for side, renames, count in (
        ("encoder", encoder_renames, ours.config.num_encoder_layers),
        ("decoder", decoder_renames, ours.config.num_decoder_layers),
    ):
        for i in range(count):
            for theirs, mine in renames.items():
                for kind in ("weight", "bias"):
                    state[f"{side}_blocks.{i}.{mine}.{kind}"] = hf_state[f"{side}.layers.{i}.{theirs}.{kind}"]
    return state
