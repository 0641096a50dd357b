"""Run an experiment file: plan every run, execute what is not done, record as runs finish.

The parent validates everything (file, model, metrics, every design point's scenario) before
the experiment folder appears, so bad input leaves nothing half-written. Restarting the same
command resumes: finished runs are skipped, the rest run.
"""

from __future__ import annotations

import hashlib
import json
import queue
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mutualdep.errors import InputError
from mutualdep.experiments import design
from mutualdep.experiments.catalog import RESERVED, Catalog, PlannedRun
from mutualdep.experiments.executors import Executor, make_executor
from mutualdep.experiments.metrics import check_arguments as check_metric
from mutualdep.experiments.metrics import parse
from mutualdep.experiments.models import Model, MutualdepModel, load_model
from mutualdep.experiments.progress import RunProgress
from mutualdep.experiments.runs import RunOutcome, RunTask
from mutualdep.experiments.spec import Experiment, load

FLUSH_SECONDS = 1.0  # finished runs wait at most this long to be recorded


class ExperimentError(Exception):
    """The runs are recorded but the analysis asked for cannot be done (e.g. runs failed)."""


class ExperimentWarning(UserWarning):
    """A result that stands but should not be trusted as it is (too few samples, target missed)."""


def check_outputs(
    model: Model, metrics: list[str], tables: list[str], metrics_at: str, tables_at: str = ""
) -> None:
    """Metric and table names are checked before anything runs; *_at say where they came from."""
    for m in metrics:
        if m not in model.metrics:
            try:
                parse(m)
            except ValueError as exc:
                raise InputError(f"{metrics_at}: {exc}") from None
    for t in tables:
        if t in RESERVED:
            raise InputError(f"{tables_at}: {t!r} is reserved for the catalog ({sorted(RESERVED)})")
        if model.tables is not None and t not in model.tables:
            raise InputError(f"{tables_at}: expected one of {sorted(model.tables)}, got {t!r}")


def check_arguments(
    model: Model, metrics: list[str], scenarios: list[dict[str, Any]], metrics_at: str
) -> None:
    """The arguments of mutualdep's own metrics (industry, list ...) against the scenarios."""
    if not isinstance(model, MutualdepModel):
        return
    for m in metrics:
        for scenario in scenarios[:1] + scenarios[-1:]:
            try:
                check_metric(m, scenario)
            except ValueError as exc:
                raise InputError(f"{metrics_at}: {exc}") from None


def resolve_points(
    source: str,
    model: Model,
    scenario: str,
    fixed: dict[str, Any],
    points: list[dict[str, Any]],
    base_dir: Path,
) -> list[dict[str, Any]]:
    """Each point's scenario, validated in the parent so a bad value fails before any run."""
    out = []
    for i, values in enumerate(points):
        try:
            out.append(model.resolve(scenario, {**fixed, **values}, base_dir))
        except InputError as exc:
            where = f" (design point {i}: {values})" if values else ""
            raise InputError(f"{source}{where}: {exc}") from None
    return out


def fingerprint(spec: dict[str, Any], scenarios: list[dict[str, Any]]) -> str:
    """Identifies what an experiment folder was made from, so a resume cannot mix two."""
    text = json.dumps({"spec": spec, "scenarios": scenarios}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def plan(n_points: int, seeds: list[int]) -> list[PlannedRun]:
    """Every point with every seed: the same seeds at every point (common random numbers)."""
    return [
        PlannedRun(p * len(seeds) + r, p, r, seed)
        for p in range(n_points)
        for r, seed in enumerate(seeds)
    ]


def execute_runs(
    catalog: Catalog,
    executor: Executor,
    tasks: list[RunTask],
    on_outcome: Callable[[RunOutcome], None],
) -> None:
    """Submit tasks and record outcomes in batches at most FLUSH_SECONDS old."""
    for task in tasks:
        executor.submit(task)
    buffer: list[RunOutcome] = []
    last_flush = time.monotonic()
    left = len(tasks)
    try:
        while left:
            timeout = max(0.0, last_flush + FLUSH_SECONDS - time.monotonic()) if buffer else None
            try:
                outcome = executor.outcomes.get(timeout=timeout)
            except queue.Empty:
                outcome = None
            else:
                buffer.append(outcome)
                left -= 1
                on_outcome(outcome)
            if buffer and (outcome is None or time.monotonic() - last_flush >= FLUSH_SECONDS):
                catalog.record(buffer)
                buffer, last_flush = [], time.monotonic()
    finally:
        if buffer:
            catalog.record(buffer)


def run_catalog(
    catalog: Catalog,
    tasks: dict[int, RunTask],
    workers: int | None,
    scheduler: str | None,
    progress: bool,
    label: str,
) -> None:
    """Execute every planned run of `catalog` that is not done."""
    pending = [tasks[i] for i in catalog.pending()]
    if not pending:
        return
    total = sum(catalog.counts().values())
    with (
        make_executor(workers, scheduler) as executor,
        RunProgress(progress, label, total, total - len(pending)) as bar,
    ):
        execute_runs(catalog, executor, pending, lambda _: bar.advance())


def run_sweep(
    path: str | Path,
    out: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = False,
) -> Catalog:
    """Run (or resume) the experiment in file `path`;
    the catalog lands in `out` (default runs/NAME)."""
    path = Path(path)
    exp = load(path, Experiment)
    model = load_model(exp.model)
    check_outputs(
        model,
        exp.outputs.metrics,
        exp.outputs.tables,
        f"{path}: key 'outputs.metrics'",
        f"{path}: key 'outputs.tables'",
    )
    points = design.points(exp)
    scenarios = resolve_points(str(path), model, exp.scenario, exp.fixed, points, path.parent)
    check_arguments(model, exp.outputs.metrics, scenarios, f"{path}: key 'outputs.metrics'")
    runs = plan(len(points), exp.replications.seed_list())
    spec = exp.model_dump(mode="json", by_alias=True)
    catalog = Catalog.open_or_create(
        Path(out) if out is not None else Path("runs") / exp.name,
        name=exp.name,
        kind="sweep",
        spec=spec,
        fingerprint=fingerprint(spec, scenarios),
        columns={f.key: f.sql_type() for f in exp.factors},
        metrics=exp.outputs.metrics,
        tables=exp.outputs.tables,
        points=points,
        runs=runs,
    )
    tasks = {
        r.run_id: RunTask(
            r.run_id,
            exp.model,
            scenarios[r.point],
            r.seed,
            exp.until,
            tuple(exp.outputs.metrics),
            tuple(exp.outputs.tables),
        )
        for r in runs
    }
    run_catalog(catalog, tasks, workers, scheduler, progress, exp.name)
    return catalog
