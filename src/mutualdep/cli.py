"""The ``mutualdep`` command line: run, scenarios, validate (and the experiment commands).

Exit codes: 0 ok, 2 bad input (one message naming the file, the key and what was expected),
1 internal error.
"""

from __future__ import annotations

import datetime as dt
import sys
import textwrap
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mutualdep.errors import InputError
from mutualdep.experiments.cli import register as register_experiments
from mutualdep.outputs import check_files, check_target, printable, safe_name

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
    plot: Annotated[Path | None, typer.Option(help="draw strike participation to this PNG")] = None,
    plot_by: Annotated[
        str, typer.Option(help="group the --plot lines by industry, town or region")
    ] = "industry",
    quiet: Annotated[bool, typer.Option(help="no progress bar or summary")] = False,
    checkpoint_every: Annotated[
        int | None,
        typer.Option(
            help="save the run every DAYS simulated days; the same command resumes after a kill"
        ),
    ] = None,
    memory_check: Annotated[
        bool, typer.Option(help="refuse a world too big for the memory available")
    ] = True,
) -> None:
    """Run a scenario and write its tables (Parquet) and run.json."""
    import mutualdep
    from mutualdep.scenario import parse_set

    stop = _parse_date(until, "--until")
    if plot_by not in ("industry", "town", "region"):
        raise InputError(f"--plot-by: expected industry, town or region, got {plot_by!r}")
    sc = mutualdep.load_scenario(scenario, parse_set(set_ or []))
    target = check_target(out or Path("runs") / f"{safe_name(sc.name)}-seed{seed}", "run")
    if plot is not None and plot.suffix.lower() != ".png":
        raise InputError(f"--plot {plot}: expected a file name ending in .png")
    if checkpoint_every is None:
        result = mutualdep.run(
            sc, seed=seed, until=stop, progress=not quiet, memory_check=memory_check
        )
        folder = result.save(target)
    else:
        from mutualdep.checkpoint import run_checkpointed

        result, folder = run_checkpointed(
            sc, seed, stop, target, checkpoint_every, not quiet, memory_check
        )
    if plot is not None:
        from mutualdep.report.figures import participation, save

        save(participation(result.tables, plot_by), plot)
    if not quiet:
        _summary(result, folder)


@app.command()
def scenarios() -> None:
    """List the built-in scenarios."""
    from mutualdep.scenario import builtin_summary

    rows = builtin_summary()
    console = Console()
    name_width = max(len(name) for name, _ in rows)
    room = max(20, console.width - name_width - 2)
    table = Table(box=None, show_edge=False, pad_edge=False)
    table.add_column("scenario", no_wrap=True, min_width=name_width)
    table.add_column("description", no_wrap=True)  # one line each, cut between words
    for name, text in rows:
        table.add_row(name, escape(printable(textwrap.shorten(text, room, placeholder=" ..."))))
    console.print(table)


@app.command()
def params(
    section: Annotated[
        str | None, typer.Argument(help="a section or key, e.g. collective_action")
    ] = None,
    markdown: Annotated[bool, typer.Option(help="print the Markdown reference instead")] = False,
) -> None:
    """The scenario parameters: type, default, range and meaning (from the schema)."""
    from mutualdep import params as ref

    rows = ref.section(ref.reference(), section)
    if markdown:
        sys.stdout.write(ref.markdown(rows))
        return
    table = Table(box=None)
    table.add_column("key", no_wrap=True)
    table.add_column("default", max_width=24)
    table.add_column("range", no_wrap=True)
    table.add_column("meaning")
    for r in rows:
        table.add_row(escape(r.key), escape(r.default), escape(r.range), escape(r.description))
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
        printable(
            f"{file}: ok ({sc.name}: {len(sc.enterprise_names())} enterprises, "
            f"{sc.total_workers():,} workers, {sc.start} to {sc.end})"
        )
    )


