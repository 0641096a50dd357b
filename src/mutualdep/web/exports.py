"""What the page lets a user take away: tables as CSV or Parquet, and a report of the run."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from mutualdep.report import figures
from mutualdep.report.build import Report, html_page, run_items
from mutualdep.results import Result


def table_csv(result: Result, name: str) -> bytes:
    return getattr(result, name).write_csv().encode()


def tables_zip(result: Result) -> bytes:
    """Every table as Parquet, with run.json, as ``Result.save`` writes them, in one zip."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        folder = result.save(Path(tmp) / "run")
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(folder.iterdir()):
                z.write(path, path.name)
    return buffer.getvalue()


def participation_png(result: Result) -> bytes:
    return figures.png(figures.participation(result.tables))


def report_html(result: Result, levers: dict) -> str:
    """One self-contained page: the run's settings, then every figure a run report has."""
    info = result.info
    rep = Report(f"Run {info['scenario']}, seed {info['seed']}")
    rep.facts = [
        ("period", f"{info['start']} to {info['end']}"),
        ("workers at the start", f"{info['workers_start']:,}"),
        ("mutualdep", str(info["version"])),
        *((f"lever {k}", str(v)) for k, v in levers.items()),
    ]
    rep.items = run_items(result.tables, animate=False)
    return html_page(rep)
