"""A minimally different world: two runs that differ in one lever acting on one enterprise, with
contagion off, differ only in that enterprise.

Spread is off (workers see only their brigade and shop). The state's response is off too: it
couples every enterprise of a region through the region's strike share, whose denominator is
every headcount in the region, so it is a channel by design. The levers act on the steel works,
alone in its town and feeding no other industry, so nothing else can carry their effect. Common
random numbers (draws keyed by stream, day and each worker's stable key) make every other
enterprise's history identical, not just similar.
"""

from __future__ import annotations

import datetime as dt
import functools

import polars as pl
import pytest

import mutualdep

WORKS = "Zavodsk steel works"
CONTAGION_OFF = {
    "spread.enabled": False,
    "state.enabled": False,
    "collective_action.spark_rate": 0.002,
}

LEVERS = {
    "social_scale": {"enterprises.1.social_scale": 3.0},
    "single_line": {"enterprises.1.distribution": "single_line"},
    "old_open_hearth": {"enterprises.1.shop_technology_age": {"open-hearth": 90.0}},
    "published_list": {
        "reforms.timeline": [
            {"date": dt.date(1989, 3, 1), "kind": "publish_distribution", "enterprise": WORKS}
        ]
    },
}


@functools.cache
def run(seed: int, lever: str | None):
    overrides = dict(CONTAGION_OFF)
    if lever is not None:
        overrides |= LEVERS[lever]
    sc = mutualdep.load_scenario("small-town", overrides)
    assert sc.enterprises[1].name == WORKS
    return mutualdep.run(sc, seed=seed)


def rows_of(frame: pl.DataFrame, enterprise: int) -> pl.DataFrame:
    return frame.filter(pl.col("enterprise") == enterprise)


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("lever", sorted(LEVERS))
def test_only_the_enterprise_the_lever_acts_on_differs(lever, seed):
    base, changed = run(seed, None), run(seed, lever)
    names = base.enterprises["name"].to_list()
    target = names.index(WORKS)
    ed0, ed1 = base.enterprise_days, changed.enterprise_days
    assert ed0.height == ed1.height
    for e in range(len(names)):
        same = rows_of(ed0, e).equals(rows_of(ed1, e))
        if e == target:
            assert not same, f"the lever {lever} changed nothing at the works"
        else:
            assert same, f"the lever {lever} on the works changed {names[e]}"
    # events and allocations elsewhere are the same too
    for table in ("events", "allocations", "turnover"):
        t0 = base.tables[table].filter(pl.col("enterprise") != target)
        t1 = changed.tables[table].filter(pl.col("enterprise") != target)
        if table == "events":  # the reform itself is logged without an enterprise
            t0, t1 = (t.filter(pl.col("kind") != "reform") for t in (t0, t1))
        assert t0.equals(t1), table
