"""Which paradigm when: one table of measured numbers over every registered strategy (Q7).

Each strategy trains its reference model (the MLP or the transformer block) on the same number of ranks. Per
strategy the table shows the largest per-rank memory for parameters, gradients and optimizer state (and its
ratio to one device training the same model), the bytes a rank sends per step (counted by
`mlqa.parallel.comm`; "n/c" where PyTorch's own API communicates without it), the share of the step a rank
waited for others (where measured), the step time and the largest parameter difference from one device.
"""

from __future__ import annotations

import copy

import torch.nn.functional as F
from tqdm.auto import tqdm

from mlqa.parallel.reference import make_optimizer
from mlqa.parallel.strategies import (
    STRATEGIES,
    StrategyResult,
    check_against_single_device,
    optimizer_state_bytes,
    run_strategy,
    tensor_bytes,
)

PARADIGM = {  # strategy name prefix -> paradigm of the book's figures 7.1-7.4 and beyond
    "dp": "data", "ddp": "data", "zero": "ZeRO / sharded data", "fsdp2": "ZeRO / sharded data",
    "model": "model", "tensor": "tensor", "dtensor": "tensor", "gpipe": "pipeline", "1f1b": "pipeline",
    "pipelining": "pipeline", "sequence": "sequence", "mesh": "2-D: data x tensor",
}

USE_WHEN = {
    "data": "the model fits on one device: more devices, bigger global batch",
    "ZeRO / sharded data": "training state (Adam: 4x the weights) does not fit, one layer does",
    "model": "a baseline: the model is split, but one device works at a time",
    "tensor": "single layers too big or slow; needs fast links (inside a node)",
    "pipeline": "deep models across slower links; needs many microbatches",
    "sequence": "sequences so long that L x L attention scores do not fit",
    "2-D: data x tensor": "large models: tensor inside a node, data across nodes",
}


def paradigm_of(name: str) -> str:
    """The paradigm a strategy belongs to, e.g. "zero3" -> "ZeRO / sharded data" (Q7)."""
    for prefix, paradigm in sorted(PARADIGM.items(), key=lambda kv: -len(kv[0])):
        if name.startswith(prefix):
            return paradigm
    raise ValueError(f"strategy {name!r} has no paradigm; known prefixes: {sorted(PARADIGM)}")


def single_device_memory(result: StrategyResult) -> int:
    """Bytes of parameters, gradients and optimizer state after one step of the reference on one device (Q7)."""
    model = copy.deepcopy(result.reference)
    opt = make_optimizer(model.parameters(), result.optimizer)
    F.mse_loss(model(result.inputs), result.targets).backward()
    opt.step()
    return (tensor_bytes(model.parameters()) + tensor_bytes(p.grad for p in model.parameters())
            + optimizer_state_bytes(opt))


def summarize(result: StrategyResult) -> dict:
    """One row of the table from a strategy's result (Q7)."""
    ranks = result.per_rank
    memory = max((m.param_bytes or 0) + (m.grad_bytes or 0) + (m.optimizer_state_bytes or 0) for m in ranks)
    sent = [sum(m.bytes_sent_per_step.values()) for m in ranks if m.bytes_sent_per_step]
    idle = [m.idle_fraction for m in ranks if m.idle_fraction is not None]
    times = [m.step_time_s for m in ranks if m.step_time_s is not None]
    return dict(strategy=result.name, paradigm=paradigm_of(result.name), world_size=result.world_size,
                memory_per_rank=memory, memory_vs_one_device=memory / single_device_memory(result),
                sent_per_step=max(sent) if sent else None, idle_fraction=max(idle) if idle else None,
                step_ms=1e3 * sum(times) / len(times) if times else None,
                diff_vs_one_device=check_against_single_device(result))


def compare_strategies(names: list[str] | None = None, world_size: int = 4, steps: int = 3,
                       optimizer: str = "adam", done: dict[str, StrategyResult] | None = None,
                       progress: bool = True) -> list[dict]:
    """Summarize every named (default: every registered) strategy on `world_size` ranks (Q7).

    Results in `done` (name -> StrategyResult, e.g. from earlier notebook cells) are used instead of running
    that strategy again; they must have the same world size, steps and optimizer.
    """
    names = list(STRATEGIES) if names is None else names
    done = done or {}
    for name, result in done.items():
        if (result.world_size, result.steps, result.optimizer) != (world_size, steps, optimizer):
            raise ValueError(f"result for {name!r} ran {result.world_size} ranks, {result.steps} steps, "
                             f"{result.optimizer}; the table needs {world_size} ranks, {steps} steps, {optimizer}")
    return [summarize(done[name] if name in done else run_strategy(name, world_size, steps, optimizer))
            for name in tqdm(names, desc="strategies", disable=not progress)]


def format_table(rows: list[dict]) -> str:
    """The rows as an aligned text table, with when to use each paradigm at the end of its rows (Q7)."""

    def show(value, fmt: str) -> str:
        return "n/c" if value is None else format(value, fmt)

    header = (f"{'strategy':<17}{'paradigm':<21}{'mem/rank B':>11}{'vs 1 dev':>9}{'sent B/step':>12}"
              f"{'wait':>6}{'step ms':>9}{'diff':>9}")
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(f"{row['strategy']:<17}{row['paradigm']:<21}{row['memory_per_rank']:>11}"
                     f"{row['memory_vs_one_device']:>9.2f}{show(row['sent_per_step'], '.0f'):>12}"
                     f"{show(row['idle_fraction'], '.2f'):>6}{show(row['step_ms'], '.1f'):>9}"
                     f"{row['diff_vs_one_device']:>9.1e}")
    lines += ["", "when to use each paradigm:"]
    lines += [f"  {p:<21}{USE_WHEN[p]}" for p in dict.fromkeys(r["paradigm"] for r in rows)]
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_table(compare_strategies()))
