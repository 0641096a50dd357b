"""The union that distributes (institutions.union_goods), the scandal that empties the
official union once the lists are published (institutions.scandal), coupon goods on the black
market (market.coupons.black_market) and the director whose office keeps him in command
(institutions.office_command): tiny worlds where the answer is known."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from mdsupport import make_world, scenario_of, tiny_data
from mutualdep.mechanisms.collective_action import CollectiveAction
from mutualdep.mechanisms.distribution import Distribution
from mutualdep.mechanisms.institutions import Institutions
from mutualdep.mechanisms.management import Management
from mutualdep.mechanisms.market import Market
from mutualdep.shared_state import NO_UNION, OFFICIAL
from mutualdep.world import NOT_ON_LIST, VOUCHER

NO_CHANNELS = {c: {"scope": 0.0} for c in ("cooperatives", "shadow", "private_plots")}


def mine(workers=1000, union_goods=None, market=None, enterprises=None, **institutions):
    """A mine (or the given enterprises) with the institutions on, every other mechanism off;
    strikers weigh the gain by their own enterprise's prospect of taking control."""
    data = tiny_data(on=(), end=dt.date(1990, 12, 31))
    data["collective_action"]["gain_in_own_enterprise"] = True
    data["enterprises"] = enterprises or [
        {"name": "mine", "industry": "coal", "town": "T1", "workers": workers}
    ]
    data["institutions"] = {"enabled": True, **institutions}
    if union_goods is not None:
        data["institutions"]["union_goods"] = {"enabled": True, **union_goods}
    if market is not None:
        data["market"] = {"enabled": True, **market}
    world = make_world(scenario_of(data), 0)
    w = world.workers
    w.exemplary[: w.n] = False
    w.applied[VOUCHER, : w.n] = -100 - np.arange(w.n)  # everyone waits, the last id longest
    return world


def month_starts(world, n):
    return [int(d) for d in np.flatnonzero(world.calendar.month_start)[1 : n + 1]]


def served_vouchers(world, day=10) -> np.ndarray:
    """Ids handed a voucher down the list on ``day`` (their application re-dated to it)."""
    Distribution(world).allocate(world, day, VOUCHER)
    w = world.workers
    return np.flatnonzero(w.applied[VOUCHER, : w.n] == day)


def test_a_non_member_gets_no_voucher_from_the_union_list():
    """Half the mine leaves the union; the non-members waited longest. With the union's goods
    on, all 90 vouchers that reach the list (a tenth of the 100 leaks) go to members; off, the
    non-members at the head of the line get them."""
    for enabled in (True, False):
        world = mine(union_goods={"enabled": enabled})
        w = world.workers
        w.union[500:1000] = NO_UNION
        got = served_vouchers(world)
        assert len(got) == 90
        if enabled:
            assert (w.union[got] == OFFICIAL).all()
        else:
            assert (w.union[got] == NO_UNION).all()  # the longest waits, ids 910-999


def test_a_member_who_leaves_loses_his_voucher_place():
    """A starved union has nothing to hand out: every member drifts to none (switch rate 1)
    and goes to the back of the voucher line, where he stays when he rejoins."""
    world = mine(union_goods={}, switch_rate=1.0, starve_funding=0.5)
    inst = Institutions(world)
    w = world.workers
    w.applied[VOUCHER, 0] = NOT_ON_LIST  # not on the list: stays off it
    first, second = month_starts(world, 2)
    world.enterprises.funding[:] = 0.4
    inst.step(world, first)
    assert (w.union[: w.n] == NO_UNION).all()
    assert (w.applied[VOUCHER, 1 : w.n] == first).all()
    assert w.applied[VOUCHER, 0] == NOT_ON_LIST
    assert len(served_vouchers(world)) == 0  # nobody is a member: nobody on the union's list
    world.enterprises.funding[:] = 1.0
    inst.step(world, second)
    assert (w.union[: w.n] == OFFICIAL).all()
    assert (w.applied[VOUCHER, 1 : w.n] == first).all()  # back in, at the back


def test_leaving_a_union_that_lost_the_lists_costs_no_place():
    """A member of the old union, where the new one holds the lists, joins the new one with his
    place kept: he left no union that held them."""
    world = mine(union_goods={}, switch_rate=1.0)
    inst = Institutions(world)
    w = world.workers
    before = w.applied[VOUCHER, : w.n].copy()
    world.enterprises.director_removed[0] = 5
    inst.step(world, 6)
    inst.step(world, month_starts(world, 1)[0])
    assert (w.union[: w.n] != OFFICIAL).all()
    assert np.array_equal(w.applied[VOUCHER, : w.n], before)


def test_a_members_stake_exceeds_a_non_members_by_what_he_would_lose():
    """Worker 999 heads the voucher line. Out of the union he loses that place and the union's
    half of the goods: his at_risk falls by the place's value against a fresh place at the back
    of the general line plus the goods a sanction withdraws, his stake by the place's value
    against the city's wait plus the goods a leaver loses (the valuation of distribution)."""
    world = mine(union_goods={"goods_share": 0.5})
    w = world.workers
    d = Distribution(world)
    day = month_starts(world, 1)[0]
    i = 999
    d._monthly(world, day)
    member = w.at_risk[i], w.stake[i]
    supply = d.supply_per_year(world)[0, VOUCHER] * (1 - d.p.leakage)
    on_list = int((w.applied[VOUCHER, : w.n] != NOT_ON_LIST).sum())
    w.union[i] = NO_UNION
    d._monthly(world, day)
    r, value = d.p.discount_rate, d.value[VOUCHER]
    outside = 1 - world.towns.goods_access[0]
    goods = d.p.goods_horizon_months * 0.5 * d.goods_per_worker(world)[0] * outside
    fresh = on_list / supply  # years to the head of the line from its back
    assert member[0] - w.at_risk[i] == pytest.approx(value * (1 - np.exp(-r * fresh)) + goods)
    city = np.exp(-r * d.restart[VOUCHER])
    assert member[1] - w.stake[i] == pytest.approx(value * (1 - city) + goods)
    assert goods > 0 and member[0] > w.at_risk[i]


