"""CLI commands for experiments: sweep, compare, query, sensitivity, calibrate.

`register(app)` adds them to the main `mutualdep` app. Bad input (InputError, bad SQL) prints
one line on stderr and exits 2; an experiment that ran but cannot be analysed exits 1.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import duckdb
import polars as pl
import typer
from rich.console import Console
from rich.table import Table

from mutualdep.errors import InputError
from mutualdep.experiments.metrics import describe
from mutualdep.experiments.sweep import ExperimentError, ExperimentWarning
from mutualdep.outputs import printable

err = Console(stderr=True)
# Piped or captured output gets room for whole tables instead of rich's default 80 columns.
out = Console() if Console().is_terminal else Console(width=200)

Workers = Annotated[
    int | None,
    typer.Option("--workers", "-w", help="Local worker processes (default: one per core)."),
]
Scheduler = Annotated[
    str | None,
    typer.Option("--scheduler", help="Run on an existing Dask cluster, e.g. tcp://10.0.0.5:8786."),
]
OutDir = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Experiment folder (default: runs/NAME); rerun to resume."),
]
Progress = Annotated[
    bool, typer.Option("--progress/--no-progress", help="Show a progress bar on stderr.")
]
Metrics = Annotated[
    list[str] | None, typer.Option("--metric", "-m", help="A named metric; repeat for more.")
]

METRIC_HELP = "Metrics: " + "; ".join(usage for usage, _ in describe()) + "."


def _say(text: str) -> None:
    """One plain line on stderr (no markup, no wrapping)."""
    err.print(printable(text), markup=False, highlight=False, soft_wrap=True)


def _handled(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Map user errors to one stderr line and exit codes, without a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always", ExperimentWarning)
                warnings.showwarning = _show_warning
                return fn(*args, **kwargs)
        except InputError as exc:
            _say(f"error: {exc}")
            raise typer.Exit(2) from None
        except ExperimentError as exc:
            _say(f"error: {exc}")
            raise typer.Exit(1) from None

    return wrapper


def _show_warning(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    """Our warnings as one plain line on stderr; other libraries' as Python prints them."""
    if issubclass(category, ExperimentWarning):
        _say(f"warning: {message}")
    else:
        sys.stderr.write(warnings.formatwarning(message, category, "", 0).replace(":0: ", ": "))


def _summary(catalog: Any) -> None:
    counts = catalog.counts()
    failed = counts.get("failed", 0)
    _say(f"{counts.get('done', 0)} runs done, {failed} failed: {catalog.folder}")
    if failed:
        first = catalog.query(
            "SELECT run_id, error FROM runs WHERE status = 'failed' ORDER BY run_id LIMIT 1"
        ).row(0)
        _say(f"first failure, run {first[0]}: {first[1]}")


def _print_frame(df: pl.DataFrame, title: str | None = None) -> None:
    table = Table(title=title)
    for column in df.columns:
        justify = "right" if df[column].dtype.is_numeric() else "left"
        table.add_column(column, justify=justify, overflow="fold")
    for row in df.iter_rows():
        table.add_row(*(_cell(v) for v in row))
    out.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return printable(str(value))


def sweep(
    experiment: Annotated[Path, typer.Argument(help="Experiment TOML file.")],
    out_dir: OutDir = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    progress: Progress = True,
) -> None:
    """Run every design point and replication of an experiment file into a catalog folder."""
    from mutualdep.experiments.sweep import run_sweep

    _summary(run_sweep(experiment, out_dir, workers, scheduler, progress))


