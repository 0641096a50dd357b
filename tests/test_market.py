"""The market outside the enterprise (mechanisms/market.py) and arrested strikers held out of
the labour market (state.arrest_days)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from pathlib import Path

import numpy as np
import pytest

import mutualdep
from mdsupport import make_world, scenario_of, simulate, start_strike, tiny_data
from mutualdep.mechanisms.distribution import Distribution
from mutualdep.mechanisms.labour_market import LabourMarket
from mutualdep.mechanisms.market import Market
from mutualdep.mechanisms.state import State
from mutualdep.world import ARRESTED, EMPLOYED, RETIRED, SEEKING

AUG_1 = 31  # the second month start of the tiny scenario (1 July 1989 is day 0)
NO_CHANNELS = {
    "cooperatives": {"scope": 0.0},
    "shadow": {"scope": 0.0},
    "private_plots": {"scope": 0.0},
}
WIDE = {
    "cooperatives": {"scope": 0.3, "premium": 1.0, "housing_years": 3.0},
    "shadow": {"scope": 0.3, "premium": 2.0, "car_years": 0.5},
    "private_plots": {"scope": 0.3, "premium": 0.0},
}


def stakes(market: dict | None, **data) -> np.ndarray:
    """Each worker's stake as the distribution values it at the start (market off if None)."""
    d = tiny_data(**data)
    if market is not None:
        d["market"] = {"enabled": True, **market}
    world = make_world(scenario_of(d), 0)
    if market is not None:
        Market(world)
    Distribution(world)
    w = world.workers
    return w.stake[: w.n].copy()


def test_a_market_without_channels_is_the_old_market_access():
    assert np.array_equal(stakes(NO_CHANNELS), stakes(None))


def test_a_wider_outside_market_lowers_every_stake():
    """Wider channels replace more of the enterprise's goods and give a way to flats and cars
    outside the lists: no one's stake rises and the total falls."""
    narrow, default, wide = stakes(NO_CHANNELS), stakes({}), stakes(WIDE)
    assert (default <= narrow + 1e-3).all() and (wide <= default + 1e-3).all()
    assert wide.sum() < default.sum() < narrow.sum()


def test_goods_access_follows_the_channels_cheapest_first():
    """State shops 0.2 at state prices, then plots 0.3 of the rest free, cooperatives 0.3 of
    the rest at twice the price (worth half), the shadow market 0.3 of the rest at three times
    (worth a third)."""
    d = tiny_data()
    d["market"] = {"enabled": True, **WIDE}
    world = make_world(scenario_of(d), 0)
    Market(world)
    rest = 0.8 * 0.7
    expected = 0.2 + 0.8 * 0.3 + rest * 0.3 / 2 + rest * 0.7 * 0.3 / 3
    assert world.towns.goods_access[0] == pytest.approx(expected)
    # a co-operative flat in 3 years at twice the price, a car in half a year at three times;
    # nothing is sold for holidays or day care (discount rate 0.1)
    assert world.towns.market_alt[0] == pytest.approx([np.exp(-0.3) / 2, np.exp(-0.05) / 3, 0, 0])


def liberalisation_run(reform: bool) -> list[np.ndarray]:
    """The tiny mine with only reforms, the market and the distribution; the stakes at the
    July and August month starts. The reform frees prices on 1 August 1989."""
    d = tiny_data(on=("distribution", "reforms"))
    d["market"] = {"enabled": True}
    if reform:
        d["reforms"] = {
            "timeline": [
                {"date": dt.date(1989, 8, 1), "kind": "price_liberalisation", "value": 1.5}
            ]
        }
    seen = []

    def look(world, day):
        if day in (0, AUG_1):
            seen.append(world.workers.stake[: world.workers.n].copy())

    simulate(scenario_of(d), 0, days=AUG_1 + 1, each_day=look)
    return seen


def test_price_liberalisation_lowers_the_stake_at_its_date():
    """Before the date the runs agree; from it the state shops fill (scope 0.6) and the
    market's premiums shrink with the price level, so every stake in goods falls."""
    (july0, aug0), (july1, aug1) = liberalisation_run(False), liberalisation_run(True)
    assert np.array_equal(july0, july1)
    assert (aug1 <= aug0 + 1e-3).all() and aug1.sum() < 0.9 * aug0.sum()