def test_the_union_hands_its_coupons_to_its_members_only():
    """1,000 coupons a month, the union issues half: members, half the mine, get their 500 and
    a share of the rest; with the union issuing all, non-members get none."""
    coupons = {"enabled": True, "per_worker": 1.0, "leakage": 0.0, "value": 10.0}
    for share, outsiders_max in ((0.5, 500), (1.0, 0)):
        world = mine(union_goods={"coupon_share": share}, market={"coupons": coupons})
        w = world.workers
        w.union[500:1000] = NO_UNION
        Market(world)
        got = w.coupons[: w.n] / 10.0
        assert got.sum() == 1000
        assert got[500:].sum() <= outsiders_max and got[:500].sum() >= 1000 - outsiders_max


def test_publication_makes_the_official_union_shrink():
    """Two mines; the first's lists are published. With the scandal on (rate 0.2, no rejoining)
    its official union keeps 0.8^k of its members after k months (binomial, within 4 standard
    deviations); the unpublished mine's keeps everyone, as does the published one's without
    the scandal."""
    ents = [
        {"name": "mine", "industry": "coal", "town": "T1", "workers": 1000, "published": True},
        {"name": "other", "industry": "coal", "town": "T1", "workers": 1000},
    ]
    for enabled in (True, False):
        world = mine(enterprises=ents, switch_rate=0.0, scandal={"enabled": enabled, "rate": 0.2})
        inst = Institutions(world)
        w = world.workers
        for day in month_starts(world, 4):
            inst.step(world, day)
        official = w.union[: w.n] == OFFICIAL
        published = w.enterprise[: w.n] == 0
        assert official[~published].all()
        if enabled:
            kept = int(official[published].sum())
            mean = 1000 * 0.8**4
            assert abs(kept - mean) < 4 * np.sqrt(mean * (1 - 0.8**4))
        else:
            assert official[published].all()


def test_leaked_coupons_widen_the_shadow_market_exactly():
    """40 miners, one coupon (20 rubles) each a month, everyone connected; only the state
    shops (scope m) and the shadow market at three times the state price. The leaked L x 40
    coupons' rubles over the goods handed out (own goods + coupons) widen the shadow scope, so
    goods access is m + (1 - m) x that share / 3; more leakage, more access."""
    access = []
    for leakage in (0.0, 0.25, 0.5):
        coupons = {
            "enabled": True,
            "per_worker": 1.0,
            "value": 20.0,
            "leakage": leakage,
            "connected_share": 1.0,
            "black_market": True,
        }
        market = {**NO_CHANNELS, "shadow": {"scope": 0.0, "premium": 2.0}, "coupons": coupons}
        world = mine(workers=40, market=market)
        Market(world)
        m = world.town_market_access[0]
        own = 10.0 * world.ent_social_scale[0] * world.enterprises.funding[0]
        share = 40 * leakage * 20.0 / (40 * own + 40 * 20.0)
        assert world.towns.goods_access[0] == pytest.approx(m + (1 - m) * share / 3)
        access.append(world.towns.goods_access[0])
    assert access[0] < access[1] < access[2]


def office_holder(enabled: bool, removal_share: float = 0.95):
    """The mine's director has won an office (sure chance, from the start of July 1989)."""
    world = mine(
        workers=200,
        office_largesse=0.0,
        office_chance=1.0,
        office_from="1989-07-01",
        office_command={"enabled": enabled, "removal_share": removal_share},
    )
    inst = Institutions(world)
    day = month_starts(world, 1)[0]
    world.day = day
    inst.step(world, day)
    assert [e for e in world.records.events if e[1] == "director_to_office"]
    return world


def test_a_director_in_office_survives_a_win_that_would_remove_another():
    """90 percent out at a win removes an ordinary director (bar 0.8) but not one in office
    with the office bar 0.95; 96 percent removes him too."""
    removed = {}
    for enabled, share in ((False, 0.9), (True, 0.9), (True, 0.96)):
        world = office_holder(enabled)
        w = world.workers
        Management(world)._after_win(world, 0, share, np.arange(w.n))
        removed[enabled, share] = world.enterprises.director_removed[0] >= 0
    assert removed == {(False, 0.9): True, (True, 0.9): False, (True, 0.96): True}


def test_a_director_in_office_weighs_on_what_strikers_expect_to_win():
    """With the gain weighed by the chance one's own enterprise takes control, 80 percent out
    delivers the whole win against the ordinary bar, (0.8 / 0.95)^a against the office's."""
    prospects = {}
    for enabled in (False, True):
        world = office_holder(enabled)
        ca = CollectiveAction(world)
        prospects[enabled] = float(ca._prospect(world, np.array([0.8]))[0])
    a = world.scenario.collective_action.prospect_curve
    assert prospects[False] == 1.0
    assert prospects[True] == pytest.approx((0.8 / 0.95) ** a)