def compare(
    base: Annotated[str, typer.Argument(help="Baseline scenario: built-in name or TOML file.")],
    alt: Annotated[str, typer.Argument(help="Alternative scenario: built-in name or TOML file.")],
    reps: Annotated[
        int, typer.Option("--reps", "-n", help="Seeds per scenario (the same for both).")
    ] = 20,
    metric: Metrics = None,
    until: Annotated[
        dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Stop both runs at this date.")
    ] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="KEY=VALUE override applied to both.")
    ] = None,
    out_dir: OutDir = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    model: Annotated[str, typer.Option(help="'mutualdep' or package.module:object.")] = "mutualdep",
    progress: Progress = True,
) -> None:
    """ALT minus BASE per metric on common seeds, with paired and unpaired 95% intervals."""
    from mutualdep.experiments.compare import run_compare
    from mutualdep.scenario import parse_set

    table = run_compare(
        base,
        alt,
        reps,
        metric,
        out_dir,
        until.date() if until else None,
        parse_set(set_ or []),
        workers,
        scheduler,
        model,
        progress,
    )
    _print_frame(
        comparison_rows(table),
        title=f"{alt} minus {base} over {reps} seeds: "
        "paired (same seeds) and unpaired (other seeds)",
    )


def comparison_rows(table: pl.DataFrame) -> pl.DataFrame:
    """Each mean beside its own 95% interval, every number in one format."""
    rows = []
    for r in table.iter_rows(named=True):
        rows.append(
            {
                "metric": r["metric"],
                "base mean": _cell(r["base_mean"]),
                "alt mean": _cell(r["alt_mean"]),
                "paired difference [95%]": _interval(
                    r["difference"], r["paired_low"], r["paired_high"]
                ),
                "unpaired difference [95%]": _interval(
                    r["unpaired_difference"], r["unpaired_low"], r["unpaired_high"]
                ),
                "width ratio": _cell(r["width_ratio"]),
            }
        )
    return pl.DataFrame(rows)


def _interval(mid: float, low: float, high: float) -> str:
    return f"{_cell(mid)} [{_cell(low)}, {_cell(high)}]"


def query(
    folder: Annotated[Path, typer.Argument(help="An experiment folder (the --out of a sweep).")],
    sql: Annotated[
        str,
        typer.Argument(help="SQL over experiment, points, runs, metrics, results and kept tables."),
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
) -> None:
    """Answer SQL over an experiment's runs and results."""
    from mutualdep.experiments.catalog import Catalog

    if fmt not in ("table", "csv", "json"):
        raise InputError(f"--format: expected table, csv or json, got {fmt!r}")
    try:
        df = Catalog.open(folder).sandboxed_query(sql)
    except duckdb.Error as exc:
        raise InputError(f"{folder}: SQL: {exc}") from None
    if fmt == "csv":
        sys.stdout.write(df.write_csv())
    elif fmt == "json":
        sys.stdout.write(df.write_json() + "\n")
    else:
        _print_frame(df)


def sensitivity(
    experiment: Annotated[
        Path, typer.Argument(help="Experiment TOML with a sobol or morris design.")
    ],
    metric: Metrics = None,
    out_dir: OutDir = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    progress: Progress = True,
) -> None:
    """Sobol or Morris indices for the experiment's metrics; PNGs in the experiment folder."""
    from mutualdep.experiments.sensitivity import run_sensitivity

    table = run_sensitivity(experiment, out_dir, metric, workers, scheduler, progress)
    _print_frame(table, title="sensitivity indices")


def calibrate(
    calibration: Annotated[Path, typer.Argument(help="Calibration TOML file.")],
    out_dir: OutDir = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
    progress: Progress = True,
) -> None:
    """Fit parameters to targets with Optuna; write a scenario that extends the base."""
    import optuna

    from mutualdep.experiments.calibrate import run_calibration

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    result = run_calibration(calibration, out_dir, workers, scheduler, progress)
    out.print(f"best parameters: trial {result.trial}, loss {result.loss:.4g}", highlight=False)
    _print_frame(
        pl.DataFrame({"parameter": list(result.params), "value": list(result.params.values())})
    )
    _print_frame(result.fit, title="fit per target")
    _say(f"fitted scenario: {result.scenario_path}")


def register(app: typer.Typer) -> None:
    """Add the experiment commands to the main CLI."""
    for fn, extra in (
        (sweep, ""),
        (compare, METRIC_HELP),
        (query, ""),
        (sensitivity, ""),
        (calibrate, ""),
    ):
        app.command(fn.__name__, help=f"{fn.__doc__}\n\n{extra}".strip())(_handled(fn))
