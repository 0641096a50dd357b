"""Determinism: same scenario and seed give identical tables and identical Parquet bytes;
another seed gives another run. Also: the test day loop is the engine's day loop."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import mutualdep
from mdsupport import simulate

UNTIL = dt.date(1989, 8, 20)


@pytest.fixture(scope="module")
def scenario():
    return mutualdep.load_scenario("small-town", {"collective_action.spark_rate": 0.001})


@pytest.fixture(scope="module")
def twin_runs(scenario):
    return [mutualdep.run(scenario, seed=7, until=UNTIL) for _ in range(2)]


def test_same_seed_same_frames(twin_runs):
    a, b = twin_runs
    assert a.tables.keys() == b.tables.keys()
    for name in a.tables:
        assert a.tables[name].equals(b.tables[name]), name
    assert a.enterprise_days["striking"].sum() > 0


def test_same_seed_same_parquet_bytes(twin_runs, tmp_path):
    a, b = twin_runs
    da, db = a.save(tmp_path / "a"), b.save(tmp_path / "b")
    files = sorted(p.name for p in da.glob("*.parquet"))
    assert files == sorted(p.name for p in db.glob("*.parquet"))
    assert {"enterprises.parquet", "enterprise_days.parquet", "events.parquet"} <= set(files)
    for name in files:
        assert (da / name).read_bytes() == (db / name).read_bytes(), name
    ja, jb = json.loads((da / "run.json").read_text()), json.loads((db / "run.json").read_text())
    for key in (
        "scenario",
        "seed",
        "version",
        "start",
        "end",
        "days",
        "workers_start",
        "worker_days",
    ):
        assert ja[key] == jb[key], key


def test_same_seed_same_result_from_a_reloaded_scenario(twin_runs):
    again = mutualdep.run(
        mutualdep.load_scenario("small-town", {"collective_action.spark_rate": 0.001}),
        seed=7,
        until=UNTIL,
    )
    assert again.enterprise_days.equals(twin_runs[0].enterprise_days)
    assert again.events.equals(twin_runs[0].events)


def test_different_seed_different_run(scenario, twin_runs):
    other = mutualdep.run(scenario, seed=8, until=UNTIL)
    assert not other.enterprise_days.equals(twin_runs[0].enterprise_days)
    # the seed changes draws, not the world's layout
    assert other.enterprises.equals(twin_runs[0].enterprises)
    assert other.enterprise_days.height == twin_runs[0].enterprise_days.height


def test_until_is_a_prefix_of_the_full_run(scenario, twin_runs):
    longer = mutualdep.run(scenario, seed=7, until=UNTIL + dt.timedelta(days=20))
    short = twin_runs[0].enterprise_days
    assert longer.enterprise_days.head(short.height).equals(short)
    assert longer.enterprise_days["date"].max() == UNTIL + dt.timedelta(days=20)


def test_test_day_loop_matches_the_engine(scenario, twin_runs):
    days = (UNTIL - scenario.start).days + 1
    _, result, _ = simulate(scenario, seed=7, days=days)
    for name in twin_runs[0].tables:
        assert result.tables[name].equals(twin_runs[0].tables[name]), name
