"""The scale factor (one agent for several workers), the scaled-world helper, compact records."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

import mutualdep
from mutualdep.errors import InputError
from mutualdep.results import EXTENSIVE, to_real_workers, turnover_frame
from mutualdep.scaling import scale_world
from mutualdep.shared_state import AGE_BANDS, FAMILY
from mutualdep.world import build_world

SCHEMA = {
    "date": pl.Date,
    "enterprise": pl.Int32,
    "cause": pl.String,
    "age_band": pl.String,
    "family": pl.String,
    "count": pl.Int64,
}


def test_scale_builds_fewer_agents_and_reports_real_workers():
    sc = mutualdep.load_scenario("small-town", {"scale": 10, "end": dt.date(1989, 3, 31)})
    world = build_world(sc, 1)
    full = build_world(mutualdep.load_scenario("small-town"), 1)
    assert world.scale == 10
    assert abs(world.workers.n - full.workers.n / 10) <= len(world.enterprise_names)
    # brigades keep about their real size: brigade_size / scale agents (rounded)
    assert full.n_brigades / world.n_brigades == pytest.approx(1.0, abs=0.25)
    result = mutualdep.run(sc, seed=1)
    assert result.info["scale"] == 10
    assert result.info["agents_start"] == world.workers.n
    assert result.info["workers_start"] == 10 * world.workers.n
    assert result.enterprises["workers_start"].sum() == 10 * world.workers.n
    first = result.enterprise_days.filter(pl.col("date") == sc.start)
    assert first["workers"].sum() == pytest.approx(
        10 * world.workers.n, rel=0.01
    )  # less day 0's exits
    assert (result.enterprise_days["workers"] % 10 == 0).all()
    assert (result.turnover["count"] % 10 == 0).all()


def test_scale_one_is_the_default():
    assert mutualdep.load_scenario("small-town").scale == 1


@pytest.mark.parametrize("bad", [0, -3, 2.5, "ten"])
def test_scale_must_be_a_positive_integer(bad):
    with pytest.raises(InputError, match="scale"):
        mutualdep.load_scenario("small-town", {"scale": bad})


def test_granovetter_thresholds_need_scale_one():
    with pytest.raises(InputError, match="scale"):
        mutualdep.load_scenario("granovetter", {"scale": 2})


def test_to_real_workers_multiplies_extensive_columns_only():
    tables = {
        "enterprise_days": pl.DataFrame(
            {
                "workers": np.array([3, 4], np.int32),
                "wage_mean": [1.5, 2.0],
                "output": np.array([1.0, 2.0], np.float32),
            }
        ),
        "towns": pl.DataFrame({"isolation": [0.3]}),
    }
    out = to_real_workers(tables, 10)
    assert out["enterprise_days"]["workers"].to_list() == [30, 40]
    assert out["enterprise_days"]["workers"].dtype == pl.Int32
    assert out["enterprise_days"]["output"].to_list() == [10.0, 20.0]
    assert out["enterprise_days"]["wage_mean"].to_list() == [1.5, 2.0]
    assert out["towns"].equals(tables["towns"])
    assert "striking" in EXTENSIVE["enterprise_days"]


def test_turnover_frame_equals_row_by_row_decoding():
    rng = np.random.default_rng(2)
    parts = []
    for month in (1068, 1068, 1069, 1080):
        codes = np.unique(rng.integers(0, 7 * 4 * 12, 30))
        parts.append((month, codes, rng.integers(1, 9, len(codes))))
    rows = []
    for month, codes, counts in parts:
        for c, k in zip(codes.tolist(), counts.tolist(), strict=True):
            rest, fam = divmod(c, len(FAMILY))
            rest, band = divmod(rest, len(AGE_BANDS))
            e, cause = divmod(rest, 4)
            rows.append(
                (
                    dt.date(1900 + month // 12, month % 12 + 1, 1),
                    e,
                    ("hired", "quit", "fired", "retired")[cause],
                    AGE_BANDS[band],
                    FAMILY[fam],
                    k,
                )
            )
    want = pl.DataFrame(rows, schema=SCHEMA, orient="row")
    assert turnover_frame(parts, SCHEMA).equals(want)
    assert turnover_frame([], SCHEMA).equals(pl.DataFrame([], schema=SCHEMA, orient="row"))


def test_scale_world_multiplies_enterprises_and_keeps_sparks_valid():
    base = mutualdep.load_scenario("kuzbass-1989")
    big = scale_world(base, workers=3 * base.total_workers())
    assert big.total_workers() == pytest.approx(3 * base.total_workers(), rel=0.01)
    assert len(big.enterprise_names()) == 3 * len(base.enterprise_names())
    assert set(s.enterprise for s in big.sparks) <= set(big.enterprise_names())
    small = scale_world(base, factor=0.05)
    assert len(small.enterprise_names()) == len(base.enterprise_names())
    assert small.total_workers() == pytest.approx(0.05 * base.total_workers(), rel=0.02)
    with pytest.raises(ValueError):
        scale_world(base)


def test_event_head_counts_are_real_workers_at_scale():
    """small-town's July wave at scale 10: "N out" in strike events equals the recorded real
    strikers of that enterprise on that day, not the agent count."""
    sc = mutualdep.load_scenario("small-town", {"scale": 10, "end": dt.date(1989, 7, 31)})
    result = mutualdep.run(sc, seed=1)
    starts = result.events.filter(pl.col("kind") == "strike_start")
    assert starts.height > 0
    for day, ent, detail in starts.select("date", "enterprise", "detail").rows():
        out = int(detail.split()[0])
        recorded = result.enterprise_days.filter(
            (pl.col("date") == day) & (pl.col("enterprise") == ent)
        )
        assert out % 10 == 0 and out == recorded["striking"].item(), (day, ent, detail)
