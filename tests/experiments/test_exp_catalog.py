"""What a sweep leaves behind: the DuckDB catalog, Parquet tables, SQL over both."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from xp_support import SHORT_UNTIL

import mutualdep
from mutualdep.errors import InputError
from mutualdep.experiments.catalog import Catalog
from mutualdep.experiments.metrics import compute
from mutualdep.experiments.sweep import run_sweep

SWEEP = f"""
name = "fund"
scenario = "small-town"
until = {SHORT_UNTIL}
[[factors]]
key = "collective_action.strike_fund"
values = [0.0, 0.5]
[replications]
seeds = [3, 8]
[outputs]
metrics = [
    "peak_share_striking:coal", "days_to_spread:coal",
    "quits_per_1000:<25", "mean_wait_years:housing",
]
tables = ["enterprise_days", "events"]
"""


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep")
    path = folder / "fund.toml"
    path.write_text(SWEEP)
    return path, run_sweep(path, folder / "out", workers=2)


def test_runs_table_has_every_point_and_seed_once(swept):
    _, catalog = swept
    runs = catalog.query("SELECT * FROM runs ORDER BY run_id")
    assert runs["run_id"].to_list() == [0, 1, 2, 3]
    assert runs["point"].to_list() == [0, 0, 1, 1]
    assert runs["seed"].to_list() == [3, 8, 3, 8]
    assert runs["status"].to_list() == ["done"] * 4
    assert runs["error"].null_count() == 4
    assert (runs["seconds"] > 0).all() and (runs["finished"] >= runs["started"]).all()
    info = catalog.info()
    assert info["name"] == "fund" and info["kind"] == "sweep"
    assert info["spec"]["factors"][0]["key"] == "collective_action.strike_fund"
    assert info["metrics"] == info["spec"]["outputs"]["metrics"] and info["tables"] == [
        "enterprise_days",
        "events",
    ]


def test_metrics_match_a_direct_run_of_the_same_point(swept):
    """The catalog's numbers are the core's: rerun point 1 / seed 8 directly and compare."""
    _, catalog = swept
    scenario = mutualdep.load_scenario("small-town", {"collective_action.strike_fund": 0.5})
    direct = mutualdep.run(scenario, seed=8, until=dt.date.fromisoformat(SHORT_UNTIL))
    stored = catalog.query("SELECT metric, value FROM metrics WHERE run_id = 3")
    assert stored.height == 4
    for metric, value in stored.iter_rows():
        expected = compute(metric, direct.tables)
        assert (value is None and expected != expected) or value == expected
    days = catalog.query(
        "SELECT * EXCLUDE (run_id) FROM enterprise_days WHERE run_id = 3 ORDER BY date, enterprise"
    )
    assert days.equals(direct.tables["enterprise_days"].sort("date", "enterprise"))


def test_results_view_and_parquet_views(swept):
    _, catalog = swept
    results = catalog.query(
        'SELECT "collective_action.strike_fund" AS fund, '
        '"peak_share_striking:coal" AS peak FROM results'
    )
    assert results["fund"].to_list() == [0.0, 0.0, 0.5, 0.5]
    assert results["peak"].is_between(0, 1).all()
    files = sorted(p.name for p in (catalog.folder / "tables" / "events").iterdir())
    assert files == [f"run-{i:06d}.parquet" for i in range(4)]
    per_run = catalog.query(
        "SELECT run_id, count(*) AS n, min(date) AS first "
        "FROM enterprise_days GROUP BY run_id ORDER BY run_id"
    )
    assert per_run["run_id"].to_list() == [0, 1, 2, 3]
    assert (
        per_run["n"].n_unique() == 1
        and per_run["first"].cast(pl.String).to_list() == ["1989-01-01"] * 4
    )
    joined = catalog.query(
        "SELECT r.seed, count(*) AS starts FROM events e JOIN runs r USING (run_id) "
        "WHERE e.kind = 'strike_start' GROUP BY r.seed ORDER BY r.seed"
    )
    assert joined["seed"].to_list() == [3, 8] and (joined["starts"] > 0).all()


def test_query_cli_prints_csv(swept, cli):
    _, catalog = swept
    result = cli(
        "query",
        str(catalog.folder),
        "SELECT run_id, seed FROM runs ORDER BY run_id",
        "--format",
        "csv",
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["run_id,seed", "0,3", "1,8", "2,3", "3,8"]


def test_rerun_is_a_no_op_and_a_changed_file_is_refused(swept):
    path, catalog = swept
    before = catalog.query("SELECT run_id, started FROM runs ORDER BY run_id")
    run_sweep(path, catalog.folder, workers=2)
    assert catalog.query("SELECT run_id, started FROM runs ORDER BY run_id").equals(before)
    path.write_text(SWEEP.replace("values = [0.0, 0.5]", "values = [0.0, 0.6]"))
    with pytest.raises(InputError, match="different file"):
        run_sweep(path, catalog.folder, workers=2)


def test_failing_runs_are_recorded_and_the_rest_finish(write, tmp_path, cli):
    path = write(
        "fail.toml",
        """
        name = "fail"
        scenario = "toy"
        model = "xp_toys:toy"
        [set]
        fail = 1.0
        [[factors]]
        key = "x1"
        values = [0.0, 1.0, 2.0]
        [replications]
        count = 2
        [outputs]
        metrics = ["linear"]
        tables = ["trace"]
        """,
    )
    result = cli(
        "sweep", str(path), "--out", str(tmp_path / "out"), "--workers", "2", "--no-progress"
    )
    assert result.exit_code == 0
    assert "4 runs done, 2 failed" in result.stderr
    assert "RuntimeError: toy failure at x1=1.0" in result.stderr
    catalog = Catalog.open(tmp_path / "out")
    runs = catalog.query("SELECT run_id, status, error, traceback FROM runs ORDER BY run_id")
    assert runs["status"].to_list() == ["done", "done", "failed", "failed", "done", "done"]
    failed = runs.filter(pl.col("status") == "failed")
    assert failed["error"].to_list() == ["RuntimeError: toy failure at x1=1.0"] * 2
    assert all("xp_toys.py" in tb for tb in failed["traceback"])
    assert catalog.query("SELECT DISTINCT run_id FROM metrics ORDER BY 1")["run_id"].to_list() == [
        0,
        1,
        4,
        5,
    ]
    assert catalog.query("SELECT DISTINCT run_id FROM trace ORDER BY 1")["run_id"].to_list() == [
        0,
        1,
        4,
        5,
    ]
