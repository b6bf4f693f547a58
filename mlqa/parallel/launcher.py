"""Run one function on N processes with torch.distributed and collect every rank's result (Q7).

`launch(fn, world_size)` starts `world_size` worker processes, joins them into one process group (gloo on
CPU, NCCL when there is one GPU per rank), calls `fn(*args, **kwargs)` on each and returns the results as a
list indexed by rank. A failing worker's exception is re-raised in the caller within seconds with its rank and
traceback; every other worker is stopped; no process outlives the call, whatever happens.

A collective that never completes (ranks calling different collectives, or one rank never arriving) fails
after `timeout` seconds with a message saying so; `debug=True` turns on TORCH_DISTRIBUTED_DEBUG=DETAIL, which
names the mismatching collectives within a fraction of a second at the cost of an extra check per collective.

The same worker functions run under `torchrun`: call `init_from_env()` there instead of `launch`.
"""

from __future__ import annotations

import importlib
import multiprocessing as mp
import os
import pickle
import queue
import signal
import socket
import sys
import time
import traceback
from datetime import timedelta
from typing import Any, Callable

import torch
import torch.distributed as dist

DEFAULT_TIMEOUT = 60.0  # seconds a collective may wait before it fails


class WorkerError(RuntimeError):
    """A worker process failed; the message names its rank and carries its traceback (Q7)."""

    def __init__(self, rank: int, message: str):
        super().__init__(f"rank {rank} failed:\n{message}")
        self.rank = rank


def choose_backend(world_size: int, backend: str | None = None) -> str:
    """Pick NCCL when every rank can have its own GPU, else gloo; reject impossible requests (Q7)."""
    if world_size < 1:
        raise ValueError(f"world_size must be >= 1, got {world_size}")
    gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if backend is None:
        return "nccl" if gpus >= world_size and dist.is_nccl_available() else "gloo"
    if backend not in ("gloo", "nccl"):
        raise ValueError(f"unknown backend {backend!r}; use 'gloo' or 'nccl'")
    if backend == "nccl" and gpus < world_size:
        raise ValueError(f"NCCL needs one GPU per rank: world_size={world_size} but {gpus} CUDA GPU(s) found")
    return backend


def rank_device() -> torch.device:
    """The device this rank computes on: its own GPU under NCCL, else the CPU (Q7)."""
    if dist.is_initialized() and dist.get_backend() == "nccl":
        return torch.device("cuda", int(os.environ.get("LOCAL_RANK", dist.get_rank())))
    return torch.device("cpu")


def set_debug(enabled: bool) -> None:
    """Check before every collective that all ranks call the same one (TORCH_DISTRIBUTED_DEBUG=DETAIL) (Q7)."""
    if enabled:
        os.environ["TORCH_DISTRIBUTED_DEBUG"] = "DETAIL"
        dist.set_debug_level(dist.DebugLevel.DETAIL)  # the variable alone is read only when torch is imported


