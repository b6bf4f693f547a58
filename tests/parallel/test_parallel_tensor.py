"""Tensor parallelism (mlqa's and DTensor's) trains the reference block exactly like one device (Q7)."""

import pytest
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn

from mlqa.parallel import (
    WorkerError,
    check_against_single_device,
    comm,
    draw_matrix_split,
    launch,
    max_param_diff,
    merge_rank_results,
    run_strategy,
    synthetic_sequences,
)
from mlqa.parallel.dtensor_tp import dtensor_worker
from mlqa.parallel.reference import make_block_without_key_bias
from mlqa.parallel.tensor_parallel import (
    ColumnParallelLinear,
    RowParallelLinear,
    check_divisible,
    copy_to_tensor_parallel,
    reduce_from_tensor_parallel,
    tensor_parallel_worker,
)

ATOL = 1e-5


def _tensor_then_dtensor(steps: int, optimizer: str):
    """Both strategies, one after the other, on the same ranks (saves a launch)."""
    return tensor_parallel_worker(steps, optimizer), dtensor_worker(steps, optimizer)


@pytest.fixture(scope="module", params=[(2, "sgd"), (2, "adam"), (4, "sgd"), (4, "adam")],
                ids=lambda p: f"world{p[0]}-{p[1]}")
def trained(request):
    world, optimizer = request.param
    per_rank = launch(_tensor_then_dtensor, world, 4, optimizer)
    return (merge_rank_results([r[0] for r in per_rank]), merge_rank_results([r[1] for r in per_rank]))


def test_mlqa_tensor_parallel_equals_one_device(trained):
    ours, _ = trained
    assert check_against_single_device(ours) < ATOL


def test_dtensor_equals_one_device_and_mlqa(trained):
    ours, theirs = trained
    assert check_against_single_device(theirs) < ATOL
    assert max_param_diff(ours.state_dict, theirs.state_dict) < ATOL
    assert ours.losses == pytest.approx(theirs.losses, abs=ATOL)


def test_four_all_reduces_of_the_activations_per_step(trained):
    """g twice forward (attention, MLP), f twice backward: each all-reduces one (batch, seq, d_model) tensor."""
    ours, _ = trained
    n = ours.world_size
    activation_bytes = ours.inputs.numel() * ours.inputs.element_size()
    for m in ours.per_rank:
        assert m.calls_per_step == {"all_reduce": 4}
        assert m.bytes_sent_per_step["all_reduce"] == pytest.approx(4 * comm.ring_bytes("all_reduce",
                                                                                        activation_bytes, n))


def test_each_rank_holds_its_share_of_the_split_weights(trained):
    ours, theirs = trained
    n = ours.world_size
    replicated = {"ln1.weight", "ln1.bias", "ln2.weight", "ln2.bias", "attn.out.bias", "mlp.down.bias"}
    full = ours.reference.state_dict()
    whole = sum(v.numel() * 4 for k, v in full.items() if k in replicated)
    split = sum(v.numel() * 4 for k, v in full.items() if k not in replicated)
    for m in ours.per_rank + theirs.per_rank:
        assert m.param_bytes == whole + split // n
        assert m.grad_bytes == m.param_bytes


def _operators_worker():
    """Column- and row-parallel layers and f/g on 2 ranks, against the whole computation."""
    torch.manual_seed(0)
    full = nn.Linear(6, 4)
    x = torch.randn(3, 6)
    column = ColumnParallelLinear(full, gather_output=True)
    row = RowParallelLinear(full, input_is_parallel=False)
    out = {}
    for name, layer in (("column", column), ("row", row)):
        xi = x.clone().requires_grad_(True)
        y = layer(xi)
        (y * torch.arange(4.0)).sum().backward()
        out[name] = (y.detach(), xi.grad, layer.weight.grad, layer.bias.grad)
    xi = torch.full((2,), float(dist.get_rank() + 1), requires_grad=True)
    y = copy_to_tensor_parallel(xi)
    (y * (dist.get_rank() + 1)).sum().backward()
    out["f"] = (y.detach(), xi.grad)
    xi = torch.full((2,), float(dist.get_rank() + 1), requires_grad=True)
    y = reduce_from_tensor_parallel(xi)
    (y * (dist.get_rank() + 1)).sum().backward()
    out["g"] = (y.detach(), xi.grad)
    return out


def test_column_and_row_parallel_linear_and_f_g():
    torch.manual_seed(0)
    full = nn.Linear(6, 4)
    x = torch.randn(3, 6, requires_grad=True)
    (full(x) * torch.arange(4.0)).sum().backward()
    ranks = launch(_operators_worker, 2)
    for r, out in enumerate(ranks):
        for name, shard_dim in (("column", 0), ("row", 1)):
            y, x_grad, w_grad, b_grad = out[name]
            assert torch.allclose(y, full(x).detach(), atol=1e-6)
            assert torch.allclose(x_grad, x.grad, atol=1e-6)
            assert torch.allclose(w_grad, full.weight.grad.chunk(2, dim=shard_dim)[r], atol=1e-6)
        assert torch.allclose(out["column"][3], full.bias.grad.chunk(2)[r], atol=1e-6)
        assert torch.allclose(out["row"][3], full.bias.grad, atol=1e-6)
        # f: identity forward, gradient summed over ranks (1 + 2); g: sum forward (1 + 2), gradient untouched
        assert torch.equal(out["f"][0], torch.full((2,), r + 1.0))
        assert torch.equal(out["f"][1], torch.full((2,), 3.0))
        assert torch.equal(out["g"][0], torch.full((2,), 3.0))
        assert torch.equal(out["g"][1], torch.full((2,), r + 1.0))


def test_tensor_parallel_block_forward_equals_reference():
    block = make_block_without_key_bias()
    X, Y = synthetic_sequences()
    result = run_strategy("tensor", 2, steps=1)
    assert result.losses[0] == pytest.approx(F.mse_loss(block(X), Y).item(), abs=1e-6)


def test_world_size_not_dividing_heads_is_a_clear_error():
    with pytest.raises(WorkerError, match="n_heads=4 is not divisible by the world size 3"):
        run_strategy("tensor", 3, steps=1)
    with pytest.raises(ValueError, match="d_hidden=30 is not divisible by the world size 4"):
        check_divisible("d_hidden", 30, 4)


def test_matrix_split_picture_colours_one_strip_per_rank():
    import matplotlib

    matplotlib.use("Agg")
    fig = draw_matrix_split(4)
    column, row = fig.axes[:2]
    # column-parallel: A and Y cut into 4 strips, X whole; row-parallel: X and A cut into 4, Y whole
    assert len(column.patches) == 1 + 4 + 4 and len(row.patches) == 4 + 4 + 1
