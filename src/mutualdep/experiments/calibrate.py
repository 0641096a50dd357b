"""Fit scenario parameters to targets with Optuna, each trial judged over replications.

Trials are asked from a study stored as an Optuna journal in the experiment folder; each trial
is one design point of the catalog (point = trial number) run with every seed, so an
interrupted calibration resumes: a trial left running is finished from the runs already
recorded, and the study goes on until it has `search.trials` finished trials. Every trial uses
the same seeds, so the comparison between trials is not blurred by different luck.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import optuna
import polars as pl
import tomli_w
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend
from optuna.trial import TrialState

from mutualdep.errors import InputError
from mutualdep.experiments.catalog import Catalog, PlannedRun
from mutualdep.experiments.executors import Executor, make_executor
from mutualdep.experiments.models import Model, load_model
from mutualdep.experiments.progress import RunProgress
from mutualdep.experiments.runs import RunTask
from mutualdep.experiments.spec import Calibration, load
from mutualdep.experiments.sweep import (
    ExperimentError,
    ExperimentWarning,
    check_arguments,
    check_outputs,
    execute_runs,
    fingerprint,
    resolve_points,
)

REACH = 0.1  # a target is reached when the gap is at most this share of its scale


@dataclass(frozen=True)
class Calibrated:
    params: dict[str, float]
    loss: float
    trial: int
    fit: pl.DataFrame
    scenario_path: Path
    catalog: Catalog


def run_calibration(
    path: str | Path,
    out: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = False,
) -> Calibrated:
    """Run (or resume) the calibration in file `path`; write DIR/fitted.toml extending the base."""
    path = Path(path)
    cal = load(path, Calibration)
    model = load_model(cal.model)
    check_outputs(model, cal.metrics, [], f"{path}: key 'targets'")
    check_target_kinds(cal, path)
    # The search box's two corners are resolved up front, so a bad key or value fails at once.
    corners = [
        {p.key: math.ceil(p.low) if p.integer else p.low for p in cal.parameters},
        {p.key: math.floor(p.high) if p.integer else p.high for p in cal.parameters},
    ]
    spec = cal.model_dump(mode="json", by_alias=True)
    box = resolve_points(str(path), model, cal.scenario, cal.fixed, corners, path.parent)
    check_arguments(model, cal.metrics, box, f"{path}: key 'targets'")
    catalog = Catalog.open_or_create(
        Path(out) if out is not None else Path("runs") / cal.name,
        name=cal.name,
        kind="calibrate",
        spec=spec,
        # Raising search.trials extends the same study, so it is not part of the identity.
        fingerprint=fingerprint({**spec, "search": {**spec["search"], "trials": None}}, box),
        columns={p.key: "BIGINT" if p.integer else "DOUBLE" for p in cal.parameters},
        metrics=cal.metrics,
        tables=[],
        points=[],
        runs=[],
    )
    study = optuna.create_study(
        study_name=cal.name,
        storage=JournalStorage(JournalFileBackend(str(catalog.folder / "optuna.journal"))),
        direction="minimize",
        load_if_exists=True,
    )
    # Reseeded by the number of trials so far: a resumed study does not replay its first draws.
    seed = cal.search.seed + len(study.trials)
    study.sampler = (
        optuna.samplers.TPESampler(seed=seed)
        if cal.search.sampler == "tpe"
        else optuna.samplers.RandomSampler(seed=seed)
    )
    reps = len(cal.replications.seed_list())
    with (
        make_executor(workers, scheduler) as executor,
        RunProgress(
            progress, cal.name, cal.search.trials * reps, catalog.counts().get("done", 0)
        ) as bar,
    ):
        trials = _Trials(cal, path, model, catalog, study, executor, bar)
        trials.evaluate(
            [(t.number, t.params) for t in study.trials if t.state == TrialState.RUNNING]
        )
        while (done := _finished(study)) < cal.search.trials:
            asked = [study.ask() for _ in range(min(cal.search.batch, cal.search.trials - done))]
            trials.evaluate([(t.number, _suggest(cal, t)) for t in asked])
    if not any(t.state == TrialState.COMPLETE for t in study.trials):
        raise ExperimentError(
            f"{cal.name}: no trial completed; see the runs' errors in {catalog.folder}"
        )
    best = study.best_trial
    fit = _fit(cal, catalog, best.number)
    catalog.write_table("fit", fit)
    for row in fit.filter(~pl.col("reached")).iter_rows(named=True):
        warnings.warn(
            f"{row['metric']}: the best trial's mean {row['mean']:.4g} does not reach the target "
            f"{row['target']} (within {REACH:.0%} of its scale); widen the search or the ranges "
            "before trusting the fitted scenario",
            ExperimentWarning,
            stacklevel=2,
        )
    scenario_path = write_fitted(cal, path, catalog.folder, best.params, best.number, best.value)
    return Calibrated(best.params, best.value, best.number, fit, scenario_path, catalog)


def check_target_kinds(cal: Calibration, path: Path) -> None:
    """A calibration may fit only calibration facts: validation facts stay out of sample."""
    from mutualdep.evidence.facts import FACTS

    kinds = {f"fact:{f.name}": f.kind for f in FACTS}
    for i, t in enumerate(cal.targets):
        kind = kinds.get(t.metric, "calibration")
        if kind != "calibration":
            raise InputError(
                f"{path}: key 'targets[{i}].metric': {t.metric!r} is a {kind} fact; a calibration "
                "may target only calibration facts (mutualdep evidence lists them)"
            )


def _suggest(cal: Calibration, trial: optuna.Trial) -> dict[str, float]:
    return {
        p.key: trial.suggest_int(p.key, math.ceil(p.low), math.floor(p.high), log=p.log)
        if p.integer
        else trial.suggest_float(p.key, p.low, p.high, log=p.log)
        for p in cal.parameters
    }


def _finished(study: optuna.Study) -> int:
    return sum(
        t.state in (TrialState.COMPLETE, TrialState.FAIL, TrialState.PRUNED) for t in study.trials
    )


@dataclass
class _Trials:
    """Evaluates batches of trials: plan their runs, run what is not done, tell the study."""

    cal: Calibration
    path: Path
    model: Model
    catalog: Catalog
    study: optuna.Study
    executor: Executor
    bar: RunProgress

    def evaluate(self, trials: list[tuple[int, dict[str, float]]]) -> None:
        if not trials:
            return
        seeds = self.cal.replications.seed_list()
        planned = {r[0] for r in self.catalog.query("SELECT point FROM points").rows()}
        tasks = []
        for number, params in trials:
            try:
                (scenario,) = resolve_points(
                    str(self.path),
                    self.model,
                    self.cal.scenario,
                    self.cal.fixed,
                    [params],
                    self.path.parent,
                )
            except InputError as exc:
                self.study.tell(number, state=TrialState.FAIL)
                raise InputError(
                    f"trial {number} {params}: {exc} (narrow the [[parameters]] ranges)"
                ) from None
            runs = [PlannedRun(number * len(seeds) + r, number, r, s) for r, s in enumerate(seeds)]
            if number not in planned:
                self.catalog.add([params], runs, start=number)
            tasks += [
                RunTask(
                    r.run_id,
                    self.cal.model,
                    scenario,
                    r.seed,
                    self.cal.until,
                    tuple(self.cal.metrics),
                    (),
                )
                for r in runs
            ]
        pending = set(self.catalog.pending())
        execute_runs(
            self.catalog,
            self.executor,
            [t for t in tasks if t.run_id in pending],
            lambda _: self.bar.advance(),
        )
        for number, _ in trials:
            self._tell(number)
        self.catalog.write_table("trials", _trials_table(self.study))

    def _tell(self, number: int) -> None:
        values = _values(self.catalog, number)
        if any(values.get(t.metric) is None for t in self.cal.targets):
            self.study.tell(number, state=TrialState.FAIL)
            return
        loss = sum(_target_loss(self.cal, t, values[t.metric]) for t in self.cal.targets)
        self.study.tell(number, loss)
        self.bar.describe(f"{self.cal.name} (best loss {self.study.best_value:.4g})")


def _values(catalog: Catalog, point: int) -> dict[str, list[float] | None]:
    """Each metric's values over the trial's replications; None if a run failed or gave NaN."""
    df = catalog.query(
        "SELECT m.metric, list(m.value ORDER BY r.replicate) AS values, count(m.value) AS n, "
        "(SELECT count(*) FROM runs WHERE point = ?) AS planned "
        "FROM runs r JOIN metrics m USING (run_id) WHERE "
        "r.point = ? AND r.status = 'done' GROUP BY m.metric",
        [point, point],
    )
    return {
        row["metric"]: row["values"] if row["n"] == row["planned"] else None
        for row in df.iter_rows(named=True)
    }


def _target_loss(cal: Calibration, target, values: list[float]) -> float:
    """A target's loss over the replications, as ``search.loss`` says."""
    if cal.search.loss == "mean":
        return target.loss(sum(values) / len(values))
    return sum(target.loss(v) for v in values) / len(values)


