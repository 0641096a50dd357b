"""Where runs execute: a local process pool (default) or an existing Dask cluster.

Both take tasks and put finished outcomes on one queue, in the order they finish, so the parent
(the only writer of the catalog) handles either the same way. Results do not depend on the
executor: a run's outcome is a function of its task alone.
"""

from __future__ import annotations

import concurrent.futures as cf
import ctypes
import multiprocessing
import os
import queue
import signal
from typing import Any

from mutualdep.errors import InputError
from mutualdep.experiments.runs import RunOutcome, RunTask, execute, lost


def _die_with_parent() -> None:
    """Linux: a pool worker is killed when the sweep process dies, even by kill -9."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Executor:
    """Submit tasks; collect outcomes from `outcomes` as they finish."""

    def __init__(self) -> None:
        self.outcomes: queue.Queue[RunOutcome] = queue.Queue()

    def _deliver(self, task: RunTask, future: Any) -> None:
        try:
            self.outcomes.put(future.result())
        except BaseException as exc:  # the worker died or the task was cancelled
            self.outcomes.put(lost(task, exc))

    def submit(self, task: RunTask) -> None:
        raise NotImplementedError

    def close(self, cancel: bool) -> None:
        raise NotImplementedError

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        self.close(cancel=exc_type is not None)


class LocalPool(Executor):
    """A pool of `workers` processes on this machine (spawned: safe with threads in the parent)."""

    def __init__(self, workers: int) -> None:
        super().__init__()
        self.workers = workers
        self.pool = cf.ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("spawn"), initializer=_die_with_parent
        )

    def submit(self, task: RunTask) -> None:
        future = self.pool.submit(execute, task)
        future.add_done_callback(lambda f: self._deliver(task, f))

    def close(self, cancel: bool) -> None:
        self.pool.shutdown(wait=not cancel, cancel_futures=True)


class DaskCluster(Executor):
    """An existing dask.distributed scheduler; its
    workers need mutualdep (and the model) installed."""

    def __init__(self, address: str) -> None:
        super().__init__()
        try:
            from distributed import Client
        except ImportError:
            raise InputError(
                f'--scheduler {address}: Dask is not installed; pip install "mutualdep[dask]"'
            ) from None

        self.client = Client(address, timeout="20s", set_as_default=False)
        self.futures: dict[int, Any] = {}  # unfinished only, so the cluster can free results

    def submit(self, task: RunTask) -> None:
        key = f"mutualdep-run-{task.run_id}-{os.urandom(4).hex()}"
        future = self.client.submit(execute, task, pure=False, key=key)
        self.futures[task.run_id] = future
        future.add_done_callback(lambda f: self._collect(task, f))

    def _collect(self, task: RunTask, future: Any) -> None:
        self._deliver(task, future)
        self.futures.pop(task.run_id, None)

    def close(self, cancel: bool) -> None:
        if cancel:
            self.client.cancel(list(self.futures.values()))
        self.client.close()


def make_executor(workers: int | None, scheduler: str | None) -> Executor:
    if scheduler:
        return DaskCluster(scheduler)
    return LocalPool(workers or os.cpu_count() or 1)
