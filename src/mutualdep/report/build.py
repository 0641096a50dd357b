"""`mutualdep report FOLDER`: one self-contained HTML page (and optionally a PDF) of a folder.

The folder is recognised by what it holds: a run (run.json and Parquet tables), an experiment
(catalog.duckdb: a sweep, a comparison, a sensitivity analysis or a calibration) or an evidence
output (evidence.json). Figures come from `report.figures`; the HTML embeds them as base64, so
the page opens offline and can be mailed as one file.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from matplotlib.figure import Figure

from mutualdep.errors import InputError
from mutualdep.report import figures


@dataclass
class Item:
    title: str
    caption: str
    figure: Figure | None = None
    gif: bytes | None = None  # an animation (HTML only; the PDF gets `figure`, a still)


@dataclass
class Report:
    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)


def kind_of(folder: Path) -> str:
    if (folder / "run.json").exists():
        return "run"
    if (folder / "catalog.duckdb").exists():
        return "experiment"
    if (folder / "evidence.json").exists():
        return "evidence"
    raise InputError(
        f"{folder}: expected a run folder (run.json), an experiment folder (catalog.duckdb) "
        "or an evidence output (evidence.json)"
    )


def load_run(folder: Path) -> tuple[dict, figures.Tables]:
    try:
        info = json.loads((folder / "run.json").read_text())
    except (OSError, ValueError) as exc:
        raise InputError(f"{folder / 'run.json'}: cannot read it ({exc})") from None
    tables = {p.stem: pl.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}
    return info, tables


# --------------------------------------------------------------------------- one run


def run_items(tables: figures.Tables, animate: bool = True) -> list[Item]:
    """The figures of one run or of several runs of the same scenario (tables with `run`)."""
    items = []
    have = set(tables)
    if {"enterprise_days", "enterprises"} <= have:
        items.append(
            Item(
                "Strike participation by industry",
                "Share of each industry's workers on strike per day; grey area: all "
                "strikers (right axis); markers: sparks, protocols, repression, "
                "managers' committees.",
                figures.participation(tables, "industry"),
            )
        )
    if {"enterprise_days", "enterprises", "towns"} <= have:
        items.append(
            Item(
                "Strikes by town and day",
                "Share of each town's workers on strike.",
                figures.town_heatmap(tables),
            )
        )
        still = figures.spread_map(tables)
        items.append(
            Item(
                "The spread on the map of towns",
                "Animation over the strike weeks (the PDF shows the peak day).",
                still,
                figures.spread_animation(tables) if animate else None,
            )
        )
    if {"allocations", "enterprises"} <= have and not tables["allocations"].is_empty():
        items.append(
            Item(
                "Waiting times",
                "Mean years on the list of those allocated a place.",
                figures.waiting_times(tables),
            )
        )
        items.append(
            Item("Allocations", "Units handed out per 1,000 workers.", figures.allocations(tables))
        )
    if {"turnover", "workforce"} <= have:
        items.append(
            Item(
                "Turnover",
                "Leavers per 1,000 of each group at the start.",
                figures.turnover(tables),
            )
        )
    if {"enterprise_days", "enterprises"} <= have:
        items.append(
            Item(
                "Pay, stake in kind and dependence",
                "Why steel stays: the value in kind and the dependence it creates.",
                figures.stake(tables),
            )
        )
    if {"enterprise_months", "enterprises"} <= have:
        items.append(
            Item("Plan, output and money", "Monthly totals per industry.", figures.economy(tables))
        )
    return items


def run_report(folder: Path) -> Report:
    info, tables = load_run(folder)
    rep = Report(
        f"Run {info.get('scenario', {}).get('name', folder.name)}, seed {info.get('seed')}"
    )
    rep.facts = [
        ("scenario", str(info.get("scenario", {}).get("name", ""))),
        ("seed", str(info.get("seed"))),
        ("period", f"{info.get('start')} to {info.get('end')}"),
        ("workers at the start", f"{info.get('workers_start', 0):,}"),
    ]
    rep.items = run_items(tables)
    return rep


# --------------------------------------------------------------------------- experiments


def experiment_report(folder: Path) -> Report:
    from mutualdep.experiments.catalog import Catalog

    catalog = Catalog.open(folder)
    info = catalog.info()
    spec = info["spec"]
    counts = catalog.counts()
    rep = Report(f"Experiment {info['name']} ({info['kind']})")
    rep.facts = [
        ("kind", info["kind"]),
        ("runs done", str(counts.get("done", 0))),
        ("runs failed", str(counts.get("failed", 0))),
    ]
    tables = set(catalog.query("SELECT table_name FROM information_schema.tables")["table_name"])
    if info["kind"] == "compare":
        comparison = catalog.query("SELECT * FROM comparison")
        pairs = int(comparison["pairs"].max()) if comparison.height else 0
        rep.items.append(
            Item(
                "Paired differences",
                "ALT minus BASE per metric: mean difference with its 95% interval.",
                figures.forest(comparison, spec["base"], spec["alt"], pairs),
            )
        )
        rep.facts += [("base", spec["base"]), ("alternative", spec["alt"])]
    elif info["kind"] == "calibrate":
        trials = catalog.query("SELECT * FROM trials")
        names = [p["key"] for p in spec["parameters"]]
        rep.items.append(
            Item(
                "Calibration traces",
                "Loss per trial and the parameters tried.",
                figures.calibration_traces(trials, names),
            )
        )
        if "fit" in tables:
            rep.facts += [
                (f"fit {r['metric']}", f"mean {r['mean']:.4g} for target {r['target']}")
                for r in catalog.query("SELECT * FROM fit").iter_rows(named=True)
            ]
    else:
        rep.items += _sweep_items(catalog, spec, tables)
    return rep


def _sweep_items(catalog, spec: dict, tables: set[str]) -> list[Item]:
    items = []
    factors = [f["key"] for f in spec["factors"]]
    metrics = spec["outputs"]["metrics"]
    reps = catalog.query("SELECT count(DISTINCT replicate) AS n FROM runs")["n"][0]
    if "sensitivity" in tables:
        kind = spec["design"]["kind"]
        points = catalog.query("SELECT count(*) AS n FROM points")["n"][0]
        table = catalog.query("SELECT * FROM sensitivity")
        for (metric,), part in table.group_by("metric", maintain_order=True):
            items.append(
                Item(
                    f"Sensitivity of {metric}",
                    "Which factors matter (SALib).",
                    figures.sensitivity_bars(part, kind, points, reps),
                )
            )
    results = catalog.query("SELECT * FROM results")
    done = [m for m in metrics if m in results.columns]
    if factors and done and spec["design"]["kind"] in ("factorial", "lhs"):
        items.append(
            Item(
                "Response curves",
                "Each metric against the first factor.",
                figures.response_curves(results, factors, done),
            )
        )
    kept = set(spec["outputs"].get("tables", []))
    if {"enterprise_days", "enterprises"} <= kept:
        items += _point_participation(
            catalog, factors, kept & {"enterprise_days", "enterprises", "events"}
        )
    return items


def _point_participation(catalog, factors: list[str], kept: set[str]) -> list[Item]:
    """Participation by industry at each of the first four design points, banded over seeds."""
    items = []
    points = catalog.query("SELECT * FROM points ORDER BY point LIMIT 4")
    for row in points.iter_rows(named=True):
        where = "run_id IN (SELECT run_id FROM runs WHERE point = ? AND status = 'done')"
        tables = {
            t: catalog.query(
                f"SELECT * EXCLUDE (run_id), run_id AS run FROM {t} WHERE {where}", [row["point"]]
            )
            for t in sorted(kept)
        }
        label = ", ".join(f"{f} = {row[f]}" for f in factors)
        items.append(
            Item(
                f"Participation at point {row['point']}: {label}",
                "",
                figures.participation(tables, "industry", prefix=f"{label}: "),
            )
        )
    return items


# --------------------------------------------------------------------------- evidence


def evidence_report(folder: Path) -> Report:
    path = folder / "evidence.json"
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read it ({exc})") from None
    facts = data.get("facts", [])
    if not facts:
        raise InputError(f"{path}: key 'facts': expected at least one fact")
    rep = Report("Evidence: the model against the historical record")
    passed = sum(bool(f.get("passed")) for f in facts)
    rep.facts = [
        ("replications", str(data.get("reps"))),
        ("facts passing", f"{passed} of {len(facts)}"),
    ]
    rep.items.append(
        Item("Facts against their targets", "", figures.evidence(facts, data.get("reps")))
    )
    return rep


# --------------------------------------------------------------------------- writing


def build(folder: Path) -> Report:
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: expected a folder, but there is none")
    kind = kind_of(folder)
    if kind == "run":
        return run_report(folder)
    if kind == "experiment":
        return experiment_report(folder)
    return evidence_report(folder)


def write_html(rep: Report, path: Path) -> Path:
    return _atomic_write(path, html_page(rep).encode())


def html_page(rep: Report) -> str:
    """The report as one self-contained HTML page (figures embedded)."""
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{html.escape(rep.title)}</title><style>",
        "body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}",
        "figure{margin:2em 0}img{max-width:100%}figcaption{color:#555;font-size:.9em}",
        "table{border-collapse:collapse}td{padding:2px 12px 2px 0}",
        "</style></head><body>",
        f"<h1>{html.escape(rep.title)}</h1><table>",
        *(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in rep.facts),
        f"</table><p>Made by mutualdep on {dt.date.today()}.</p>",
    ]
    for item in rep.items:
        if item.gif is not None:
            src = "data:image/gif;base64," + base64.b64encode(item.gif).decode()
        else:
            src = "data:image/png;base64," + base64.b64encode(figures.png(item.figure)).decode()
        parts.append(
            f"<figure><h2>{html.escape(item.title)}</h2><img alt='{html.escape(item.title)}' "
            f"src='{src}'><figcaption>{html.escape(item.caption)}</figcaption></figure>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)


def write_pdf(rep: Report, path: Path) -> Path:
    from matplotlib.backends.backend_pdf import PdfPages

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    with PdfPages(tmp) as pdf:
        for item in rep.items:
            if item.figure is not None:
                pdf.savefig(item.figure)
    tmp.replace(path)
    return path


def _atomic_write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
