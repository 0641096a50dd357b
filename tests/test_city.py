"""The city soviet and the company town: the city's fund and list, staff who leave for lack of
a flat, and a closed company-town enterprise taking the town's day care with it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import mutualdep
from mdsupport import make_world, scenario_of, tiny_data
from mutualdep.mechanisms.city import City
from mutualdep.world import DAYCARE, HOUSING, NOT_ON_LIST, OWN_FLAT, QUIT

AUG_1 = 31  # a month start of the tiny scenario (1 July 1989 is day 0)


def town_data(company: bool = True, **city) -> dict:
    """A steel works and the city's services (teachers, cooks) in one town."""
    data = tiny_data(on=("city",))
    data["industries"]["service"] = {
        "output_per_worker_year": 1.0,
        "price_to_cost": 1.0,
        "social": {"housing": 0, "car": 0, "voucher": 0, "daycare": 0, "goods": 0},
        "shops": [{"kind": "town services", "share": 1.0, "occupations": {"cook": 1.0}}],
    }
    data["towns"][0]["company_town"] = company
    data["enterprises"] = [
        {"name": "works", "industry": "steel", "town": "T1", "workers": 300},
        {"name": "services", "industry": "service", "town": "T1", "workers": 100},
    ]
    data["city"] = {"enabled": True, "leave_rate": 0.0, "flat_cost": 20000.0, **city}
    return data


def city_world(**city):
    world = make_world(scenario_of(town_data(**city)), 0)
    w = world.workers
    staff = np.flatnonzero(w.enterprise[: w.n] == 1)
    w.applied[HOUSING, : w.n] = NOT_ON_LIST
    w.housing[staff] = 0
    w.applied[HOUSING, staff] = -1000 + np.arange(len(staff))  # the lowest ids waited longest
    return world, City(world), staff


def test_the_citys_share_of_profit_buys_flats_for_its_longest_waiting_staff():
    """Half of 400,000 rubles of profit at 20,000 rubles a flat is exactly 10 flats; the works'
    own workers are not on the city's list."""
    world, city, staff = city_world(profit_share=0.5, flat_share=0.0)
    world.enterprises.profit[:] = [400_000.0, 0.0]
    w = world.workers
    before = w.housing[: w.n].copy()
    city.step(world, AUG_1)
    housed = np.flatnonzero((w.housing[: w.n] == OWN_FLAT) & (before != OWN_FLAT))
    assert housed.tolist() == staff[:10].tolist()
    assert (w.applied[HOUSING, housed] == NOT_ON_LIST).all()
    assert world.towns.city_fund[0] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("self_financing", [False, True])
def test_the_flats_a_plant_passes_to_the_city_stop_under_self_financing(self_financing):
    """The works builds 40 flats per 1,000 workers a year: 300 workers, 10 percent, a month is
    0.1 flats' worth of rubles, 2,000; on self-financing it passes none."""
    world, city, _ = city_world(profit_share=0.0, flat_share=0.1)
    world.industries.self_financing[world.industry_names.index("steel")] = self_financing
    city.step(world, AUG_1)
    want = 0.0 if self_financing else 0.1 * 40 / 1000 * 300 / 12 * 20000
    assert world.towns.city_fund[0] == pytest.approx(want)


def test_city_staff_without_a_flat_leave_and_seek_work():
    world, city, staff = city_world(profit_share=0.0, flat_share=0.0, leave_rate=1.0)
    city.step(world, AUG_1)
    (request,) = world.messages.exit_requests
    assert sorted(request.ids.tolist()) == staff.tolist() and request.cause == QUIT
    world2, city2, _ = city_world(profit_share=0.0, flat_share=0.0, leave_rate=0.0)
    city2.step(world2, AUG_1)
    assert world2.messages.exit_requests == []


@pytest.mark.parametrize("company", [True, False])
def test_a_closed_company_town_enterprise_takes_the_towns_day_care(company):
    world, city, staff = city_world(company=company)
    w = world.workers
    w.daycare_place[: w.n] = True
    w.applied[DAYCARE, staff] = 5
    world.shop_target[world.shop_enterprise == 0] = 0  # the works closes
    city.step(world, 3)
    if company:
        assert not w.daycare_place[: w.n].any()  # the city's own staff lose theirs too
        assert (w.applied[DAYCARE, staff] == NOT_ON_LIST).all()
        assert world.towns.provider_closed[0]
    else:
        assert w.daycare_place[: w.n].all()


def test_magnitogorsk_runs_its_city_on_the_sources_figures():
    sc = mutualdep.load_scenario("magnitogorsk", {"end": dt.date(1989, 12, 31), "scale": 20})
    assert sc.city.enabled and sc.city.profit_share == 0.06 and sc.city.flat_share == 0.1
    result = mutualdep.run(sc, seed=0)
    kinds = set(result.events["kind"].to_list())
    assert {"city_flats", "city_staff_left"} <= kinds
    off = mutualdep.load_scenario(
        "magnitogorsk", {"end": dt.date(1989, 12, 31), "scale": 20, "city.enabled": False}
    )
    assert "city_flats" not in set(mutualdep.run(off, seed=0).events["kind"].to_list())
