"""Reforms change what they say, for whom they say, on their date (and not the day before)."""

from __future__ import annotations

import datetime as dt
import typing

import numpy as np
import polars as pl
import pytest

import mutualdep
from mdsupport import scenario_of, simulate, tiny_data
from mutualdep.scenario import Reform

DATE = dt.date(1989, 8, 10)


def reform_data(reform: dict, on=("reforms",)) -> dict:
    data = tiny_data(on=on, end=dt.date(1989, 8, 20))
    data["enterprises"] = [
        {"name": "mine", "industry": "coal", "town": "T1", "workers": 40},
        {"name": "works", "industry": "steel", "town": "T1", "workers": 40},
    ]
    data["reforms"] = {**data.get("reforms", {}), "timeline": [{"date": DATE, **reform}]}
    return data


def snapshot(world) -> dict:
    return {
        "self_financing": world.industries.self_financing.copy(),
        "shop_cost_accounting": world.economy.shop_cost_accounting,
        "openness": world.economy.openness,
        "published": world.ent_published.copy(),
        "single_line": world.ent_single_line.copy(),
        "price_index": world.economy.price_index,
        "price_to_cost": world.industries.price_to_cost.copy(),
        "raise": world.regions.pay_raise.copy(),
        "wage_factor": world.enterprises.wage_factor.copy(),
        "strike_fund": world.economy.strike_fund,
        "ownership": world.enterprises.ownership.copy(),
        "labour_factor": world.economy.labour_factor,
        "welfare": world.economy.welfare,
        "prices_free": world.economy.prices_free,
        "market_opening": world.economy.market_opening,
    }


# reform, what it changes: key -> value on its date (everything else stays as it was)
CASES = {
    "self_financing": (
        {"kind": "self_financing", "industry": "coal"},
        {"self_financing": [True, False]},
    ),
    "shop_cost_accounting": ({"kind": "shop_cost_accounting"}, {"shop_cost_accounting": True}),
    "openness": ({"kind": "openness", "value": 0.2}, {"openness": 0.2}),
    "publish_distribution": (
        {"kind": "publish_distribution", "enterprise": "works"},
        {"published": [False, True]},
    ),
    "single_line": ({"kind": "single_line", "industry": "steel"}, {"single_line": [False, True]}),
    "price_liberalisation": (
        {"kind": "price_liberalisation", "value": 1.0},
        {"price_index": 2.0, "price_to_cost": [1.0, 1.5], "prices_free": True},
    ),
    "market_opening": ({"kind": "market_opening", "value": 0.2}, {"market_opening": 0.2}),
    "wage_change": (
        {"kind": "wage_change", "industry": "coal", "value": 0.2},
        {"wage_factor": [1.2, 1.0]},
    ),
    "strike_fund": ({"kind": "strike_fund", "value": 0.3}, {"strike_fund": 0.3}),
    "privatisation": (
        {"kind": "privatisation", "enterprise": "mine", "value": 500.0},
        {"ownership": [500.0, 0.0]},
    ),
    "labour_surplus": ({"kind": "labour_surplus", "value": 2.0}, {"labour_factor": 2.0}),
    "welfare_takeover": ({"kind": "welfare_takeover", "value": 0.5}, {"welfare": 0.5}),
}


def test_every_reform_kind_is_covered():
    kinds = set(typing.get_args(Reform.model_fields["kind"].annotation))
    assert kinds == set(CASES) | {"closure"}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_reform_takes_effect_on_its_date(kind):
    reform, changes = CASES[kind]
    sc = scenario_of(reform_data(reform))
    day = (DATE - sc.start).days
    snaps = {}
    world, result, _ = simulate(sc, seed=0, each_day=lambda w, d: snaps.__setitem__(d, snapshot(w)))
    first, before, on = snaps[0], snaps[day - 1], snaps[day]
    for key in first:
        assert np.array_equal(before[key], first[key]), f"{key} changed before the reform's date"
        if key in changes:
            assert np.allclose(on[key], changes[key]), f"{key}: {on[key]} != {changes[key]}"
            assert not np.array_equal(on[key], first[key])
        else:
            assert np.array_equal(on[key], first[key]), (
                f"{key} changed, but the reform does not say so"
            )
    reforms = result.events.filter(pl.col("kind") == "reform")
    assert reforms["date"].to_list() == [DATE]
    assert reforms["detail"][0].startswith(kind)