def init_from_env(backend: str | None = None, timeout: float = DEFAULT_TIMEOUT, debug: bool = False) -> None:
    """Join the process group described by torchrun's environment variables (env:// rendezvous) (Q7)."""
    missing = [v for v in ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT") if v not in os.environ]
    if missing:
        raise RuntimeError(f"init_from_env needs torchrun's environment variables; missing {missing}. "
                           "Start the script with `torchrun --nproc-per-node N ...`, or call launch() instead")
    world_size = int(os.environ["WORLD_SIZE"])
    local_world = int(os.environ.get("LOCAL_WORLD_SIZE", world_size))
    backend = choose_backend(local_world, backend)
    if backend == "nccl":
        torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    set_debug(debug)
    dist.init_process_group(backend, init_method="env://", timeout=timedelta(seconds=timeout))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent(parent_pid: int) -> None:
    """Linux: have the kernel kill this worker if the launching process dies, even by SIGKILL."""
    if sys.platform == "linux":
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _worker(rank: int, world_size: int, backend: str, port: int, timeout: float, threads: int, debug: bool,
            parent_pid: int, fn: Callable, args: tuple, kwargs: dict, results: Any) -> None:
    """Body of one worker process: join the group, run `fn`, send back its result or its traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the launcher, which stops the workers
    _die_with_parent(parent_pid)
    set_debug(debug)
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank),
                      LOCAL_RANK=str(rank), WORLD_SIZE=str(world_size), LOCAL_WORLD_SIZE=str(world_size))
    if backend == "gloo":
        os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")
    torch.set_num_threads(threads)
    try:
        if backend == "nccl":
            torch.cuda.set_device(rank)
        dist.init_process_group(backend, init_method=f"tcp://127.0.0.1:{port}", rank=rank,
                                world_size=world_size, timeout=timedelta(seconds=timeout))
        out = fn(*args, **kwargs)
        results.put(("ok", rank, pickle.dumps(out)))
    except BaseException:  # noqa: BLE001 - every failure must reach the parent
        results.put(("error", rank, traceback.format_exc()))
    finally:
        if dist.is_initialized():
            try:
                dist.destroy_process_group()
            except Exception:  # noqa: BLE001 - the group may be broken after a failure
                pass


def _stop(procs: list) -> None:
    """Terminate, then kill, every worker still alive, and reap them all; a second Ctrl-C cannot stop this."""
    procs = [p for p in procs if p.pid is not None]  # a start that failed leaves nothing to stop
    while True:
        try:
            for p in procs:
                if p.is_alive():
                    p.terminate()
            deadline = time.monotonic() + 3.0
            for p in procs:
                p.join(max(0.0, deadline - time.monotonic()))
                if p.is_alive():
                    p.kill()
                    p.join()
            return
        except KeyboardInterrupt:
            continue


def _exit_reason(code: int) -> str:
    """Words for a worker's exit code; a native abort usually means mismatched collective sizes."""
    if code >= 0:
        return f"process exited with code {code} without a result"
    name = signal.Signals(-code).name if -code in signal.valid_signals() else f"signal {-code}"
    reason = f"process killed by {name} (exit code {code}) without a result"
    if -code == signal.SIGABRT:
        reason += ("; gloo aborts like this when ranks pass tensors of different sizes to one collective (its "
                   "message is on the worker's stderr); launch(..., debug=True) names the mismatch")
    return reason


def _explain_timeout(message: str, timeout: float) -> str:
    """Add what a collective timeout usually means and how to find the culprit."""
    if "timed out" not in message.lower() or "debug=true" in message.lower():
        return message
    return (f"{message}\nA collective waited longer than timeout={timeout:g} s: the ranks probably called "
            "different collectives (or with different sizes), or one rank never reached it. "
            "Rerun with launch(..., debug=True) (TORCH_DISTRIBUTED_DEBUG=DETAIL) to name the mismatch.")


_SECONDARY = ("connection closed by peer", "connection reset by peer", "timed out waiting")


def _root_cause(rank: int, message: str, procs: list, results: Any, outputs: dict, timeout: float) -> WorkerError:
    """One failure often makes the other ranks fail too: report the rank that failed first, not its victims."""
    errors = {rank: message}
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        try:
            status, r, payload = results.get(timeout=0.1)
        except queue.Empty:
            continue
        if status == "error":
            errors[r] = payload
    crashed = [r for r, p in enumerate(procs) if p.exitcode not in (None, 0) and r not in errors | outputs]
    if crashed:
        r = crashed[0]
        return WorkerError(r, f"{_exit_reason(procs[r].exitcode)}; rank(s) {sorted(errors)} then failed too")
    primary = [r for r, m in errors.items() if not any(k in m.lower() for k in _SECONDARY)]
    timed_out = [r for r, m in errors.items() if "timed out" in m.lower()]  # a hang is the cause, not a closed peer
    r = (primary or timed_out or [rank])[0]
    return WorkerError(r, _explain_timeout(errors[r], timeout))


def _run_once(fn: Callable, world_size: int, args: tuple, kwargs: dict, backend: str, timeout: float,
              start_method: str, threads: int, debug: bool) -> list:
    ctx = mp.get_context(start_method)
    results = ctx.Queue()
    port = _free_port()
    procs = [ctx.Process(target=_worker, daemon=True,
                         args=(r, world_size, backend, port, timeout, threads, debug, os.getpid(), fn, args, kwargs,
                               results))
             for r in range(world_size)]
    outputs: dict[int, Any] = {}
    try:
        for p in procs:
            p.start()
        while len(outputs) < world_size:
            try:
                status, rank, payload = results.get(timeout=0.2)
            except queue.Empty:
                dead = [(r, p.exitcode) for r, p in enumerate(procs)
                        if p.exitcode not in (None, 0) and r not in outputs]
                if dead:
                    # give a dying worker a moment to deliver its traceback before reporting the exit code
                    try:
                        status, rank, payload = results.get(timeout=1.0)
                    except queue.Empty:
                        r, code = dead[0]
                        raise WorkerError(r, _exit_reason(code)) from None
                else:
                    continue
            if status == "error":
                raise _root_cause(rank, payload, procs, results, outputs, timeout)
            outputs[rank] = pickle.loads(payload)
        for p in procs:
            p.join(timeout)
        return [outputs[r] for r in range(world_size)]
    finally:
        _stop(procs)
        results.close()
        results.join_thread()


def _choose_start_method(backend: str, threads_per_rank: int) -> str:
    """fork is fast, but unsafe once CUDA is initialised, and a forked child that runs OpenMP with several
    threads can deadlock if the parent already did (GNU libgomp is not fork-safe): spawn then."""
    cuda_involved = backend == "nccl" or torch.cuda.is_initialized()
    fork_safe = sys.platform == "linux" and not cuda_involved and threads_per_rank == 1
    return "fork" if fork_safe else "spawn"


def _check_importable(fn: Callable, args: tuple, kwargs: dict, start_method: str) -> None:
    """spawn re-imports `fn` in every worker: fail early, clearly, where that cannot work."""
    interactive = not hasattr(sys.modules["__main__"], "__file__")
    if interactive and getattr(fn, "__module__", None) == "__main__":
        raise ValueError(f"{fn.__qualname__!r} is defined in a notebook or console, which start method "
                         f"{start_method!r} cannot import in the workers; move it into a module")
    try:
        pickle.dumps((fn, args, kwargs))
    except Exception as err:  # noqa: BLE001 - any pickling failure means the same thing here
        raise ValueError(f"start method {start_method!r} pickles the function and its arguments, and "
                         f"{getattr(fn, '__qualname__', fn)!r} cannot be pickled ({err}); define it at the "
                         "top level of an importable module, or use a functools.partial of such a function") from err


def launch(fn: Callable, world_size: int, *args: Any, backend: str | None = None,
           timeout: float = DEFAULT_TIMEOUT, start_method: str | None = None, threads_per_rank: int = 1,
           retries: int = 3, debug: bool = False, **kwargs: Any) -> list:
    """Run `fn(*args, **kwargs)` on `world_size` ranks and return their results, indexed by rank (Q7).

    `fn` must be importable (defined in a module, or a functools.partial of such a function) because
    workers may be started with spawn. Inside `fn`, use `torch.distributed` as usual and
    `mlqa.parallel.rank_device()` for the device. `timeout` bounds every collective, in seconds;
    `debug=True` makes a rank that calls a different collective from the others fail at once, naming both.
    Workers start with fork on Linux CPUs (fast), with spawn where CUDA is involved or `threads_per_rank` > 1.
    """
    if timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout}")
    backend = choose_backend(world_size, backend)
    start_method = start_method or _choose_start_method(backend, threads_per_rank)
    if start_method != "fork":
        _check_importable(fn, args, kwargs, start_method)
    if start_method == "fork":
        importlib.import_module("torch._dynamo")  # optimizers import it lazily (seconds): once here, not per rank
    for attempt in range(retries):
        try:
            return _run_once(fn, world_size, args, kwargs, backend, timeout, start_method, threads_per_rank, debug)
        except WorkerError as err:
            port_taken = "address already in use" in str(err).lower() or "EADDRINUSE" in str(err)
            if not port_taken or attempt == retries - 1:
                raise
    raise AssertionError("unreachable")