def test_a_market_opening_widens_the_cooperatives():
    d = tiny_data()
    d["market"] = {"enabled": True}
    world = make_world(scenario_of(d), 0)
    market = Market(world)
    before = world.towns.goods_access[0]
    world.economy.market_opening = 0.2
    market.update(world, AUG_1)
    assert world.towns.goods_access[0] > before


def coupon_world(seed: int, leakage: float):
    d = tiny_data(enterprises=[{"name": "mine", "industry": "coal", "town": "T1", "workers": 3000}])
    d["market"] = {
        "enabled": True,
        "coupons": {
            "enabled": True,
            "per_worker": 1.0,
            "value": 20.0,
            "leakage": leakage,
            "connected_share": 0.1,
        },
    }
    world = make_world(scenario_of(d), seed)
    return world, Market(world)


def connected_share_of_coupons(leakage: float, seeds=range(5)) -> tuple[float, float]:
    """Share of the coupons that went to connected workers, and its expectation given each
    world's households: leakage + (1 - leakage) x the connected workers' share of need."""
    got = expected = total = 0.0
    for seed in seeds:
        world, market = coupon_world(seed, leakage)
        w = world.workers
        ids = np.arange(w.n)
        connected = world.streams.uniform("connected", 0, w.key[ids]) < 0.1
        need = 1.0 + w.married[ids] + w.children[ids]
        for day in (0, AUG_1, AUG_1 + 31):
            market.update(world, day)
            coupons = w.coupons[ids].astype(float)
            got += coupons[connected].sum()
            total += coupons.sum()
            expected += coupons.sum() * (
                leakage + (1 - leakage) * need[connected].sum() / need.sum()
            )
    return got / total, expected / total


def test_coupons_leak_to_the_connected_in_the_stated_share():
    """3,000 workers, one coupon each a month, 3 months x 5 seeds: about 45,000 coupons, so the
    connected workers' share has a standard error near 0.002; tolerance 0.01."""
    share, expected = connected_share_of_coupons(0.3)
    assert share == pytest.approx(expected, abs=0.01)
    assert share > 0.3  # the leaked share and their part of the rest
    share0, expected0 = connected_share_of_coupons(0.0, seeds=range(2))
    assert share0 == pytest.approx(expected0, abs=0.015) and share0 < 0.2
    assert connected_share_of_coupons(1.0, seeds=[0])[0] == 1.0


def test_coupons_are_part_of_the_goods_at_stake():
    d = tiny_data()
    d["market"] = {"enabled": True, **NO_CHANNELS, "coupons": {"enabled": True, "per_worker": 2.0}}
    world = make_world(scenario_of(d), 0)
    Market(world)
    Distribution(world)
    w = world.workers
    with_coupons = w.stake[: w.n].copy()
    assert w.coupons[: w.n].sum() > 0
    assert with_coupons.sum() > stakes(NO_CHANNELS).sum()


def test_tables_with_the_market_off_equal_a_market_without_channels():
    """The mechanism on but with nothing outside the state shops and no coupons leaves every
    table as it is with it off (which is main's: measured when this was built)."""
    overrides = {"end": "1989-03-31"}
    off = mutualdep.run(mutualdep.load_scenario("small-town", overrides), seed=1)
    on = mutualdep.run(
        mutualdep.load_scenario(
            "small-town",
            {
                **overrides,
                "market.enabled": True,
                **{f"market.{c}.scope": 0.0 for c in NO_CHANNELS},
            },
        ),
        seed=1,
    )
    for name in ("enterprise_days", "events", "allocations", "turnover"):
        assert getattr(off, name).equals(getattr(on, name)), name


# ---------------------------------------------------------------------------- arrests