def test_reform_dated_before_the_start_is_in_force_from_day_one():
    data = reform_data({"kind": "strike_fund", "value": 0.3})
    data["reforms"]["timeline"][0]["date"] = dt.date(1985, 1, 1)
    snaps = {}
    simulate(
        scenario_of(data), seed=0, days=2, each_day=lambda w, d: snaps.__setitem__(d, snapshot(w))
    )
    assert snaps[0]["strike_fund"] == 0.3


def test_closure_dismisses_everyone_on_its_date_and_nobody_is_hired_back():
    data = reform_data({"kind": "closure", "enterprise": "works"}, on=("reforms", "labour_market"))
    result = mutualdep.run(scenario_of(data), seed=0)
    ed = result.enterprise_days.sort("date")
    works = ed.filter(pl.col("enterprise") == 1)
    on = works.filter(pl.col("date") == DATE).row(0, named=True)
    before = works.filter(pl.col("date") == DATE - dt.timedelta(days=1)).row(0, named=True)
    assert before["workers"] > 0
    assert on["workers"] == 0
    assert on["fired"] > 0
    assert before["workers"] - on["fired"] - on["quits"] - on["retired"] + on["hires"] == 0
    assert (works.filter(pl.col("date") >= DATE)["workers"] == 0).all()
    assert (works.filter(pl.col("date") > DATE)["hires"] == 0).all()
    mine = ed.filter((pl.col("enterprise") == 0) & (pl.col("date") >= DATE))
    assert (mine["workers"] > 0).all()
    closure = result.events.filter(pl.col("kind") == "closure")
    assert closure["enterprise"].to_list() == [1] and closure["date"].to_list() == [DATE]


def test_publishing_raises_grievance_of_those_who_are_not_favoured():
    data = reform_data({"kind": "publish_distribution"}, on=("reforms", "grievance"))
    data["reforms"]["timeline"][0]["date"] = dt.date(1989, 7, 15)
    data["grievance"] = {"noise": 0.0}
    world_pub, _, _ = simulate(scenario_of(data), seed=0, days=40)  # through the 1 August recompute
    data["reforms"]["enabled"] = False
    world_not, _, _ = simulate(scenario_of(data), seed=0, days=40)
    n = world_pub.workers.n
    g_pub, g_not = world_pub.workers.grievance[:n], world_not.workers.grievance[:n]
    assert (g_pub >= g_not).all()
    favoured = world_pub.ent_privileged[
        world_pub.workers.enterprise[:n], world_pub.workers.occupation[:n]
    ]
    unfavoured = ~favoured & ~world_pub.workers.exemplary[:n] & (g_not < 1)
    assert unfavoured.any()
    assert (g_pub[unfavoured] > g_not[unfavoured]).all()


def test_a_wage_change_for_one_enterprise_changes_only_its_pay():
    """A decree for one mine raises that mine's pay, not its industry's in every region."""
    data = reform_data(
        {"kind": "wage_change", "enterprise": "mine", "value": 0.2}, on=("reforms", "pay")
    )
    data["enterprises"].append({"name": "mine B", "industry": "coal", "town": "T1", "workers": 40})
    data["reforms"]["timeline"][0]["date"] = dt.date(1989, 7, 1)
    plain = reform_data(
        {"kind": "wage_change", "enterprise": "mine", "value": 0.0}, on=("reforms", "pay")
    )
    plain["enterprises"] = data["enterprises"]
    plain["reforms"]["timeline"][0]["date"] = dt.date(1989, 7, 1)
    pay = {}
    for name, d in (("raised", data), ("plain", plain)):
        world, _, _ = simulate(scenario_of(d), seed=1, days=31)
        w = world.workers
        pay[name] = {e: w.wage[: w.n][w.enterprise[: w.n] == e] for e in range(3)}
    assert pay["raised"][0] == pytest.approx(1.2 * pay["plain"][0], rel=1e-6)
    for other in (1, 2):  # the works, and the other mine of the same industry and region
        assert np.array_equal(pay["raised"][other], pay["plain"][other])
