"""One run, as shipped to a worker and as reported back.

`execute` is the only function workers call. It never raises for a failing model: the error
travels back as data so the sweep records it and goes on.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from mutualdep.experiments.metrics import compute
from mutualdep.experiments.models import load_model


@dataclass(frozen=True)
class RunTask:
    run_id: int
    model: str
    scenario: dict[str, Any]
    seed: int
    until: dt.date | None
    metrics: tuple[str, ...]
    tables: tuple[str, ...]


@dataclass
class RunOutcome:
    run_id: int
    status: str  # "done" or "failed"
    started: dt.datetime
    finished: dt.datetime
    worker: str
    seconds: float | None = (
        None  # the model's own run time, what sweep overhead is measured against
    )
    error: str | None = None
    traceback: str | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def execute(task: RunTask) -> RunOutcome:
    """Run the model, compute the named metrics, keep the chosen tables."""
    started = _now()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    try:
        model = load_model(task.model)
        t0 = time.perf_counter()
        out = model.run(task.scenario, task.seed, task.until)
        seconds = time.perf_counter() - t0
        metrics = {
            m: float(out.metrics[m]) if m in out.metrics else compute(m, out.tables)
            for m in task.metrics
        }
        missing = [t for t in task.tables if t not in out.tables]
        if missing:
            raise ValueError(
                f"the run produced no table(s) {missing} (it has {sorted(out.tables)})"
            )
        tables = {t: out.tables[t] for t in task.tables}
    except Exception as exc:
        return RunOutcome(
            task.run_id,
            "failed",
            started,
            _now(),
            worker,
            error=f"{type(exc).__name__}: {exc}",
            traceback=traceback.format_exc(),
        )
    return RunOutcome(
        task.run_id, "done", started, _now(), worker, seconds, metrics=metrics, tables=tables
    )


def lost(task: RunTask, exc: BaseException) -> RunOutcome:
    """The outcome of a run whose worker died or could not be reached."""
    now = _now()
    return RunOutcome(task.run_id, "failed", now, now, "", error=f"{type(exc).__name__}: {exc}")
