"""The decision to strike: strike fund, sparks and initiators, spread switched off."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

import mutualdep
from mdsupport import make_world, scenario_of, simulate, tiny_data
from mutualdep.mechanisms.collective_action import CollectiveAction


def fund_world(fund: float, seed: int = 0):
    data = tiny_data(on=("collective_action", "distribution"))
    data["enterprises"] = [{"name": "mine", "industry": "coal", "town": "T1", "workers": 200}]
    data["collective_action"] = {"strike_fund": fund, "win_value": 600.0, "risk_mean": 200.0}
    world = make_world(scenario_of(data), seed)
    ca = CollectiveAction(world)
    return world, ca


@pytest.mark.parametrize("fund", [0.25, 0.5, 1.0])
def test_strike_fund_lowers_the_pay_at_risk_in_proportion(fund):
    world0, _ = fund_world(0.0)
    world1, _ = fund_world(fund)
    n = world0.workers.n
    base = world0.workers.pay_cost[:n]
    assert (base > 0).all()
    assert world1.workers.pay_cost[:n] == pytest.approx(base * (1 - fund), rel=1e-5)


def test_strike_fund_lowers_thresholds_of_everyone_who_would_ever_strike():
    world0, ca0 = fund_world(0.0)
    world1, ca1 = fund_world(0.5)
    idx = np.flatnonzero(world0.employed())
    everyone = np.ones(world0.n_enterprises)  # the best case for joining: all out
    theta0 = ca0.thresholds_of(world0, idx, out_share=everyone)
    theta1 = ca1.thresholds_of(world1, idx, out_share=everyone)
    willing = theta0 <= 1.0
    assert willing.sum() >= 5  # the test world has people who would strike
    assert (theta1[willing] < theta0[willing]).all()
    # more people are willing to strike at some participation with a fund than without
    assert (theta1 <= 1.0).sum() > willing.sum()


def test_strike_fund_reform_lowers_pay_at_risk_from_its_month():
    data = tiny_data(on=("collective_action", "reforms"))
    data["reforms"] = {
        "timeline": [{"date": dt.date(1989, 8, 1), "kind": "strike_fund", "value": 0.4}]
    }
    seen = {}

    def look(world, day):
        seen[day] = (world.economy.strike_fund, world.workers.pay_cost[: world.workers.n].copy())

    simulate(scenario_of(data), seed=0, days=40, each_day=look)
    july, aug = 30, 31  # 31 July and 1 August
    assert seen[july][0] == 0.0 and seen[aug][0] == 0.4
    assert seen[aug][1] == pytest.approx(seen[july][1] * 0.6, rel=1e-5)


def small_town(**overrides):
    base = {
        "spread.enabled": False,
        "collective_action.spark_rate": 0.0,
        "end": dt.date(1989, 7, 31),
    }
    base.update(overrides)
    return mutualdep.load_scenario("small-town", base)


def test_with_spread_off_a_spark_stays_in_its_enterprise():
    result = mutualdep.run(small_town(), seed=1)
    ed = result.enterprise_days
    names = result.enterprises["name"].to_list()
    sparked = names.index("Shakhtyorsk mine 1")
    struck = ed.group_by("enterprise").agg(pl.col("striking").max()).sort("enterprise")
    assert struck.filter(pl.col("enterprise") == sparked)["striking"][0] > 0
    assert (struck.filter(pl.col("enterprise") != sparked)["striking"] == 0).all()
    # and it starts on the day of the spark, not before
    before = ed.filter(pl.col("date") < dt.date(1989, 7, 10))
    assert (before["striking"] == 0).all()
    assert (
        ed.filter((pl.col("date") == dt.date(1989, 7, 10)) & (pl.col("enterprise") == sparked))[
            "striking"
        ][0]
        > 0
    )
    # the spark and the strike are events of that enterprise
    ev = result.events
    assert ev.filter(pl.col("kind") == "spark")["enterprise"].to_list() == [sparked]
    assert sparked in ev.filter(pl.col("kind") == "strike_start")["enterprise"].to_list()


def test_spark_marks_initiators_only_in_the_sparked_brigades():
    sc = small_town(end=dt.date(1989, 7, 10))
    world, _, phases = simulate(sc, seed=1)
    w = world.workers
    n = w.n
    initiators = np.flatnonzero(w.initiator[:n])
    assert 0 < len(initiators)
    brigades = np.unique(w.brigade[initiators])
    assert len(brigades) <= sc.sparks[0].brigades
    mine1 = world.enterprise_names.index("Shakhtyorsk mine 1")
    face = world.shop_kinds.index("face")
    assert (w.enterprise[initiators] == mine1).all()
    assert (world.shop_kind[w.shop[initiators]] == face).all()
    assert w.striking[initiators].all()


def test_no_spark_no_strike():
    result = mutualdep.run(small_town(sparks=[]), seed=1)
    assert (result.enterprise_days["striking"] == 0).all()
    assert result.events.filter(pl.col("kind").is_in(["spark", "strike_start"])).height == 0
