"""The smallest multi-process program: every rank adds its number into one sum (start-here notebook)."""

from __future__ import annotations

import torch
import torch.distributed as dist

from mlqa.parallel.launcher import rank_device


def sum_of_ranks() -> tuple[int, int, float]:
    """All-reduce each rank's number; return (rank, world size, the sum every rank received)."""
    value = torch.tensor([float(dist.get_rank())], device=rank_device())
    dist.all_reduce(value, op=dist.ReduceOp.SUM)
    return dist.get_rank(), dist.get_world_size(), value.item()
