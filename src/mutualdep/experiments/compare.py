"""Paired counterfactuals: a lever against a baseline on the same seeds.

Because the core draws its randomness from streams keyed by seed and decision, BASE and ALT run
with the same seed see the same luck everywhere the lever does not act, so the per-seed
difference has far less noise than two independent samples. To show how much that buys, ALT is
also run on fresh seeds (n..2n-1) and the unpaired (Welch) interval reported beside the paired one.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from scipy import stats

from mutualdep.errors import InputError
from mutualdep.experiments.catalog import Catalog, PlannedRun
from mutualdep.experiments.metrics import DEFAULT_METRICS
from mutualdep.experiments.models import load_model
from mutualdep.experiments.runs import RunTask
from mutualdep.experiments.sweep import (
    ExperimentError,
    check_arguments,
    check_outputs,
    fingerprint,
    run_catalog,
)

ARMS = ("base", "alt", "alt_unpaired")


def _slug(ref: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(ref).stem if ref.endswith(".toml") else ref)


def run_compare(
    base: str,
    alt: str,
    reps: int,
    metrics: list[str] | None = None,
    out: str | Path | None = None,
    until: dt.date | None = None,
    overrides: dict[str, Any] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    model: str = "mutualdep",
    progress: bool = False,
) -> pl.DataFrame:
    """Run BASE and ALT on seeds 0..reps-1 and ALT
    again on reps..2*reps-1; return the comparison."""
    if reps < 2:
        raise InputError(f"--reps: expected at least 2 (an interval needs two pairs), got {reps}")
    m = load_model(model)
    metrics = list(metrics or (DEFAULT_METRICS if model == "mutualdep" else []))
    if not metrics:
        raise InputError("--metric: expected at least one metric for a model other than mutualdep")
    check_outputs(m, metrics, [], "--metric")
    overrides = overrides or {}
    refs = {"base": base, "alt": alt, "alt_unpaired": alt}
    scenarios = [m.resolve(refs[arm], overrides, Path.cwd()) for arm in ARMS]
    check_arguments(m, metrics, scenarios, "--metric")
    seeds = {"base": range(reps), "alt": range(reps), "alt_unpaired": range(reps, 2 * reps)}
    runs = [
        PlannedRun(p * reps + r, p, r, seed)
        for p, arm in enumerate(ARMS)
        for r, seed in enumerate(seeds[arm])
    ]
    spec = {
        "base": base,
        "alt": alt,
        "reps": reps,
        "metrics": metrics,
        "until": until,
        "set": overrides,
        "model": model,
    }
    name = f"compare-{_slug(base)}-vs-{_slug(alt)}"
    catalog = Catalog.open_or_create(
        Path(out) if out is not None else Path("runs") / name,
        name=name,
        kind="compare",
        spec=spec,
        fingerprint=fingerprint(spec, scenarios),
        columns={"arm": "VARCHAR", "scenario": "VARCHAR"},
        metrics=metrics,
        tables=[],
        points=[{"arm": arm, "scenario": refs[arm]} for arm in ARMS],
        runs=runs,
    )
    tasks = {
        r.run_id: RunTask(r.run_id, model, scenarios[r.point], r.seed, until, tuple(metrics), ())
        for r in runs
    }
    run_catalog(catalog, tasks, workers, scheduler, progress, name)
    if not catalog.counts().get("done"):
        first = catalog.query("SELECT error FROM runs WHERE status = 'failed' LIMIT 1")
        raise ExperimentError(
            f"{name}: every run failed, nothing to compare; first error: {first['error'][0]}"
        )
    table = analyse(catalog, metrics)
    catalog.write_table("comparison", table)
    return table


def analyse(catalog: Catalog, metrics: list[str]) -> pl.DataFrame:
    """Per metric: ALT minus BASE with a paired t interval and an unpaired Welch interval (95%)."""
    values = catalog.query(
        "SELECT p.arm, r.replicate, m.metric, m.value FROM runs r JOIN points p USING (point) "
        "JOIN metrics m USING (run_id) WHERE r.status = 'done' AND m.value IS NOT NULL"
    )
    rows = []
    for metric in metrics:
        v = values.filter(pl.col("metric") == metric)
        arm = {a: v.filter(pl.col("arm") == a).select("replicate", "value") for a in ARMS}
        pairs = arm["base"].join(arm["alt"], on="replicate", suffix="_alt")
        d = (pairs["value_alt"] - pairs["value"]).to_numpy()
        paired = _t_interval(pairs["value_alt"].to_numpy(), pairs["value"].to_numpy())
        unpaired = _welch_interval(
            arm["base"]["value"].to_numpy(), arm["alt_unpaired"]["value"].to_numpy()
        )
        paired_width, unpaired_width = paired[2] - paired[1], unpaired[2] - unpaired[1]
        rows.append(
            {
                "metric": metric,
                "base_mean": _mean(arm["base"]["value"].to_numpy()),
                "alt_mean": _mean(arm["alt"]["value"].to_numpy()),
                "difference": paired[0],
                "paired_low": paired[1],
                "paired_high": paired[2],
                "unpaired_difference": unpaired[0],
                "unpaired_low": unpaired[1],
                "unpaired_high": unpaired[2],
                "width_ratio": paired_width / unpaired_width if unpaired_width > 0 else math.nan,
                "pairs": len(d),
            }
        )
    return pl.DataFrame(rows, schema_overrides={"pairs": pl.Int64})


def _mean(x: np.ndarray) -> float:
    return float(x.mean()) if len(x) else math.nan


def _t_interval(alt: np.ndarray, base: np.ndarray) -> tuple[float, float, float]:
    """Mean of the paired differences alt - base and its 95% t interval (scipy's ttest_rel)."""
    d = alt - base
    if len(d) < 2:
        return (_mean(d), math.nan, math.nan)
    with warnings.catch_warnings():  # equal differences: scipy warns, the interval is a point
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = stats.ttest_rel(alt, base).confidence_interval(0.95)
    return (float(d.mean()), *_or_point(ci, float(d.mean())))


def _welch_interval(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """Difference of means b - a of two independent samples and its 95% Welch interval."""
    diff = _mean(b) - _mean(a)
    if len(a) < 2 or len(b) < 2:
        return (diff, math.nan, math.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = stats.ttest_ind(b, a, equal_var=False).confidence_interval(0.95)
    return (diff, *_or_point(ci, diff))


def _or_point(ci, mid: float) -> tuple[float, float]:
    """scipy's interval, or the point itself when the samples have no spread (NaN bounds)."""
    low, high = float(ci.low), float(ci.high)
    return (mid, mid) if math.isnan(low) or math.isnan(high) else (low, high)
