"""Which factors matter: Sobol (first and total order) or Morris indices from SALib.

The experiment file's design must be `sobol` or `morris`; its sweep runs (or resumes) first,
then each metric is averaged over replications per design point and analysed. Indices go to
the catalog table `sensitivity` and to one PNG per metric in the experiment folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import polars as pl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from SALib.analyze import morris, sobol

from mutualdep.errors import InputError
from mutualdep.experiments import design
from mutualdep.experiments.catalog import Catalog
from mutualdep.experiments.spec import Experiment, load
from mutualdep.experiments.sweep import ExperimentError, run_sweep


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
    catalog = run_sweep(path, out, workers, scheduler, progress)
    x = design.sample(exp)
    table = pl.concat(
        [_indices(exp, x, metric, _point_means(catalog, metric, len(x))) for metric in metrics]
    )
    catalog.write_table("sensitivity", table)
    for metric in metrics:
        plot(
            table.filter(pl.col("metric") == metric),
            exp.design.kind,
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
        s = sobol.analyze(problem, y, calc_second_order=d.second_order, seed=d.seed)
        columns = {k: s[k] for k in ("S1", "S1_conf", "ST", "ST_conf")}
    else:
        s = morris.analyze(problem, x, y, num_levels=d.levels, seed=d.seed)
        columns = {k: np.asarray(s[k], float) for k in ("mu", "mu_star", "mu_star_conf", "sigma")}
    return pl.DataFrame(
        {"metric": [metric] * len(problem["names"]), "factor": problem["names"], **columns}
    )


def plot(table: pl.DataFrame, kind: str, path: Path) -> None:
    """Horizontal bars per factor: S1 and ST (Sobol) or mu* and sigma (Morris), with intervals."""
    bars = (
        [("S1", "S1_conf"), ("ST", "ST_conf")]
        if kind == "sobol"
        else [("mu_star", "mu_star_conf"), ("sigma", None)]
    )
    fig = Figure(figsize=(7, 1.2 + 0.5 * table.height))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    y = np.arange(table.height)
    height = 0.38
    for i, (col, conf) in enumerate(bars):
        ax.barh(
            y + (i - 0.5) * height,
            table[col].to_numpy(),
            height,
            xerr=table[conf].to_numpy() if conf else None,
            label=col,
            capsize=3,
        )
    ax.set_yticks(y, table["factor"].to_list())
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_title(f"{'Sobol' if kind == 'sobol' else 'Morris'} indices: {table['metric'][0]}")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