@app.command()
def evidence(
    reps: Annotated[int, typer.Option(min=1, help="replications per fact")] = 20,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="parallel processes (default 2; 1 runs in this process)"),
    ] = None,
    only: Annotated[str | None, typer.Option(help="only facts whose name contains this")] = None,
    fast: Annotated[bool, typer.Option(help="only the quick subset")] = False,
    out: Annotated[Path, typer.Option(help="folder for evidence.md and evidence.json")] = Path(
        "evidence"
    ),
    runs: Annotated[
        Path | None,
        typer.Option(help="catalog folder of the runs (default runs/evidence-<fingerprint>)"),
    ] = None,
) -> None:
    """Run the historical facts over replications: calibration and validation apart, seeds inside.

    Each fact shows the share of its seeds inside the target (it passes at 80%), the mean with
    its 95% interval and a flag when the seeds split into two clumps.
    """
    from mutualdep.evidence import run_evidence, write_reports
    from mutualdep.evidence.facts import KINDS
    from mutualdep.evidence.runner import KIND_TITLES, SIGNATURES, fmt, pct, select

    if not select(only, fast):
        raise InputError(f"--only {only!r}: expected part of a fact's name; no fact matches")
    check_files(out, SIGNATURES)  # before the runs, not after them
    results = run_evidence(reps=reps, workers=workers, only=only, fast=fast, runs_dir=runs)
    for kind in KINDS:
        rows = [r for r in results if r.kind == kind]
        if not rows:
            continue
        table = Table(
            "fact",
            "target",
            "seeds inside",
            "mean [95% CI]",
            "",
            "",
            title=KIND_TITLES[kind],
            box=None,
        )
        for r in rows:
            table.add_row(
                r.name,
                f"{fmt(r.low)} to {fmt(r.high)}",
                f"{pct(r.inside)} [{pct(r.inside_low)}, {pct(r.inside_high)}]",
                f"{fmt(r.mean)} [{fmt(r.ci_low)}, {fmt(r.ci_high)}]",
                "[yellow]bimodal[/]" if r.bimodal else "",
                "[green]pass[/]" if r.passed else "[red]fail[/]",
            )
        Console().print(table)
    md, js = write_reports(results, reps, out)
    summary = ", ".join(
        f"{sum(r.passed for r in results if r.kind == k)} of "
        f"{sum(r.kind == k for r in results)} {k}"
        for k in KINDS
        if any(r.kind == k for r in results)
    )
    Console().print(f"facts passing: {summary}; written to {md} and {js}")


@app.command()
def report(
    folder: Annotated[Path, typer.Argument(help="a run, experiment or evidence folder")],
    out: Annotated[
        Path | None, typer.Option(help="HTML file to write (default FOLDER/report.html)")
    ] = None,
    pdf: Annotated[bool, typer.Option(help="also write the figures to a PDF beside it")] = False,
) -> None:
    """Draw a folder's figures into one self-contained HTML page (and a PDF with --pdf)."""
    from mutualdep.report.build import build, write_html, write_pdf

    rep = build(folder)
    target = out or folder / "report.html"
    if target.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"--out: expected a file ending in .html, got {str(target)!r}")
    written = [write_html(rep, target)]
    if pdf:
        written.append(write_pdf(rep, target.with_suffix(".pdf")))
    Console().print(
        f"{len(rep.items)} figures: " + ", ".join(str(p) for p in written), highlight=False
    )


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="port to listen on")] = 8765,
    host: Annotated[
        str, typer.Option(help="address to listen on (loopback unless given)")
    ] = "127.0.0.1",
    data: Annotated[
        Path | None, typer.Option(help="folder of scenario files the page may open")
    ] = None,
) -> None:
    """Serve the teaching web app (Solara) in the browser."""
    from mutualdep.web.server import serve as run_server

    run_server(port=port, host=host, data=data)


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
        f"[bold]{escape(printable(info['scenario']))}[/] seed {info['seed']}: "
        f"{info['start']} to {info['end']}, {info['workers_start']:,} workers, "
        f"{info['wall_seconds']:.1f} s ({rate / 1e6:.1f}M worker-days/s)"
    )
    for by in ("industry", "town"):
        table = Table(
            by, "peak striking", "share", "on", title=f"Peak strike participation by {by}", box=None
        )
        for row in summary.peaks(result, by).head(12).iter_rows(named=True):
            table.add_row(
                escape(printable(str(row[by]))),
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
    out.print(f"tables written to [bold]{escape(printable(str(folder)))}[/]")


register_experiments(app)


def exit_on_input_error(entry) -> None:
    """Run ``entry`` (this app, or a script's main): bad input is one line on stderr, exit 2."""
    try:
        entry()
    except InputError as exc:
        console.print(
            f"[red]error:[/] {escape(printable(str(exc)))}", highlight=False, soft_wrap=True
        )
        sys.exit(2)


def main() -> None:
    exit_on_input_error(app)
