"""The Q7 launcher: results by rank, failures reported fast with rank and traceback, no process left behind;
and the counted collectives of mlqa.parallel.comm."""

import multiprocessing as mp
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import torch
import torch.distributed as dist

from mlqa.parallel import WorkerError, choose_backend, comm, init_from_env, launch
from mlqa.parallel import launcher as launch_module


def _alive_children() -> list[int]:
    """Pids of this process's children that are not zombies, read from /proc; multiprocessing's own
    resource tracker (started once by spawn, lives as long as this process) is not a worker."""
    pids = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        pids += [int(p) for p in (task / "children").read_text().split()]
    return [p for p in pids if _is_running(p) and b"resource_tracker" not in _cmdline(p)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return b""


def _is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.fixture(autouse=True)
def no_process_left_behind():
    yield
    assert mp.active_children() == []
    assert _alive_children() == [], "a worker process outlived launch()"


def _describe(offset: int, scale: int = 1) -> tuple[int, int, int]:
    return dist.get_rank(), dist.get_world_size(), scale * (dist.get_rank() + offset)


def test_results_come_back_by_rank():
    assert launch(_describe, 3, 10, scale=2) == [(0, 3, 20), (1, 3, 22), (2, 3, 24)]


def _fail_on_rank_one() -> None:
    if dist.get_rank() == 1:
        raise ValueError("rank one fails on purpose")
    dist.barrier()  # the other ranks wait for rank 1 forever: they must be stopped, not awaited


def test_worker_exception_is_reraised_fast_with_rank_and_traceback():
    start = time.monotonic()
    with pytest.raises(WorkerError) as info:
        launch(_fail_on_rank_one, 3, timeout=60)
    assert time.monotonic() - start < 10, "the caller waited for the collective timeout"
    assert info.value.rank == 1
    message = str(info.value)
    assert message.startswith("rank 1 failed")
    assert "ValueError: rank one fails on purpose" in message
    assert "_fail_on_rank_one" in message and "Traceback" in message


def _crash_on_rank_one() -> None:
    if dist.get_rank() == 1:
        os._exit(3)
    dist.barrier()


def test_crashed_worker_is_reported():
    start = time.monotonic()
    with pytest.raises(WorkerError, match="exited with code 3") as info:
        launch(_crash_on_rank_one, 2, timeout=60)
    assert info.value.rank == 1
    assert time.monotonic() - start < 10


def _mismatched_collectives() -> None:
    t = torch.ones(4)
    if dist.get_rank() == 0:
        dist.all_reduce(t)
    else:
        dist.broadcast(t, src=0)


def test_mismatched_collectives_fail_within_the_timeout_with_a_message():
    start = time.monotonic()
    with pytest.raises(WorkerError, match="probably called different collectives"):
        launch(_mismatched_collectives, 2, timeout=3)
    assert time.monotonic() - start < 3 + 7


def test_debug_names_the_mismatched_collectives_at_once():
    start = time.monotonic()
    with pytest.raises(WorkerError, match="mismatch between collectives") as info:
        launch(_mismatched_collectives, 2, timeout=60, debug=True)
    assert "ALLREDUCE" in str(info.value) and "BROADCAST" in str(info.value)
    assert time.monotonic() - start < 10


def _mismatched_sizes() -> None:
    dist.all_reduce(torch.ones(4 + dist.get_rank()))


def test_mismatched_sizes_are_reported_not_hung():
    start = time.monotonic()
    with pytest.raises(WorkerError, match="different sizes"):
        launch(_mismatched_sizes, 2, timeout=3)
    assert time.monotonic() - start < 3 + 7


def test_spawn_start_method_works_with_an_importable_function():
    from mlqa.parallel import sum_of_ranks

    assert launch(sum_of_ranks, 2, start_method="spawn") == [(0, 2, 1.0), (1, 2, 1.0)]


def test_spawn_rejects_a_function_it_cannot_pickle():
    with pytest.raises(ValueError, match="cannot be pickled"):
        launch(lambda: 0, 2, start_method="spawn")


def _sleep_forever() -> None:
    time.sleep(600)


def test_keyboard_interrupt_in_the_caller_stops_every_worker():
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 1.5)
        start = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            launch(_sleep_forever, 3)
        assert time.monotonic() - start < 8
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    # the autouse fixture checks that no worker survived