def _trials_table(study: optuna.Study) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"trial": t.number, "state": t.state.name, "loss": t.value, **t.params}
            for t in study.trials
        ],
        schema_overrides={"loss": pl.Float64},
    )


def _fit(cal: Calibration, catalog: Catalog, point: int) -> pl.DataFrame:
    """Per target: the best trial's mean and spread over replications, how many of its seeds fall
    inside the target, and its share of the loss."""
    values = _values(catalog, point)
    rows = []
    for t in cal.targets:
        v = values[t.metric]
        mean = sum(v) / len(v)
        sd = math.sqrt(sum((x - mean) ** 2 for x in v) / (len(v) - 1)) if len(v) > 1 else None
        lo, hi = t.interval if t.interval is not None else (None, None)
        inside = None if lo is None else lo <= mean <= hi
        rows.append(
            {
                "metric": t.metric,
                "target": t.describe(),
                "weight": t.weight,
                "mean": mean,
                "sd": sd,
                "within_interval": inside,
                "seeds_inside": None if lo is None else sum(lo <= x <= hi for x in v),
                "seeds": len(v),
                "reached": t.loss(mean) / t.weight <= REACH**2,
                "loss": _target_loss(cal, t, v),
            }
        )
    return pl.DataFrame(
        rows,
        schema_overrides={
            "within_interval": pl.Boolean,
            "sd": pl.Float64,
            "seeds_inside": pl.Int64,
        },
    )


# --------------------------------------------------------------------------- the fitted scenario


def write_fitted(
    cal: Calibration, path: Path, folder: Path, params: dict[str, Any], trial: int, loss: float
) -> Path:
    """A scenario file that `extends` the base with the fixed and fitted values."""
    base = path.parent / cal.scenario
    extends = (
        os.path.relpath(base.resolve(), folder.resolve())
        if base.suffix == ".toml" and base.exists()
        else cal.scenario
    )
    nested: dict[str, Any] = {}
    for key, value in {**cal.fixed, **params}.items():
        *parents, last = key.split(".")
        node = nested
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    header = (
        f"# Fitted by `mutualdep calibrate` from {path.name} (trial {trial}, loss {loss:.6g}), "
        f"{dt.date.today().isoformat()}.\n"
    )
    top = {"name": f"{cal.name}-fitted", "extends": extends}
    out = folder / "fitted.toml"
    out.write_text(header + tomli_w.dumps(top | nested))
    return out
