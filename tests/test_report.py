"""Figures and reports drawn from real small runs: what each figure says, and the pages."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from pathlib import Path

import polars as pl
import pytest

import mutualdep
from mdsupport import run_cli
from mutualdep.report import build, figures

UNTIL = dt.date(1989, 7, 25)  # small-town's walk-out is on 10 July 1989


@pytest.fixture(scope="module")
def runs() -> list[mutualdep.Result]:
    scenario = mutualdep.load_scenario("small-town")
    return [mutualdep.run(scenario, seed=s, until=UNTIL) for s in (1, 2)]


@pytest.fixture(scope="module")
def run_folder(runs, tmp_path_factory) -> Path:
    return runs[0].save(tmp_path_factory.mktemp("report") / "st")


def _stacked(runs) -> figures.Tables:
    """The tables of several runs, each row marked with its run (as a sweep keeps them)."""
    return {
        name: pl.concat(
            [r.tables[name].with_columns(pl.lit(i).alias("run")) for i, r in enumerate(runs)]
        )
        for name in runs[0].tables
    }


def _labels(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().texts]


def test_participation_marks_events_and_counts_all_strikers_on_a_second_axis(runs):
    fig = figures.participation(runs[0].tables, "industry")
    labels = _labels(fig)
    assert {"coal", "steel", "service"} <= set(labels)
    assert "spark (first walk-out)" in labels
    assert "all workers on strike (right axis)" in labels
    ylabels = {ax.get_ylabel() for ax in fig.axes}
    assert "share of the industry's workers on strike (%)" in ylabels
    assert "workers on strike, all groups" in ylabels
    assert all(ax.get_xlabel() == "date" for ax in fig.axes[:2])
    assert fig.axes[0].get_title() == "Strike participation by industry (1 seed)"
    # the zoom panel covers the strike weeks
    assert "the weeks with strikes, 1989-06-30" in fig.axes[1].get_title()


def test_participation_over_seeds_draws_bands_and_says_so(runs):
    fig = figures.participation(_stacked(runs), "town")
    assert fig.axes[0].get_title() == (
        "Strike participation by town (2 seeds; band: lowest to highest seed)"
    )
    assert fig.axes[0].collections, "no band drawn"


def test_town_positions_are_fixed_and_use_coordinates_when_given():
    towns = pl.DataFrame({"name": ["b", "a", "c"], "region": ["R", "R", "S"]})
    first = figures.town_positions(towns)
    assert first == figures.town_positions(towns.reverse())
    assert len({(round(x, 6), round(y, 6)) for x, y in first.values()}) == 3
    located = towns.with_columns(
        lat=pl.Series([54.0, 53.7, 55.3]), lon=pl.Series([86.0, 87.0, 88.1])
    )
    assert figures.town_positions(located) == {
        "b": (86.0, 54.0),
        "a": (87.0, 53.7),
        "c": (88.1, 55.3),
    }


def test_spread_animation_is_a_gif_with_a_frame_per_day(runs):
    from io import BytesIO

    from PIL import Image

    gif = figures.spread_animation(runs[0].tables, max_frames=60)
    image = Image.open(BytesIO(gif))
    assert image.format == "GIF"
    # strike window (first to last day with strikers) padded by three days on each side
    struck = runs[0].enterprise_days.filter(pl.col("striking") > 0)["date"]
    assert image.n_frames == (struck.max() - struck.min()).days + 1 + 6


def test_run_report_holds_every_run_figure_and_a_pdf(run_folder, tmp_path):
    proc = run_cli("report", str(run_folder), "--out", str(tmp_path / "r.html"), "--pdf")
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "r.html").read_text()
    titles = re.findall(r"<h2>(.*?)</h2>", html)
    assert titles == [
        "Strike participation by industry",
        "Strikes by town and day",
        "The spread on the map of towns",
        "Waiting times",
        "Allocations",
        "Turnover",
        "Pay, stake in kind and dependence",
        "Plan, output and money",
    ]
    assert html.count("data:image/png;base64,") == 7 and html.count("data:image/gif;base64,") == 1
    pdf = (tmp_path / "r.pdf").read_bytes()
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 8


def _evidence_facts() -> list[dict]:
    return [
        {
            "name": "a.with_seeds",
            "kind": "calibration",
            "low": 10,
            "high": 20,
            "values": [12.0, 15.0, 25.0, 18.0],
            "inside": 0.75,
            "mean": 17.5,
            "ci_low": 11.0,
            "ci_high": 24.0,
            "n": 4,
            "passed": True,
        },
        {  # the older format: mean and interval only
            "name": "b.mean_only",
            "low": 0.0,
            "high": 0.05,
            "mean": 0.2,
            "ci_low": 0.1,
            "ci_high": 0.3,
            "n": 4,
            "passed": False,
        },
    ]


def test_evidence_figure_uses_seeds_when_given_and_falls_back_to_the_mean():
    fig = figures.evidence(_evidence_facts(), reps=4)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a.with_seeds", "b.mean_only"]
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["target 10 to 20; 75% of seeds in band", "target 0 to 0.05; mean 0.2"]
    dots = [c for c in ax.collections if len(c.get_offsets()) == 4]
    # the seeds sit at (value - low) / (high - low), clipped at 2
    assert sorted(dots[0].get_offsets()[:, 0].tolist()) == [0.2, 0.5, 0.8, 1.5]
    assert "4 seeds; dots: one per seed" in fig.texts[0].get_text()


def test_evidence_report_from_a_folder_and_bad_folders(tmp_path):
    (tmp_path / "ev").mkdir()
    (tmp_path / "ev" / "evidence.json").write_text(
        json.dumps({"reps": 4, "facts": _evidence_facts()})
    )
    rep = build.build(tmp_path / "ev")
    assert rep.facts[1] == ("facts passing", "1 of 2")
    page = build.write_html(rep, tmp_path / "ev.html").read_text()
    (image,) = re.findall(r"base64,([^']+)'", page)
    assert base64.b64decode(image)[:8] == b"\x89PNG\r\n\x1a\n"
    empty = run_cli("report", str(tmp_path))
    assert empty.returncode == 2 and "expected a run folder" in empty.stderr
    missing = run_cli("report", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_the_recorded_evidence_draws(tmp_path):
    facts = json.loads((Path(__file__).parents[1] / "docs" / "evidence.json").read_text())
    fig = figures.evidence(facts["facts"], facts["reps"])
    assert len(fig.axes[0].get_yticklabels()) == len(facts["facts"])


def test_plot_by_town_and_a_bad_grouping(tmp_path):
    png = tmp_path / "p.png"
    ok = run_cli(
        "run",
        "small-town",
        "--until",
        "1989-07-20",
        "--out",
        str(tmp_path / "o"),
        "--plot",
        str(png),
        "--plot-by",
        "town",
        "--quiet",
    )
    assert ok.returncode == 0, ok.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = run_cli("run", "small-town", "--plot", str(png), "--plot-by", "shop", "--quiet")
    assert bad.returncode == 2 and "--plot-by" in bad.stderr
