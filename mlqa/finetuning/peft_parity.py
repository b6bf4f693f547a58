"""Our LoRA and prompt tuning against Hugging Face peft: same weights in, same outputs out (Q18)."""

import re

import torch
from torch import Tensor, nn

from mlqa.finetuning.lora import LoRALinear
from mlqa.finetuning.prompts import PrefixedProjection
from mlqa.transformer import BertEncoder

HF_TO_OURS = {  # BertModel layer names -> BertEncoder layer names
    r"encoder\.layer\.(\d+)\.attention\.self\.(query|key|value)": r"blocks.\1.attention.\2",
    r"encoder\.layer\.(\d+)\.attention\.output\.dense": r"blocks.\1.attention.out",
    r"encoder\.layer\.(\d+)\.intermediate\.dense": r"blocks.\1.ffn.0",
    r"encoder\.layer\.(\d+)\.output\.dense": r"blocks.\1.ffn.2",
}


def our_layer_name(peft_name: str) -> str:
    """Name inside our BertEncoder of a layer peft wrapped in an HF BertModel or in our own encoder (Q18)."""
    name = peft_name.removeprefix("base_model.model.")
    for pattern, replacement in HF_TO_OURS.items():
        name = re.sub(f"^{pattern}$", replacement, name)
    return name


def copy_lora_from_peft(ours: nn.Module, peft_model: nn.Module, adapter: str = "default") -> int:
    """Copy every peft LoRA A and B (adapter `adapter`) into the matching LoRALinear of `ours` (Q18).

    Returns the number of layers copied; a layer missing on either side, or a different scaling, is an error.
    """
    from peft.tuners.lora import LoraLayer

    theirs = {our_layer_name(n): m for n, m in peft_model.named_modules() if isinstance(m, LoraLayer)}
    mine = {n: m for n, m in ours.named_modules() if isinstance(m, LoRALinear)}
    if set(theirs) != set(mine):
        raise ValueError(f"LoRA layers differ: only peft {sorted(set(theirs) - set(mine))}, "
                         f"only ours {sorted(set(mine) - set(theirs))}")
    with torch.no_grad():
        for name, layer in mine.items():
            if abs(theirs[name].scaling[adapter] - layer.scaling) > 1e-12:
                raise ValueError(f"{name}: peft scaling {theirs[name].scaling[adapter]}, ours {layer.scaling}")
            layer.lora_A.copy_(theirs[name].lora_A[adapter].weight)
            layer.lora_B.copy_(theirs[name].lora_B[adapter].weight)
    return len(mine)


def copy_prompt_from_peft(ours: BertEncoder, peft_model: nn.Module, adapter: str = "default") -> None:
    """Copy peft's prompt-tuning vectors into the soft prompt of our encoder (Q18)."""
    theirs = peft_model.prompt_encoder[adapter].embedding.weight
    if getattr(ours, "soft_prompt", None) is None or ours.soft_prompt.shape != theirs.shape:
        raise ValueError(f"our soft prompt must have peft's shape {tuple(theirs.shape)}")
    with torch.no_grad():
        ours.soft_prompt.copy_(theirs)


def copy_prefixes_from_peft(ours: BertEncoder, peft_model: nn.Module, adapter: str = "default") -> None:
    """Copy peft's prefix-tuning keys and values into our PrefixedProjection layers (Q18).

    peft stores, for each virtual token, layer 0's key, layer 0's value, layer 1's key, ... in one row.
    """
    theirs = peft_model.prompt_encoder[adapter].embedding.weight
    mine = [m for m in ours.modules() if isinstance(m, PrefixedProjection)]
    if not mine:
        raise ValueError("our encoder has no prefixes; call add_prefixes first")
    length, d_model = mine[0].prefix.shape
    if theirs.shape != (length, len(mine) * d_model):
        raise ValueError(f"peft prefix {tuple(theirs.shape)} does not fit {len(mine)} prefixes of {(length, d_model)}")
    with torch.no_grad():
        for i, layer in enumerate(mine):
            layer.prefix.copy_(theirs[:, i * d_model : (i + 1) * d_model])


