"""Which factors matter: Sobol (first and total order) or Morris indices from SALib.

The experiment file's design must be `sobol` or `morris`; its sweep runs (or resumes) first,
then each metric is averaged over replications per design point and analysed. Indices go to
the catalog table `sensitivity` and to one PNG per metric in the experiment folder.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import polars as pl
from SALib.analyze import morris, sobol

from mutualdep.errors import InputError
from mutualdep.experiments import design
from mutualdep.experiments.catalog import Catalog
from mutualdep.experiments.spec import Experiment, load
from mutualdep.experiments.sweep import ExperimentError, ExperimentWarning, run_sweep
from mutualdep.report import figures

SOBOL_MIN_SAMPLES = 64  # base N below which Saltelli's estimates are mostly noise


def run_sensitivity(
    path: str | Path,
    out: str | Path | None = None,
    metrics: list[str] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = False,
) -> pl.DataFrame:
    """Run the experiment, then compute and plot indices
    for `metrics` (default: all its metrics)."""
    path = Path(path)
    exp = load(path, Experiment)
    if exp.design.kind not in ("sobol", "morris"):
        raise InputError(
            f"{path}: key 'design.kind': sensitivity needs "
            f"'sobol' or 'morris', got {exp.design.kind!r}"
        )
    metrics = list(metrics or exp.outputs.metrics)
    if unknown := [m for m in metrics if m not in exp.outputs.metrics]:
        raise InputError(
            f"--metric {unknown[0]!r}: expected one of the "
            f"experiment's outputs.metrics {exp.outputs.metrics}"
        )
    if exp.design.kind == "sobol" and exp.design.samples < SOBOL_MIN_SAMPLES:
        warnings.warn(
            f"{path}: sobol samples = {exp.design.samples} is below {SOBOL_MIN_SAMPLES}: expect "
            "intervals wider than the indices and S1 above ST; use 64 or more",
            ExperimentWarning,
            stacklevel=2,
        )
    catalog = run_sweep(path, out, workers, scheduler, progress)
    x = design.sample(exp)
    table = pl.concat(
        [_indices(exp, x, metric, _point_means(catalog, metric, len(x))) for metric in metrics]
    )
    catalog.write_table("sensitivity", table)
    reps = len(exp.replications.seed_list())
    for metric in metrics:
        figures.save(
            figures.sensitivity_bars(
                table.filter(pl.col("metric") == metric), exp.design.kind, len(x), reps
            ),
            catalog.folder / f"sensitivity-{slug(metric)}.png",
        )
    return table


def slug(metric: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", metric)


def _point_means(catalog: Catalog, metric: str, n_points: int) -> np.ndarray:
    """The metric averaged over replications, one value per design point, in design order."""
    means = catalog.query(
        "SELECT r.point, avg(m.value) AS value, count(m.value) AS n, "
        "(SELECT count(*) FROM runs r2 WHERE r2.point = r.point) AS planned "
        "FROM runs r JOIN metrics m USING (run_id) WHERE m.metric = ? AND r.status = 'done' "
        "GROUP BY r.point ORDER BY r.point",
        [metric],
    )
    complete = means.filter(pl.col("n") == pl.col("planned"))
    if complete.height != n_points:
        raise ExperimentError(
            f"{metric}: {n_points - complete.height} of "
            f"{n_points} design points lack a value in some "
            "replication (failed runs or NaN); indices need every point. See: mutualdep query "
            f"{catalog.folder} \"SELECT run_id, error FROM runs WHERE status = 'failed'\""
        )
    return complete["value"].to_numpy()


def _indices(exp: Experiment, x: np.ndarray, metric: str, y: np.ndarray) -> pl.DataFrame:
    problem = design.problem(exp)
    d = exp.design
    if d.kind == "sobol":
        # SALib draws the bootstrap unseeded when seed is 0 (falsy), so shift it by one.
        s = sobol.analyze(problem, y, calc_second_order=d.second_order, seed=d.seed + 1)
        columns = {k: s[k] for k in ("S1", "S1_conf", "ST", "ST_conf")}
    else:
        s = morris.analyze(problem, x, y, num_levels=d.levels, seed=d.seed)
        columns = {k: np.asarray(s[k], float) for k in ("mu", "mu_star", "mu_star_conf", "sigma")}
    return pl.DataFrame(
        {"metric": [metric] * len(problem["names"]), "factor": problem["names"], **columns}
    )