def arrest_world(arrest_days: int):
    """A mine and a steel works in one town with vacancies everywhere; 20 miners on strike
    are all arrested on day 1."""
    d = tiny_data(on=("labour_market", "state"), end=dt.date(1990, 6, 30))
    d["enterprises"] = [
        {"name": "mine", "industry": "coal", "town": "T1", "workers": 200},
        {"name": "works", "industry": "steel", "town": "T1", "workers": 200},
    ]
    d["labour_market"] = {
        "quit_rate": 0.0,
        "fire_rate": 0.0,
        "retire_rate": 0.0,
        "pay_effect": 0.0,
        "fill_rate": 1.0,
    }
    d["state"] = {"arrest_share": 1.0, "dismissal_share": 0.0, "arrest_days": arrest_days}
    world = make_world(scenario_of(d), 0)
    lm, state = LabourMarket(world), State(world)
    w = world.workers
    ids = np.flatnonzero(w.enterprise[: w.n] == 0)[:20]
    start_strike(world, ids)
    world.day = 1
    state._arrest_and_dismiss(world, 1, np.array([0]))
    return world, lm, ids


def test_an_arrested_striker_is_held_then_released_as_a_job_seeker():
    """Held 15 days from day 1: never employed or hired while held, even with the works
    short of hands every day; released on day 16 and taken on there (fill_rate 1)."""
    world, lm, ids = arrest_world(15)
    w = world.workers
    works_shops = np.flatnonzero(world.shop_enterprise == 1)
    for day in range(1, 25):
        world.day = day
        world.shop_target[works_shops] = world.shops.workers[works_shops] + 5  # vacancies
        lm.step(world, day)
        status = w.status[ids]
        if day < 16:
            assert (status == ARRESTED).all(), day
            assert not world.employed()[ids].any()
        else:
            assert np.isin(status, (SEEKING, EMPLOYED)).all(), day
        # every worker is employed, seeking, arrested or retired; headcounts balance
        assert np.isin(w.status[: w.n], (EMPLOYED, SEEKING, ARRESTED, RETIRED)).all()
        emp = world.employed()
        assert np.array_equal(
            world.shops.workers, np.bincount(w.shop[: w.n][emp], minlength=world.n_shops)
        )
    assert (w.hired[ids] >= 16).all() and (w.status[ids] == EMPLOYED).all()
    assert (w.enterprise[ids] == 1).all()  # never back at the mine that had them arrested
    assert world.enterprises.fired.sum() == 0  # today's flows; the arrests were counted day 1


def test_arrests_count_as_firings_and_zero_days_release_at_once():
    world, lm, ids = arrest_world(0)
    w = world.workers
    lm.step(world, 1)
    assert world.enterprises.fired.tolist() == [20, 0]
    assert (w.status[ids] != ARRESTED).all()


# ---------------------------------------------------------------------------- the comparison


def test_the_mixed_economy_validates_runs_and_widens_the_market():
    sc = mutualdep.load_scenario("mixed-economy-1989", {"scale": 50, "end": "1989-02-28"})
    assert sc.market.enabled and sc.industries["steel"].social.housing == 20
    world, result, _ = simulate(sc, 0)
    assert result.enterprise_days.height > 0
    base = mutualdep.load_scenario("kuzbass-1989", {"scale": 50, "end": "1989-02-28"})
    base_world, _, _ = simulate(base, 0)
    w, b = world.workers, base_world.workers
    assert (world.towns.goods_access > base_world.towns.goods_access).all()
    assert w.dependence[: w.n][world.employed()].mean() < (
        b.dependence[: b.n][base_world.employed()].mean()
    )


def test_the_docs_example_runs_and_the_stake_falls_with_freed_prices():
    """docs/market.md's Python example, as written: with the market on, the mean stake falls
    across the price liberalisation of January 1992; with it off, it does not."""
    page = (Path(__file__).parents[1] / "docs" / "market.md").read_text()
    code = page.split("```python\n", 1)[1].split("```", 1)[0]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "docs/market.md", "exec"), {})
    stakes = {}
    for line in out.getvalue().splitlines():
        state, numbers = line.split(": mean stake ")
        before, after = (
            float(x.replace(",", "")) for x in numbers.split(" rubles")[0].split(" -> ")
        )
        stakes[state.split()[1]] = (before, after)
    assert set(stakes) == {"on", "off"}
    assert stakes["on"][1] < stakes["on"][0]
    assert stakes["off"][1] >= stakes["off"][0]
