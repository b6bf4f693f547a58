"""Q18: using and fine-tuning pretrained transformers: every way of adapting MiniLM, LoRA and soft prompts
written out and checked against peft, retrieval and in-context learning, and a toy reward model."""

from mlqa.finetuning.adaptation import ARMS, LEARNING_RATES, AdaptedClassifier, TopBlocksClassifier, run_arms
from mlqa.finetuning.adapters import Adapter, add_adapters
from mlqa.finetuning.lora import LoRALinear, add_lora, lora_parameter_count, merge_lora
from mlqa.finetuning.peft_parity import (
    copy_lora_from_peft,
    copy_prefixes_from_peft,
    copy_prompt_from_peft,
    max_difference,
    randomise_lora,
)
from mlqa.finetuning.prompts import PrefixedProjection, add_prefixes, add_soft_prompt, encode
from mlqa.finetuning.results import load_rows, summarise

__all__ = [
    "ARMS",
    "LEARNING_RATES",
    "AdaptedClassifier",
    "Adapter",
    "LoRALinear",
    "PrefixedProjection",
    "TopBlocksClassifier",
    "add_adapters",
    "add_lora",
    "add_prefixes",
    "add_soft_prompt",
    "copy_lora_from_peft",
    "copy_prefixes_from_peft",
    "copy_prompt_from_peft",
    "encode",
    "load_rows",
    "lora_parameter_count",
    "max_difference",
    "merge_lora",
    "randomise_lora",
    "run_arms",
    "summarise",
]

# Figures drawn by this package (python -m mlqa figures): name -> "module:function".
FIGURES: dict[str, str] = {
    "q18-adaptation": "mlqa.finetuning.plots:adaptation_figure",
    "q18-lora-rank": "mlqa.finetuning.plots:lora_rank_figure",
    "q18-in-context": "mlqa.finetuning.plots:icl_figure",
}
