"""The 2-D mesh (data x tensor parallelism) trains exactly like one device (Q7)."""

import pytest

from mlqa.parallel.launch import launch
from mlqa.parallel.mesh import mesh_coordinates, mesh_fsdp_tp_worker, mesh_shape
from mlqa.parallel.strategies import check_against_single_device, merge_rank_results


def test_mesh_layout():
    assert mesh_shape(4) == (2, 2)
    assert mesh_shape(8) == (4, 2)
    assert [mesh_coordinates(r) for r in range(4)] == [(0, 0), (0, 1), (1, 0), (1, 1)]


@pytest.mark.parametrize("world_size", [2, 3])
def test_mesh_needs_two_replicas_of_two_shards(world_size):
    with pytest.raises(ValueError, match=f"got {world_size} ranks"):
        mesh_shape(world_size)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_fsdp2_with_tensor_parallelism_equals_single_device(optimizer):
    result = merge_rank_results(launch(mesh_fsdp_tp_worker, 4, 3, optimizer))
    assert check_against_single_device(result) < 1e-5
    # each rank holds a quarter of every sharded matrix: half by tensor parallelism, half again by FSDP
    assert all(m.param_bytes < sum(t.numel() * 4 for t in result.reference.parameters()) / 2
               for m in result.per_rank)
