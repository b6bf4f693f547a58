"""Sequence parallelism: ring attention equals full attention, trains like one device, and saves memory (Q7)."""

import pytest
import torch
import torch.nn.functional as F

from mlqa.parallel import (
    attention_check_worker,
    check_against_single_device,
    context_parallel_demo,
    launch,
    merge_rank_results,
)
from mlqa.parallel.sequence_parallel import (
    PeakMemory,
    attention_memory_worker,
    full_attention,
    sequence_worker,
    single_device_attention_bytes,
    split_sequence,
)

TOLERANCE = 1e-5  # fp32: the ring sums the same terms in another order, so errors stay near 1e-7


def test_full_attention_is_scaled_dot_product_attention():
    q, k, v = torch.randn(3, 2, 2, 10, 8).unbind(0)
    assert torch.allclose(full_attention(q, k, v), F.scaled_dot_product_attention(q, k, v), atol=1e-6)


@pytest.mark.parametrize("kind", ["ring", "online"])
@pytest.mark.parametrize("world_size", [2, 4])
def test_ring_attention_equals_full_attention_with_gradients(world_size, kind):
    errors = launch(attention_check_worker, world_size, kind)
    for rank_errors in errors:
        assert set(rank_errors) == {"output", "grad_q", "grad_k", "grad_v"}
        assert max(rank_errors.values()) < TOLERANCE, rank_errors


@pytest.mark.parametrize("world_size, kind, optimizer", [(2, "ring", "adam"), (4, "online", "sgd"),
                                                         (4, "ring", "sgd"), (2, "online", "adam")])
def test_sequence_parallel_training_equals_single_device(world_size, kind, optimizer):
    result = merge_rank_results(launch(sequence_worker, world_size, 3, optimizer, kind))
    assert check_against_single_device(result) < TOLERANCE


@pytest.mark.parametrize("world_size", [2, 4])
def test_ring_attention_memory_per_rank_shrinks_with_ranks(world_size):
    full = single_device_attention_bytes(512, 16)
    ring = launch(attention_memory_worker, world_size, "ring", 512, 16)
    # one device holds L x L scores; a ring rank holds L/N x L, plus O(L d) buffers
    assert max(ring) < full * (1 / world_size + 0.05), (ring, full)
    online = launch(attention_memory_worker, world_size, "online", 512, 16, False)
    assert max(online) < max(ring)


def test_peak_memory_tracker_counts_live_tensors():
    with PeakMemory() as tracker:
        a = torch.ones(1000)  # 4000 bytes
        b = torch.ones(500)  # 2000 bytes
        del a
        c = torch.ones(250)  # 1000 bytes
    assert tracker.peak == 6000
    assert tracker.live == 3000
    del b, c


def test_sequence_the_ranks_cannot_split_is_an_error():
    with pytest.raises(ValueError, match="length 10 cannot be split evenly over 4 ranks"):
        split_sequence(torch.zeros(2, 10, 8), 4, 0)


@pytest.mark.skipif(torch.cuda.is_available(), reason="on CUDA the demo runs instead of skipping")
def test_context_parallel_is_skipped_on_cpu_with_a_reason():
    assert "skipped" in context_parallel_demo() and "CUDA" in context_parallel_demo()
