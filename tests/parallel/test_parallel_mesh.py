"""The 2-D mesh (data x tensor parallelism) trains exactly like one device (Q7)."""

import pytest

from mlqa.parallel import (
    STRATEGIES,
    check_against_single_device,
    compare_strategies,
    format_table,
    launch,
    merge_rank_results,
    mesh_coordinates,
    mesh_shape,
)
from mlqa.parallel.compare import paradigm_of
from mlqa.parallel.mesh import mesh_2d_worker, mesh_fsdp_tp_worker


def test_mesh_layout():
    assert mesh_shape(4) == (2, 2)
    assert mesh_shape(8) == (4, 2)
    assert [mesh_coordinates(r) for r in range(4)] == [(0, 0), (0, 1), (1, 0), (1, 1)]


@pytest.mark.parametrize("world_size", [2, 3])
def test_mesh_needs_two_replicas_of_two_shards(world_size):
    with pytest.raises(ValueError, match=f"got {world_size} ranks"):
        mesh_shape(world_size)


@pytest.mark.parametrize("world_size, optimizer", [(4, "sgd"), (4, "adam"), (8, "sgd")])
def test_mlqa_data_by_tensor_mesh_equals_single_device(world_size, optimizer):
    result = merge_rank_results(launch(mesh_2d_worker, world_size, 3, optimizer))
    assert check_against_single_device(result) < 1e-5
    full = sum(t.numel() * 4 for t in result.reference.parameters())
    assert all(full / 2 <= m.param_bytes < full for m in result.per_rank)  # half of each split matrix
    assert set(result.per_rank[0].bytes_sent_per_step) == {"all_reduce"}


def test_fsdp2_with_tensor_parallelism_equals_single_device():
    result = merge_rank_results(launch(mesh_fsdp_tp_worker, 4, 3, "adam"))
    assert check_against_single_device(result) < 1e-5
    # each rank holds a quarter of every sharded matrix: half by tensor parallelism, half again by FSDP
    assert all(m.param_bytes < sum(t.numel() * 4 for t in result.reference.parameters()) / 2
               for m in result.per_rank)


def test_every_strategy_has_a_paradigm():
    for name in STRATEGIES:
        assert paradigm_of(name)
    with pytest.raises(ValueError, match="strategy 'ring-allreduce' has no paradigm"):
        paradigm_of("ring-allreduce")


def test_comparison_table_reuses_results_and_rejects_mismatches():
    mesh = merge_rank_results(launch(mesh_2d_worker, 4, 2, "adam"))
    rows = compare_strategies(["mesh-2d"], world_size=4, steps=2, optimizer="adam", done={"mesh-2d": mesh},
                              progress=False)
    assert rows[0]["paradigm"] == "2-D: data x tensor" and rows[0]["diff_vs_one_device"] < 1e-5
    assert 0.25 < rows[0]["memory_vs_one_device"] < 1.0
    assert "mesh-2d" in format_table(rows)
    with pytest.raises(ValueError, match="ran 4 ranks, 2 steps, adam; the table needs 4 ranks, 3 steps"):
        compare_strategies(["mesh-2d"], world_size=4, steps=3, optimizer="adam", done={"mesh-2d": mesh})
