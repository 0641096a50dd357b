"""Distribution through lists: order by rule, no unit twice, leakage, losing one's place."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

import mutualdep
from mdsupport import make_world, scenario_of, simulate, tiny_data
from mutualdep.mechanisms.distribution import Distribution
from mutualdep.mechanisms.labour_market import resolve_exits
from mutualdep.world import (
    CAR,
    DAYCARE,
    FIRED,
    HOUSING,
    NOT_ON_LIST,
    OWN_FLAT,
    QUIT,
    RETIRED,
    SEEKING,
    SHARED,
    VOUCHER,
)

DAY = 40  # any day of the run; allocation is called directly


def list_world(
    rule: str = "privileged",
    leakage: float = 0.0,
    seed: int = 0,
    mine: bool = False,
    quota: float = 0.5,
):
    """A steel works of 40 (fitters privileged) that gets exactly 5 flats a year; optionally a mine
    of 40 next to it that gets exactly 2. Everyone is then put unhoused on the housing list with
    his own application date (after the mechanism's set-up, which replays past allocations)."""
    data = tiny_data(on=("distribution",))
    data["industries"]["steel"]["social"]["housing"] = 125  # 125 per 1,000 x 40 workers = 5 flats
    data["industries"]["coal"]["social"]["housing"] = 50  # 2 flats
    data["enterprises"] = [{"name": "works", "industry": "steel", "town": "T1", "workers": 40}]
    if mine:
        data["enterprises"].append(
            {"name": "mine", "industry": "coal", "town": "T1", "workers": 40}
        )
    data["distribution"] = {"rule": rule, "leakage": leakage, "privileged_quota": quota}
    world = make_world(scenario_of(data), seed)
    world.day = DAY
    dist = Distribution(world)
    w = world.workers
    n = w.n
    rng = np.random.default_rng(seed)
    w.housing[:n] = SHARED
    w.applied[HOUSING, :n] = -3000 + 10 * rng.permutation(n)
    w.exemplary[:n] = False
    return world, dist


def priority_of(world, i: int, by_rule: bool) -> int:
    """0 exemplary, 1 privileged occupation (fitters
    in steel), 2 everyone else; 2 on a single line."""
    w = world.workers
    if not by_rule:
        return 2
    if w.exemplary[i]:
        return 0
    fitter = world.occupation_names.index("fitter")
    steel = world.industry_names[world.ent_industry[w.enterprise[i]]] == "steel"
    return 1 if (w.occupation[i] == fitter and steel) else 2


def expected_order(world, ids: np.ndarray, by_rule: bool) -> list[int]:
    """Independent statement of the line: priority class, then date of application."""
    w = world.workers
    return [
        i
        for _, _, i in sorted(
            (priority_of(world, i, by_rule), int(w.applied[HOUSING, i]), i) for i in ids.tolist()
        )
    ]


def expected_recipients(
    world, ids: np.ndarray, units: int, quota: float, by_rule: bool
) -> list[int]:
    """Privileged rule: round(quota x units) go down the priority line (exemplary, then privileged
    occupations, by date), capped by its length; the rest go to everyone else by date.
    Single line, or no quota: the first ``units`` by date."""
    if not by_rule or quota == 0:
        return expected_order(world, ids, False)[:units]
    order = expected_order(world, ids, by_rule)
    priority = [i for i in order if priority_of(world, i, True) < 2]
    general = [i for i in order if priority_of(world, i, True) == 2]
    k = min(int(np.floor(units * quota + 0.5)), len(priority))
    return priority[:k] + general[: units - k]


def recipients(world, before_applied: np.ndarray) -> np.ndarray:
    w = world.workers
    now = w.applied[HOUSING, : w.n]
    return np.flatnonzero((before_applied != NOT_ON_LIST) & (now == NOT_ON_LIST))


def test_supply_is_exactly_five_flats():
    world, dist = list_world()
    assert dist.supply_per_year(world)[0, HOUSING] == 5.0


@pytest.mark.parametrize("quota", [0.0, 0.5, 1.0])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_privileged_rule_exemplary_then_privileged_then_by_date(seed, quota):
    world, dist = list_world("privileged", seed=seed, quota=quota)
    w = world.workers
    n = w.n
    fitter = world.occupation_names.index("fitter")
    fitters = np.flatnonzero(w.occupation[:n] == fitter)
    others = np.flatnonzero(w.occupation[:n] != fitter)
    assert len(fitters) >= 6 and len(others) >= 6
    # two exemplary workers who applied late, among the non-privileged
    late_others = others[np.argsort(w.applied[HOUSING, others])[-2:]]
    w.exemplary[late_others] = True
    want = expected_recipients(world, np.arange(n), 5, quota, by_rule=True)
    before = w.applied[HOUSING, :n].copy()
    dist.allocate(world, DAY, HOUSING)
    got = recipients(world, before)
    assert sorted(got.tolist()) == sorted(want)
    assert len(got) == 5
    assert (w.housing[got] == OWN_FLAT).all()
    n_priority = min(int(np.floor(5 * quota + 0.5)), 5)
    # the exemplary jump the line first: late applicants, yet housed whenever the line has units
    assert (set(late_others.tolist()) <= set(got.tolist())) == (n_priority >= 2)
    # the allocations rows count the five and say who came down the priority line
    rows = [r for r in world.records.allocations if r[2] == "housing"]
    assert sum(r[5] for r in rows) == 5
    assert sum(r[5] for r in rows if r[4]) == n_priority
    fitter_got = [
        i for i in got if w.occupation[i] == fitter and priority_of(world, i, quota > 0) == 1
    ]
    if fitter_got:
        waits = {(r[3], r[4]): r[6] for r in rows}
        assert waits[("fitter", True)] == pytest.approx(
            np.mean([(DAY - before[i]) / 365.25 for i in fitter_got])
        )


def test_units_the_priority_line_cannot_use_pass_to_the_general_line():
    world, dist = list_world("privileged", seed=3, quota=1.0)
    w = world.workers
    n = w.n
    world.ent_privileged[:] = False  # no privileged occupation: only two exemplary workers
    w.exemplary[[7, 9]] = True
    before = w.applied[HOUSING, :n].copy()
    dist.allocate(world, DAY, HOUSING)
    got = set(recipients(world, before).tolist())
    ordinary = [i for i in np.argsort(before).tolist() if i not in (7, 9)]
    assert got == {7, 9, *ordinary[:3]}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_single_line_is_by_date_only(seed):
    world, dist = list_world("single_line", seed=seed)
    w = world.workers
    n = w.n
    w.exemplary[:5] = True  # exemplary status counts for nothing on a single line
    by_date = expected_order(world, np.arange(n), by_rule=False)[:5]
    before = w.applied[HOUSING, :n].copy()
    dist.allocate(world, DAY, HOUSING)
    got = recipients(world, before)
    assert sorted(got.tolist()) == sorted(by_date)
    assert by_date == np.argsort(before)[:5].tolist()
    rows = [r for r in world.records.allocations if r[2] == "housing"]
    assert not any(r[4] for r in rows)  # nobody privileged on a single line


def test_scenario_level_single_line_for_one_enterprise():
    data = tiny_data(on=("distribution",))
    data["enterprises"] = [
        {"name": "works A", "industry": "steel", "town": "T1", "workers": 40},
        {
            "name": "works B",
            "industry": "steel",
            "town": "T1",
            "workers": 40,
            "distribution": "single_line",
        },
    ]
    world = make_world(scenario_of(data))
    assert world.ent_single_line.tolist() == [False, True]


def test_no_flat_goes_twice_over_successive_years():
    world, dist = list_world("privileged", seed=4)
    w = world.workers
    n = w.n
    seen: list[int] = []
    for year in range(6):
        day = DAY + 365 * year
        world.day = day
        before = w.applied[HOUSING, :n].copy()
        # each year the next five in line, in the rule's order
        want = expected_recipients(
            world, np.flatnonzero(before != NOT_ON_LIST), 5, 0.5, by_rule=True
        )
        dist.allocate(world, day, HOUSING)
        got = recipients(world, before).tolist()
        assert len(got) == 5
        assert sorted(got) == sorted(want)
        seen += got
    assert len(seen) == len(set(seen)) == 30
    assert (w.housing[seen] == OWN_FLAT).all()
    assert (w.applied[HOUSING, seen] == NOT_ON_LIST).all()


def test_list_runs_dry_without_giving_twice():
    world, dist = list_world("single_line", seed=5)
    w = world.workers
    n = w.n
    w.applied[HOUSING, 3:] = NOT_ON_LIST  # only three applicants for five flats
    dist.allocate(world, DAY, HOUSING)
    assert (w.housing[:3] == OWN_FLAT).all()
    assert (w.housing[3:n] == SHARED).all()
    assert sum(r[5] for r in world.records.allocations if r[3] != "insider") == 3


def test_each_enterprise_allocates_its_own_units_to_its_own_workers():
    world, dist = list_world("privileged", seed=6, mine=True)
    w = world.workers
    n = w.n
    w.applied[HOUSING, :n] = -3000 + 7 * np.arange(n)
    assert dist.supply_per_year(world)[:, HOUSING].tolist() == [5.0, 2.0]
    want = {
        e: expected_recipients(world, np.flatnonzero(w.enterprise[:n] == e), k, 0.5, True)
        for e, k in ((0, 5), (1, 2))
    }
    before = w.applied[HOUSING, :n].copy()
    dist.allocate(world, DAY, HOUSING)
    got = recipients(world, before)
    assert np.bincount(w.enterprise[got], minlength=2).tolist() == [5, 2]
    for e in (0, 1):
        assert sorted(got[w.enterprise[got] == e].tolist()) == sorted(want[e])


def test_leakage_takes_units_off_the_list():
    world, dist = list_world("single_line", leakage=0.4, seed=7)
    w = world.workers
    n = w.n
    before = w.applied[HOUSING, :n].copy()
    dist.allocate(world, DAY, HOUSING)
    got = recipients(world, before)
    assert len(got) == 3  # 5 units, 0.4 x 5 = 2 leak to insiders
    insiders = [r for r in world.records.allocations if r[3] == "insider"]
    assert [r[5] for r in insiders] == [2]


def test_voucher_recipients_rejoin_at_the_back():
    world, dist = list_world("single_line", seed=8)
    w = world.workers
    n = w.n
    w.applied[VOUCHER, :n] = -1000 + np.arange(n)
    units = int(np.floor(dist.supply_per_year(world)[0, VOUCHER]))
    dist.allocate(world, DAY, VOUCHER)
    reapplied = np.flatnonzero(w.applied[VOUCHER, :n] == DAY)
    assert units <= len(reapplied) <= units + 1
    assert set(reapplied.tolist()) == set(range(len(reapplied)))  # the earliest applicants


@pytest.mark.parametrize("cause", [QUIT, FIRED, RETIRED])
def test_leaver_loses_his_place(cause):
    world, dist = list_world("single_line", seed=9)
    w = world.workers
    n = w.n
    w.applied[CAR, :n] = -500 + np.arange(n)
    first = int(np.argmin(w.applied[HOUSING, :n]))  # first in line for a flat
    headcount = world.shops.workers.sum()
    resolve_exits(world, DAY, np.array([first]), np.array([cause], np.int8))
    assert w.status[first] == (RETIRED if cause == RETIRED else SEEKING)
    assert w.exit_cause[first] == cause
    assert (w.applied[:, first] == NOT_ON_LIST).all()
    assert world.shops.workers.sum() == headcount - 1
    flow = {QUIT: "quits", FIRED: "fired", RETIRED: "retired"}[cause]
    assert getattr(world.enterprises, flow).sum() == 1
    idx, _ = dist.queue(world, HOUSING)
    assert first not in idx
    before = w.applied[HOUSING, :n].copy()
    dist.allocate(world, DAY, HOUSING)
    got = recipients(world, before)
    assert first not in got
    assert w.housing[first] == SHARED
    # the flat goes to the next five in line instead
    in_line = np.flatnonzero(before != NOT_ON_LIST)
    assert sorted(got.tolist()) == sorted(in_line[np.argsort(before[in_line])][:5].tolist())
    assert len(set(got.tolist())) == 5


def test_exit_is_applied_once_even_if_requested_twice():
    world, _ = list_world(seed=10)
    headcount = world.shops.workers.sum()
    resolve_exits(world, DAY, np.array([3, 3, 4]), np.array([QUIT, FIRED, QUIT], np.int8))
    resolve_exits(world, DAY + 1, np.array([3]), np.array([QUIT], np.int8))
    assert world.shops.workers.sum() == headcount - 2
    assert world.workers.status[3] == SEEKING and world.workers.exit_cause[3] == QUIT


def test_stake_rises_towards_the_front_of_the_line():
    """A place near the front is worth more (less discounting) than one at the back."""
    world, dist = list_world("single_line", seed=11)
    w = world.workers
    n = w.n
    w.applied[CAR, :n] = NOT_ON_LIST
    w.applied[VOUCHER, :n] = NOT_ON_LIST
    w.daycare_place[:n] = False
    w.applied[DAYCARE, :n] = NOT_ON_LIST
    dist._monthly(world, DAY)  # values stakes (as at each month start)
    order = np.argsort(w.applied[HOUSING, :n])
    stakes = w.stake[order]
    assert (np.diff(stakes) <= 1e-3).all()
    assert stakes[0] > stakes[-1]
    assert ((w.dependence[:n] >= 0) & (w.dependence[:n] < 1)).all()


# ---------------------------------------------------------------------------- contracts

PARTNER = {
    "kind": "barter",
    "goods": 50.0,
    "housing": 20.0,
    "breach_days": 3,
    "suspension_months": 2,
}


def contract_data() -> dict:
    data = tiny_data(on=("distribution", "collective_action"), end=dt.date(1989, 8, 31))
    data["enterprises"] = [
        {"name": "works", "industry": "steel", "town": "T1", "workers": 40, "partners": [PARTNER]},
        {"name": "mine", "industry": "coal", "town": "T1", "workers": 40},
    ]
    data["distribution"] = {"leakage": 0.0}
    return data


def test_a_strike_breaches_the_contract_and_cuts_partner_supplies():
    data = contract_data()
    # the works (ids 0..39) walks out on day 0 and stays out; the mine never strikes
    data["collective_action"] = {"thresholds": [0] * 40 + [10_000] * 40}
    data["campaigns"] = {"enabled": False}
    sc = scenario_of(data)
    world, result, phases = simulate(sc, seed=0)
    july_end = (dt.date(1989, 7, 31) - sc.start).days
    assert world.enterprises.partner_cut_until.tolist() == [[-1, july_end + 60, -1], [-1, -1, -1]]
    ev = result.events.filter(pl.col("kind") == "contract_breached")
    assert ev["enterprise"].to_list() == [0]
    assert ev["date"].to_list() == [dt.date(1989, 7, 31)]
    assert ev["detail"].to_list() == ["barter supplies cut for 60 days"]
    # goods in kind fall by what the partner supplied; the mine's do not move
    days = result.enterprise_days.sort("date")
    inkind = {(r["date"], r["enterprise"]): r["inkind_mean"] for r in days.iter_rows(named=True)}
    jul, aug = dt.date(1989, 7, 15), dt.date(1989, 8, 15)
    assert inkind[(jul, 0)] - inkind[(aug, 0)] >= PARTNER["goods"] * 0.999
    assert inkind[(aug, 1)] == inkind[(jul, 1)]
    dist = next(p for p in phases if p.name == "distribution")
    steel_goods = data["industries"]["steel"]["social"]["goods"]
    world.day = july_end + 1  # while the partner's supplies are cut
    assert dist.goods_per_worker(world)[0] == pytest.approx(steel_goods)
    assert dist.supply_per_year(world)[0, HOUSING] == pytest.approx(
        40 / 1000 * 40
    )  # own flats only


def test_no_strike_no_breach():
    data = contract_data()
    data["collective_action"] = {"thresholds": [10_000] * 80}
    data["campaigns"] = {"enabled": False}
    result = mutualdep.run(scenario_of(data), seed=0)
    assert result.events.filter(pl.col("kind") == "contract_breached").height == 0
    days = result.enterprise_days
    works = days.filter(pl.col("enterprise") == 0)["inkind_mean"]
    assert (works == works[0]).all()


@pytest.mark.parametrize(("strike_days", "breached"), [(2, False), (3, True), (20, True)])
def test_breach_needs_breach_days_and_supplies_return_after_suspension(strike_days, breached):
    data = contract_data()
    data["collective_action"] = {"enabled": False}
    world = make_world(scenario_of(data), 0)
    dist = Distribution(world)
    day = 30  # 31 July
    world.day = day
    full_goods = dist.goods_per_worker(world).copy()
    world.enterprises.strike_days_month[:] = (
        strike_days  # both enterprises; only the works has a partner
    )
    dist._check_contracts(world, day)
    assert (world.enterprises.strike_days_month == 0).all()  # the count starts afresh each month
    kinds = [e for e in world.records.events if e[1] == "contract_breached"]
    assert [e[2] for e in kinds] == ([0] if breached else [])
    assert (world.enterprises.partner_cut_until[1] == -1).all()
    for later, cut in ((day + 1, breached), (day + 60, breached), (day + 61, False)):
        world.day = later
        goods = dist.goods_per_worker(world)
        assert goods[0] == pytest.approx(full_goods[0] - PARTNER["goods"] if cut else full_goods[0])
        assert goods[1] == full_goods[1]
