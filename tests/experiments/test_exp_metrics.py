"""Named metrics on hand-made tables, where every answer can be worked out by hand."""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
import pytest

from mutualdep.experiments.metrics import DEFAULT_METRICS, compute, describe, parse


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    days = [dt.date(1989, 7, 10) + dt.timedelta(days=i) for i in range(4)]
    striking = {
        0: [0, 100, 500, 0],
        1: [0, 0, 200, 300],
        2: [0, 0, 0, 0],
        3: [0, 0, 0, 50],
        4: [0, 0, 0, 0],
    }
    workers = {0: 1000, 1: 1000, 2: 500, 3: 2000, 4: 500}
    grievance = {0: 0.5, 1: 0.3, 2: 0.2, 3: 0.9, 4: 0.1}
    return {
        "enterprises": pl.DataFrame(
            {
                "enterprise": [0, 1, 2, 3, 4],
                "industry": ["coal", "coal", "coal", "steel", "service"],
                "workers_start": [1000, 1000, 500, 2000, 500],
            }
        ),
        "enterprise_days": pl.DataFrame(
            {
                "date": [d for e in striking for d in days],
                "enterprise": [e for e in striking for _ in days],
                "workers": [workers[e] for e in striking for _ in days],
                "striking": [s for e in striking for s in striking[e]],
                "grievance_mean": [grievance[e] for e in striking for _ in days],
            }
        ),
        "events": pl.DataFrame(
            {
                "date": days[:4],
                "kind": ["strike_start", "strike_start", "concession", "strike_start"],
                "enterprise": [0, 1, 0, 3],
            }
        ),
        "turnover": pl.DataFrame(
            {
                "cause": ["quit", "quit", "quit", "fired"],
                "age_band": ["<25", "25-34", "<25", "<25"],
                "family": ["single", "married", "children", "single"],
                "count": [30, 20, 5, 100],
            }
        ),
        "allocations": pl.DataFrame(
            {
                "list": ["housing", "housing", "car"],
                "occupation": ["face worker", "steel founder", "face worker"],
                "count": [2, 3, 1],
                "wait_years_mean": [5.0, 12.0, 8.0],
            }
        ),
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("peak_share_striking:coal", 700 / 2500),
        ("peak_share_striking:steel", 50 / 2000),
        ("peak_share_striking", 700 / 5000),
        ("peak_share_striking:service", 0.0),
        ("total_striking_peak:coal", 700),
        ("total_striking_peak", 700),
        ("striker_days:coal", 1100),
        ("striker_days", 1150),
        ("days_to_spread:coal", 1),  # 2 of 3 mines needed: first on 11 July, second on 12 July
        ("days_to_spread:steel", 0),
        ("days_to_spread:service", math.nan),
        ("events:strike_start", 3),
        ("events:strike_start:coal", 2),
        ("events:concession:steel", 0),
        ("quits_per_1000", 55 / 5000 * 1000),
        ("quits_per_1000:<25", 35 / 5000 * 1000),
        ("quits_per_1000:married", 20 / 5000 * 1000),
        ("mean_wait_years:housing", (2 * 5 + 3 * 12) / 5),
        ("mean_wait_years:housing:steel founder", 12),
        ("mean_wait_years:daycare", math.nan),
        ("mean:grievance_mean:coal", (1000 * 0.5 + 1000 * 0.3 + 500 * 0.2) / 2500),
    ],
)
def test_metric_values(tables, name, expected):
    value = compute(name, tables)
    if math.isnan(expected):
        assert math.isnan(value)
    else:
        assert value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("peak_share_striking:oil", "no enterprise of industry 'oil'"),
        ("quits_per_1000:old", "expected an age band"),
        ("mean:output", "expected one of"),
    ],
)
def test_bad_arguments_fail_the_run_with_a_reason(tables, name, error):
    with pytest.raises(ValueError, match=error):
        compute(name, tables)


def test_missing_table_is_named(tables):
    with pytest.raises(ValueError, match=r"needs the table\(s\) \['allocations'\]"):
        compute("mean_wait_years:car", {k: v for k, v in tables.items() if k != "allocations"})


@pytest.mark.parametrize(
    "name", ["nope", "events", "peak_share_striking:coal:extra", "events::coal"]
)
def test_malformed_names_rejected(name):
    with pytest.raises(ValueError):
        parse(name)


def test_defaults_parse_and_every_family_is_documented():
    for name in DEFAULT_METRICS:
        parse(name)
    assert all(doc for _, doc in describe())
