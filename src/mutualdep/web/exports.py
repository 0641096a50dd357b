"""What the page lets a user take away: tables as CSV or Parquet, and a report of the run."""

from __future__ import annotations

import base64
import html
import io
import tempfile
import zipfile
from pathlib import Path

from mutualdep.report import summary
from mutualdep.report.plots import plot_participation
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
    with tempfile.TemporaryDirectory() as tmp:
        return plot_participation(result, Path(tmp) / "participation.png").read_bytes()


def report_html(result: Result, levers: dict) -> str:
    """One self-contained page: the run's settings, its participation chart and peak table."""
    info = result.info
    png = base64.b64encode(participation_png(result)).decode()
    rows = "".join(
        f"<tr><td>{html.escape(str(r['industry']))}</td><td>{r['peak_striking']:,}</td>"
        f"<td>{r['peak_share']:.1%}</td><td>{r['peak_date']}</td></tr>"
        for r in summary.peaks(result, "industry").iter_rows(named=True)
    )
    settings = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(v))}</td></tr>"
        for k, v in levers.items()
    )
    return f"""<!doctype html><html><head><meta charset="utf-8">
<title>mutualdep: {html.escape(info["scenario"])} seed {info["seed"]}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}
td{{padding:.2em 1em}} img{{max-width:100%}}</style></head><body>
<h1>{html.escape(info["scenario"])}, seed {info["seed"]}</h1>
<p>{info["start"]} to {info["end"]}, {info["workers_start"]:,} workers, mutualdep {info["version"]}.</p>
<h2>Levers</h2><table>{settings}</table>
<h2>Strike participation</h2><img alt="participation by industry" src="data:image/png;base64,{png}">
<h2>Peaks by industry</h2><table><tr><th>industry</th><th>peak striking</th><th>share</th>
<th>on</th></tr>{rows}</table></body></html>"""
