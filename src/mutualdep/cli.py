"""The ``mutualdep`` command line: run, scenarios, validate (and the experiment commands).

Exit codes: 0 ok, 2 bad input (one message naming the file, the key and what was expected),
1 internal error.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mutualdep.errors import InputError
from mutualdep.experiments.cli import register as register_experiments

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Mutual dependence of workers and enterprises in a shortage economy.",
)
console = Console(stderr=True)

SetOption = Annotated[
    list[str] | None, typer.Option("--set", help="KEY=VALUE override (TOML literal), repeatable")
]


@app.command()
def run(
    scenario: Annotated[
        str, typer.Argument(help="built-in name or path to a TOML file")
    ] = "kuzbass-1989",
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    set_: SetOption = None,
    until: Annotated[str | None, typer.Option(help="stop after this date, YYYY-MM-DD")] = None,
    out: Annotated[
        Path | None, typer.Option(help="output folder (default runs/SCENARIO-seedN)")
    ] = None,
    plot: Annotated[
        Path | None, typer.Option(help="draw participation by industry to this PNG")
    ] = None,
    quiet: Annotated[bool, typer.Option(help="no progress bar or summary")] = False,
) -> None:
    """Run a scenario and write its tables (Parquet) and run.json."""
    import mutualdep
    from mutualdep.scenario import parse_set

    stop = _parse_date(until, "--until")
    sc = mutualdep.load_scenario(scenario, parse_set(set_ or []))
    result = mutualdep.run(sc, seed=seed, until=stop, progress=not quiet)
    folder = result.save(out or Path("runs") / f"{sc.name}-seed{seed}")
    if plot is not None:
        from mutualdep.report.plots import plot_participation

        plot_participation(result, plot)
    if not quiet:
        _summary(result, folder)


@app.command()
def scenarios() -> None:
    """List the built-in scenarios."""
    from mutualdep.scenario import builtin_summary

    rows = builtin_summary()
    table = Table(box=None)
    table.add_column("scenario", no_wrap=True, min_width=max(len(name) for name, _ in rows))
    table.add_column("description", no_wrap=True, overflow="ellipsis")  # one line each
    for name, text in rows:
        table.add_row(name, escape(text))
    Console().print(table)


@app.command()
def validate(
    file: Annotated[str, typer.Argument(help="scenario file or built-in name")],
    set_: SetOption = None,
) -> None:
    """Check a scenario without running it."""
    import mutualdep
    from mutualdep.scenario import parse_set

    sc = mutualdep.load_scenario(file, parse_set(set_ or []))
    print(
        f"{file}: ok ({sc.name}: {len(sc.enterprise_names())} "
        f"enterprises, {sc.total_workers():,} workers, "
        f"{sc.start} to {sc.end})"
    )


@app.command()
def evidence(
    reps: Annotated[int, typer.Option(min=1, help="replications per fact")] = 20,
    workers: Annotated[
        int | None, typer.Option(min=1, help="parallel processes (default: cores, at most 2)")
    ] = None,
    only: Annotated[str | None, typer.Option(help="only facts whose name contains this")] = None,
    fast: Annotated[bool, typer.Option(help="only the quick subset")] = False,
    out: Annotated[Path, typer.Option(help="folder for evidence.md and evidence.json")] = Path(
        "evidence"
    ),
) -> None:
    """Run the historical facts over replications: target,
    model mean with 95% interval, pass or fail."""
    from mutualdep.evidence import run_evidence, write_reports
    from mutualdep.evidence.runner import fmt, select

    if not select(only, fast):
        raise InputError(f"--only {only!r}: expected part of a fact's name; no fact matches")
    results = run_evidence(reps=reps, workers=workers, only=only, fast=fast)
    table = Table(
        "fact",
        "target",
        "model mean [95% CI]",
        "",
        title=f"Evidence ({reps} replications)",
        box=None,
    )
    for r in results:
        table.add_row(
            r.name,
            f"{fmt(r.low)} to {fmt(r.high)}",
            f"{fmt(r.mean)} [{fmt(r.ci_low)}, {fmt(r.ci_high)}]",
            "[green]pass[/]" if r.passed else "[red]fail[/]",
        )
    Console().print(table)
    md, js = write_reports(results, reps, out)
    Console().print(
        f"{sum(r.passed for r in results)} of {len(results)} facts pass; written to {md} and {js}"
    )


def _parse_date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option}: expected a date YYYY-MM-DD, got {text!r}") from None


def _summary(result, folder: Path) -> None:
    from mutualdep.report import summary

    out = Console()
    info = result.info
    rate = info["worker_days"] / max(info["wall_seconds"], 1e-9)
    out.print(
        f"[bold]{info['scenario']}[/] seed {info['seed']}: {info['start']} to {info['end']}, "
        f"{info['workers_start']:,} workers, {info['wall_seconds']:.1f} "
        f"s ({rate / 1e6:.1f}M worker-days/s)"
    )
    for by in ("industry", "town"):
        table = Table(
            by, "peak striking", "share", "on", title=f"Peak strike participation by {by}", box=None
        )
        for row in summary.peaks(result, by).head(12).iter_rows(named=True):
            table.add_row(
                str(row[by]),
                f"{row['peak_striking']:,}",
                f"{row['peak_share']:.1%}",
                str(row["peak_date"]),
            )
        out.print(table)
    flows = Table("flow", "workers", title="Turnover", box=None)
    for row in summary.flows(result).iter_rows(named=True):
        flows.add_row(row["cause"], f"{row['count']:,}")
    out.print(flows)
    alloc = Table("list", "allocated", "mean wait (years)", title="Allocations", box=None)
    for row in summary.allocations(result).iter_rows(named=True):
        wait = row["mean_wait_years"]
        alloc.add_row(row["list"], f"{row['count']:,}", "-" if wait is None else f"{wait:.1f}")
    out.print(alloc)
    out.print(f"tables written to [bold]{folder}[/]")


register_experiments(app)


def main() -> None:
    try:
        app()
    except InputError as exc:
        console.print(f"[red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        sys.exit(2)
