"""Pipeline parallelism trains exactly like one device and like torch.distributed.pipelining (Q7)."""

import pytest
import torch

from mlqa.parallel import WorkerError, check_against_single_device, launch, make_mlp, max_param_diff, merge_rank_results
from mlqa.parallel.__main__ import main
from mlqa.parallel.pipeline import layer_groups, pipeline_worker, split_microbatches, stage_slices
from mlqa.parallel.pipelining_production import pipelining_worker


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("schedule", ["gpipe", "1f1b"])
@pytest.mark.parametrize("world_size", [2, 4])
def test_pipeline_equals_single_device(world_size, schedule, optimizer):
    result = merge_rank_results(launch(pipeline_worker, world_size, 3, optimizer, schedule=schedule))
    assert check_against_single_device(result) < 1e-5
    assert result.losses[2] < result.losses[0]
    assert all(m.bytes_sent_per_step["send"] > 0 for m in result.per_rank)


@pytest.mark.parametrize("world_size, schedule", [(2, "1f1b"), (4, "gpipe"), (4, "1f1b")])
def test_pipeline_equals_torch_pipelining(world_size, schedule):
    ours = merge_rank_results(launch(pipeline_worker, world_size, 3, "adam", schedule=schedule))
    theirs = merge_rank_results(launch(pipelining_worker, world_size, 3, "adam", schedule=schedule))
    assert max_param_diff(ours.state_dict, theirs.state_dict) < 1e-6
    assert theirs.losses == pytest.approx(ours.losses, abs=1e-6)


def test_stages_are_runs_of_whole_layers():
    model = make_mlp()  # Linear, ReLU, Linear, ReLU, Linear, ReLU, Linear
    assert layer_groups(model) == [[0, 1], [2, 3], [4, 5], [6]]
    assert stage_slices(model, 3) == [slice(0, 4), slice(4, 6), slice(6, 7)]
    assert list(model[stage_slices(model, 2)[1]].state_dict()) == ["4.weight", "4.bias", "6.weight", "6.bias"]


def test_more_stages_than_layers_is_an_error():
    with pytest.raises(ValueError, match="5 stages but the model has only 4 layers"):
        stage_slices(make_mlp(), 5)


def test_microbatches_that_do_not_divide_the_batch_are_an_error():
    with pytest.raises(ValueError, match="5 microbatches do not divide the batch of 32"):
        split_microbatches(torch.zeros(32, 3), 5)


def test_bad_microbatch_count_fails_fast_on_every_rank():
    with pytest.raises(WorkerError, match="3 microbatches do not divide the batch of 32"):
        launch(pipeline_worker, 2, 1, "sgd", schedule="1f1b", n_microbatches=3, timeout=20)


@pytest.mark.parametrize("argv", [["--strategy", "1f1b", "--world-size", "2", "--optimizer", "adam"],
                                  ["--strategy", "mesh-2d", "--world-size", "4"]])
def test_cli_check_for_issue_4_strategies(argv, capsys):
    assert main([*argv, "--steps", "2", "--check"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("max abs param diff vs single device: ")
    assert float(last.rsplit(" ", 1)[1]) < 1e-5