def test_workers_die_when_the_launching_process_is_killed(tmp_path):
    script = tmp_path / "parent.py"
    script.write_text(textwrap.dedent(f"""
        import os, time
        from pathlib import Path
        from mlqa.parallel import launch

        def record_pid_and_sleep():
            Path({str(tmp_path)!r}, f"worker-{{os.getpid()}}").touch()
            time.sleep(600)

        if __name__ == "__main__":
            launch(record_pid_and_sleep, 2, start_method="fork")
    """))
    parent = subprocess.Popen([sys.executable, str(script)])
    try:
        deadline = time.monotonic() + 60
        while len(list(tmp_path.glob("worker-*"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = [int(p.name.split("-")[1]) for p in tmp_path.glob("worker-*")]
        assert len(workers) == 2, "workers did not start"
        parent.kill()  # SIGKILL: no finally block, no atexit handler runs in the parent
        parent.wait(10)
        deadline = time.monotonic() + 10
        while any(_is_running(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_is_running(p) for p in workers), "workers outlived their killed parent"
    finally:
        parent.kill()
        parent.wait(10)


def test_a_taken_port_is_retried(monkeypatch):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    ports = [taken.getsockname()[1]]
    real_free_port = launch_module._free_port
    calls = []

    def taken_first() -> int:
        calls.append(1)
        return ports.pop() if ports else real_free_port()

    monkeypatch.setattr(launch_module, "_free_port", taken_first)
    try:
        assert launch(_describe, 2, 0) == [(0, 2, 0), (1, 2, 1)]
    finally:
        taken.close()
    assert ports == [], "the taken port was never tried"
    assert len(calls) == 2, f"expected one retry after 'address already in use', got {len(calls)} attempts"


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="world_size must be >= 1, got 0"):
        launch(_describe, 0, 0)
    with pytest.raises(ValueError, match="timeout must be a positive"):
        launch(_describe, 2, 0, timeout=0)
    with pytest.raises(ValueError, match="unknown backend 'mpi'"):
        choose_backend(2, "mpi")
    if torch.cuda.device_count() < 64:
        with pytest.raises(ValueError, match="world_size=64"):
            choose_backend(64, "nccl")


def test_init_from_env_without_torchrun_says_what_is_missing(monkeypatch):
    for var in ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(RuntimeError, match="torchrun"):
        init_from_env()


def test_the_same_worker_runs_under_torchrun(tmp_path):
    script = tmp_path / "under_torchrun.py"
    script.write_text(textwrap.dedent("""
        import torch.distributed as dist
        from mlqa.parallel.data_parallel import dp_bucketed_worker
        from mlqa.parallel import check_against_single_device, init_from_env

        init_from_env(timeout=30)
        result = dp_bucketed_worker(2, "adam")
        if dist.get_rank() == 0:
            print(f"world size {dist.get_world_size()} max abs param diff {check_against_single_device(result)}")
        dist.destroy_process_group()
    """))
    env = {**os.environ, "OMP_NUM_THREADS": "1", "GLOO_SOCKET_IFNAME": "lo"}
    done = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2",
                           str(script)], capture_output=True, text=True, timeout=180, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("world size"))
    assert line.startswith("world size 2")
    assert float(line.split()[-1]) < 1e-5


def _count_collectives() -> dict:
    rank, n = dist.get_rank(), dist.get_world_size()
    with comm.CommCounter() as counter:
        x = torch.full((8,), float(rank))
        comm.all_reduce(x)
        mine = torch.empty(2)
        comm.reduce_scatter(mine, torch.arange(2.0 * n) + rank)
        gathered = comm.all_gather_list(torch.tensor([rank, 10 * rank]))
        comm.send(torch.ones(3), (rank + 1) % n) if rank == 0 else None
        comm.recv(torch.empty(3), 0) if rank == 1 else None
    return {"sum": x.tolist(), "mine": mine.tolist(), "gathered": [g.tolist() for g in gathered],
            "sent": dict(counter.sent), "calls": dict(counter.calls)}


@pytest.mark.parametrize("world_size", [2, 4])
def test_comm_counts_bytes_with_the_ring_formulas(world_size):
    n = world_size
    results = launch(_count_collectives, n)
    for rank, r in enumerate(results):
        assert r["sum"] == [float(sum(range(n)))] * 8
        assert r["mine"] == [float(n * (2 * rank + i) + sum(range(n))) for i in range(2)]
        assert r["gathered"] == [[k, 10 * k] for k in range(n)]
        assert r["sent"]["all_reduce"] == pytest.approx(2 * (n - 1) / n * 8 * 4)
        assert r["sent"]["reduce_scatter"] == pytest.approx((n - 1) / n * 2 * n * 4)
        assert r["sent"]["all_gather"] == pytest.approx((n - 1) / n * 2 * n * 8)  # int64
    assert results[0]["sent"]["send"] == 12 and results[1]["sent"]["recv"] == 0


def test_comm_rejects_bad_input():
    with pytest.raises(ValueError, match="no ring formula for 'scatter'"):
        comm.ring_bytes("scatter", 10, 2)
    assert comm.ring_bytes("all_reduce", 100, 4) == pytest.approx(150)


def test_the_package_front_door_exports_launch_and_its_public_names():
    import mlqa.parallel

    assert callable(mlqa.parallel.launch) and mlqa.parallel.launch is launch
    missing = [name for name in mlqa.parallel.__all__ if not hasattr(mlqa.parallel, name)]
    assert not missing, missing
    assert mlqa.parallel.launch(mlqa.parallel.sum_of_ranks, 2) == [(0, 2, 1.0), (1, 2, 1.0)]
    with pytest.raises(AttributeError, match="no_such_name"):
        mlqa.parallel.no_such_name  # noqa: B018 - the lookup itself is the test