def randomise_lora(model: nn.Module, std: float = 0.05, seed: int = 0) -> None:
    """Draw every peft lora_B (zero at the start) at random so that a parity test sees a non-zero update (Q18)."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if "lora_B" in name:
                parameter.copy_(torch.randn(parameter.shape, generator=generator) * std)


def max_difference(a: Tensor, b: Tensor) -> float:
    """Largest absolute difference between two tensors of the same shape (Q18)."""
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {tuple(a.shape)} vs {tuple(b.shape)}")
    return float((a - b).abs().max())


def parity_report(theirs: nn.Module, ours: BertEncoder, ids: Tensor, mask: Tensor, rank: int = 8,
                  alpha: float = 16, prompt_length: int = 10) -> dict[str, float]:
    """Largest output differences between our adaptations and peft's on one batch (Q18).

    LoRA (rank, alpha, query and value, B drawn at random) by peft on the Hugging Face `theirs` and on `ours`,
    ours merged and unmerged; prompt tuning and prefix tuning by peft on `theirs`; all with the same weights.
    `theirs` and `ours` must compute the same function (`ours = from_hf(theirs)`); both are left untouched.
    Outputs are compared at the real tokens: at padding positions, which no pooling reads, the two
    attention implementations round differently (up to about 1e-4 on MiniLM).
    """
    import copy
    import warnings

    from peft import LoraConfig, PrefixTuningConfig, PromptTuningConfig, get_peft_model

    from mlqa.finetuning.lora import add_lora, merge_lora
    from mlqa.finetuning.prompts import add_prefixes, add_soft_prompt, encode

    config = LoraConfig(r=rank, lora_alpha=alpha, target_modules=["query", "value"], lora_dropout=0.0)
    real = mask.bool()
    report = {}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # peft's notes on renamed paths and deprecated transformers calls
        for name, base in (("LoRA, peft on Hugging Face BertModel", theirs), ("LoRA, peft on our BertEncoder", ours)):
            wrapped = get_peft_model(copy.deepcopy(base), config).eval()
            randomise_lora(wrapped, std=0.05)
            mine = copy.deepcopy(ours)
            add_lora(mine, rank, alpha)
            copy_lora_from_peft(mine, wrapped)
            out = wrapped(input_ids=ids, attention_mask=mask)
            expected = out if isinstance(out, Tensor) else out.last_hidden_state
            unmerged = mine(ids, mask)
            report[name] = max_difference(unmerged[real], expected[real])
        merged = merge_lora(mine)(ids, mask)
        report["LoRA merged into the weights vs unmerged"] = max_difference(merged[real], unmerged[real])
        prompt_config = PromptTuningConfig(task_type="FEATURE_EXTRACTION", num_virtual_tokens=prompt_length)
        wrapped = get_peft_model(copy.deepcopy(theirs), prompt_config).eval()
        mine = copy.deepcopy(ours)
        add_soft_prompt(mine, prompt_length)
        copy_prompt_from_peft(mine, wrapped)
        expected = wrapped(input_ids=ids, attention_mask=mask).last_hidden_state[:, prompt_length:]
        report["prompt tuning, peft on Hugging Face BertModel"] = max_difference(
            encode(mine, ids, mask)[real], expected[real])
        prefix_config = PrefixTuningConfig(task_type="FEATURE_EXTRACTION", num_virtual_tokens=prompt_length)
        wrapped = get_peft_model(copy.deepcopy(theirs), prefix_config).eval()
        mine = copy.deepcopy(ours)
        add_prefixes(mine, prompt_length)
        copy_prefixes_from_peft(mine, wrapped)
        expected = wrapped(input_ids=ids, attention_mask=mask).last_hidden_state
        report["prefix tuning, positions moved up as peft's BERT does"] = max_difference(
            encode(mine, ids, mask, position_offset=prompt_length)[real], expected[real])
        report["prefix tuning, positions left in place"] = max_difference(encode(mine, ids, mask)[real], expected[real])
    return report
