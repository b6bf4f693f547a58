"""Pipeline schedules: the simulator's bubble, microbatches in flight, and a sleep-emulated real run (Q7)."""

import pytest

from mlqa.parallel import bubble_fraction, idle_fraction, launch, peak_in_flight, simulate
from mlqa.parallel.pipeline import timeline_worker
from mlqa.parallel.schedule import ScheduleRecorder, SleepCompute, idle_spans, in_flight_per_rank, stage_order

# A real run on a shared 2-core CPU loses a few ms per send/recv hop to scheduling, which only ever adds idle
# time. FIELD-NOTES measured +0.007/+0.018/+0.026 over the formula on a quiet machine; with 20/40 ms compute
# spans under a load of 12 on 2 cores we saw up to +0.07. The check allows 0.10 above the formula and almost
# nothing below it.
IDLE_TOLERANCE_ABOVE = 0.10
IDLE_TOLERANCE_BELOW = 0.02


@pytest.mark.parametrize("schedule", ["gpipe", "1f1b"])
@pytest.mark.parametrize("stages, micro", [(2, 1), (2, 5), (4, 4), (4, 8), (4, 16), (8, 3), (8, 32)])
def test_simulated_idle_fraction_is_the_bubble_formula(schedule, stages, micro):
    spans = simulate(schedule, stages, micro, forward_time=1.0, backward_time=2.0)
    assert idle_fraction(spans) == pytest.approx(bubble_fraction(stages, micro), abs=1e-12)


def test_bubble_fraction_values():
    assert bubble_fraction(4, 4) == pytest.approx(3 / 7)
    assert bubble_fraction(4, 16) == pytest.approx(3 / 19)
    assert bubble_fraction(1, 10) == 0.0
    with pytest.raises(ValueError, match="got 0 and 4"):
        bubble_fraction(0, 4)


def test_naive_model_parallelism_idles_all_but_one_rank():
    assert idle_fraction(simulate("model", 4, 1)) == pytest.approx(3 / 4)


@pytest.mark.parametrize("stages, micro", [(4, 8), (4, 2), (6, 12)])
def test_microbatches_in_flight(stages, micro):
    assert peak_in_flight(simulate("gpipe", stages, micro)) == micro
    one_f_one_b = in_flight_per_rank(simulate("1f1b", stages, micro))
    assert max(one_f_one_b.values()) == min(stages, micro)
    assert one_f_one_b == {s: min(stages - s, micro) for s in range(stages)}


@pytest.mark.parametrize("schedule", ["gpipe", "1f1b"])
def test_every_stage_runs_each_microbatch_forward_then_backward_once(schedule):
    for stage in range(4):
        order = stage_order(schedule, stage, 4, 6)
        assert sorted(order) == sorted([("F", j) for j in range(6)] + [("B", j) for j in range(6)])
        assert all(order.index(("F", j)) < order.index(("B", j)) for j in range(6))


def test_idle_spans_fill_the_gaps():
    spans = simulate("1f1b", 3, 4)
    makespan = max(s.end for s in spans)
    for rank in range(3):
        covered = sum(s.duration for s in spans + idle_spans(spans) if s.rank == rank)
        assert covered == pytest.approx(makespan)


def test_bad_schedules_are_errors():
    with pytest.raises(ValueError, match="unknown schedule 'interleaved'"):
        stage_order("interleaved", 0, 4, 4)
    with pytest.raises(ValueError, match="at least 2 stages, got 1"):
        simulate("gpipe", 1, 4)
    with pytest.raises(ValueError, match="1 microbatch, got 4"):
        simulate("model", 4, 4)


def test_recorder_pads_spans_to_the_emulated_duration():
    recorder = ScheduleRecorder(rank=0)
    with recorder.span("forward", 0, min_duration=0.02):
        pass
    assert recorder.spans[0].duration >= 0.02
    assert SleepCompute(0.001, 0.002).duration("backward", 4) == pytest.approx(0.008)


def _real_idle(schedule: str, micro: int) -> tuple[float, int]:
    # 4 samples per microbatch: 20 ms forward and 40 ms backward per stage, emulated with sleeps
    spans, _ = launch(timeline_worker, 4, schedule, micro, 4 * micro, SleepCompute(0.005, 0.01))[0]
    return idle_fraction(spans), peak_in_flight(spans)


def test_measured_bubble_matches_formula_and_shrinks_with_microbatches():
    measured = {m: _real_idle("1f1b", m) for m in (4, 8, 16)}
    for m, (idle, in_flight) in measured.items():
        formula = bubble_fraction(4, m)
        assert formula - IDLE_TOLERANCE_BELOW <= idle <= formula + IDLE_TOLERANCE_ABOVE, (m, idle, formula)
        assert in_flight == 4  # 1F1B holds at most p microbatches
    assert measured[4][0] > measured[16][0] + 0.1


def test_measured_gpipe_holds_every_microbatch():
    idle, in_flight = _real_idle("gpipe", 8)
    assert in_flight == 8
    formula = bubble_fraction(4, 8)
    assert formula - IDLE_TOLERANCE_BELOW <= idle <= formula + IDLE_TOLERANCE_ABOVE, (idle, formula)
