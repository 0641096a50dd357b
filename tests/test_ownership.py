"""Ownership and control (mechanisms/ownership.py) and trading partners by kind (distribution):
tiny worlds where the answer is known."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import mutualdep
from mdsupport import make_world, scenario_of, simulate, tiny_data
from mutualdep.errors import InputError
from mutualdep.mechanisms.collective_action import CollectiveAction
from mutualdep.mechanisms.distribution import Distribution
from mutualdep.mechanisms.ownership import Ownership
from mutualdep.scenario import PARTNER_KINDS
from mutualdep.shared_state import (
    FOR_GOOD,
    JOINT_STOCK,
    MANAGEMENT_CONTROL,
    STATE_OWNED,
    WORKERS_CONTROL,
)

FARM, BARTER = PARTNER_KINDS.index("state_farm"), PARTNER_KINDS.index("barter")
JOINT_STOCK_MINE = {
    "name": "joint-stock mine",
    "industry": "coal",
    "town": "T1",
    "workers": 40,
    "joint_stock": True,
    "partners": [{"kind": "foreign", "goods": 150.0, "housing": 10.0}],
}


def two_enterprises(on: tuple[str, ...], first: dict, **top) -> dict:
    """``first`` (40 workers, ids 0-39) and a steel works (ids 40-79) in one town."""
    data = tiny_data(on=on, **top)
    data["enterprises"] = [
        first,
        {
            "name": "works",
            "industry": "steel",
            "town": "T1",
            "workers": 40,
            "management_capacity": 0.6,
        },
    ]
    return data


# ---------------------------------------------------------------------------- ownership


def test_privatisation_makes_it_employee_owned_under_management():
    data = two_enterprises(("reforms", "ownership"), JOINT_STOCK_MINE, end=dt.date(1989, 7, 20))
    data["reforms"] = {
        "timeline": [
            {"date": dt.date(1989, 7, 10), "kind": "privatisation", "value": 800.0},
        ]
    }
    world, result, _ = simulate(scenario_of(data), seed=0)
    # everyone is privatised, but the joint-stock company already belongs to its own owners
    assert world.enterprises.control.tolist() == [JOINT_STOCK, MANAGEMENT_CONTROL]
    table = result.ownership
    assert table.filter(pl.col("cause") == "start")["control"].to_list() == [
        "joint_stock",
        "state",
    ]
    change = table.filter(pl.col("cause") == "privatisation")
    assert change.rows() == [(dt.date(1989, 7, 10), 1, "management", "state", "privatisation")]
    # management keeps command: the privileged rule, its capacity and (by default) pay
    assert not world.ent_single_line[1] and not world.ent_published[1]
    assert world.ent_capacity[1] == 0.6
    assert world.enterprises.wage_factor[1] == 1.0


def won_strike_world(control: int, **ownership):
    data = two_enterprises(("ownership", "distribution"), JOINT_STOCK_MINE)
    data["ownership"] = ownership
    world = make_world(scenario_of(data), 0)
    phase = Ownership(world)
    world.enterprises.control[1] = control
    world.enterprises.ownership[1] = 0.0 if control == STATE_OWNED else 800.0
    return world, phase


def test_a_won_strike_hands_an_employee_owned_works_to_its_workers_and_its_single_line():
    world, phase = won_strike_world(MANAGEMENT_CONTROL)
    dist = Distribution(world)
    works = np.arange(40, 80)
    privileged_fitters = (dist.priority_class(world, works) == 1).sum()
    assert privileged_fitters > 0  # the works' fitters are on the priority line
    world.messages.outcomes.append((1, "won", 0.7))
    phase.step(world, 10)
    assert world.enterprises.control[1] == WORKERS_CONTROL
    assert world.ent_single_line[1] and world.ent_published[1]
    assert (dist.priority_class(world, works) == 2).all()  # one line for everyone
    assert world.ent_capacity[1] == pytest.approx(0.6 * 0.5)
    assert world.enterprises.wage_factor[1] == pytest.approx(1.1)
    assert world.messages.outcomes == [(1, "won", 0.7)]  # left for management to act on
    events = [(e[1], e[2], e[4]) for e in world.records.events]
    assert ("ownership", 1, "management -> workers: won strike") in events


@pytest.mark.parametrize(
    ("control", "outcome", "expected"),
    [
        (STATE_OWNED, (1, "won", 0.9), STATE_OWNED),  # no shares: nothing to turn into control
        (MANAGEMENT_CONTROL, (1, "won", 0.4), MANAGEMENT_CONTROL),  # below control_share
        (MANAGEMENT_CONTROL, (1, "collapsed", 0.9), MANAGEMENT_CONTROL),
        (MANAGEMENT_CONTROL, (1, "won", 0.5), WORKERS_CONTROL),
    ],
)
def test_only_a_won_strike_with_enough_out_moves_formal_ownership(control, outcome, expected):
    world, phase = won_strike_world(control)
    world.messages.outcomes.append(outcome)
    phase.step(world, 10)
    assert world.enterprises.control[1] == expected
    assert world.ent_single_line[1] == (expected == WORKERS_CONTROL)


def test_a_strike_at_the_joint_stock_mine_ends_its_partner_for_good_and_its_goods_fall():
    data = two_enterprises(
        ("distribution", "collective_action", "ownership"),
        JOINT_STOCK_MINE,
        end=dt.date(1989, 9, 30),
    )
    # the joint-stock mine walks out on day 0 and stays out; the works never strikes
    data["collective_action"] = {"thresholds": [0] * 40 + [10_000] * 40}
    data["distribution"] = {"leakage": 0.0}
    sc = scenario_of(data)
    world, result, phases = simulate(sc, seed=0)
    assert world.enterprises.partner_cut_until[0].tolist() == [-1, -1, FOR_GOOD]
    breach = result.events.filter(pl.col("kind") == "contract_breached")
    assert breach.rows() == [
        (dt.date(1989, 7, 31), "contract_breached", 0, -1, "foreign contract ended for good")
    ]
    change = result.ownership.filter(pl.col("cause") != "start")
    assert change["date"].to_list() == [dt.date(1989, 7, 31)]
    assert change["control"].to_list() == ["management"]
    assert change["previous"].to_list() == ["joint_stock"]
    days = result.enterprise_days
    inkind = {(r["date"], r["enterprise"]): r["inkind_mean"] for r in days.iter_rows(named=True)}
    jul, aug, sep = dt.date(1989, 7, 15), dt.date(1989, 8, 15), dt.date(1989, 9, 15)
    assert inkind[(jul, 0)] - inkind[(aug, 0)] >= 150 * 0.999  # every worker lost the goods
    assert inkind[(sep, 0)] == inkind[(aug, 0)]
    assert inkind[(aug, 1)] == inkind[(jul, 1)]
    dist = next(p for p in phases if p.name == "distribution")
    world.day = 10 * 365  # ten years on, the partner has not come back
    assert dist.goods_per_worker(world)[0] == pytest.approx(10.0)  # the coal industry's own


def test_no_strike_keeps_the_joint_stock_mine():
    data = two_enterprises(("distribution", "collective_action", "ownership"), JOINT_STOCK_MINE)
    data["collective_action"] = {"thresholds": [10_000] * 80}
    result = mutualdep.run(scenario_of(data), seed=0)
    assert result.ownership.filter(pl.col("cause") != "start").height == 0
    assert result.events.filter(pl.col("kind") == "contract_breached").height == 0


@pytest.mark.parametrize("counted", [False, True])
def test_the_goods_a_stoppage_would_end_are_a_cost_of_acting_only_when_counted(counted):
    data = two_enterprises(("distribution", "collective_action"), JOINT_STOCK_MINE)
    data["distribution"] = {"stoppage_cost": counted}
    world = make_world(scenario_of(data), 0)
    dist = Distribution(world)
    # 150 rubles a month for goods_horizon_months (24), less the town's market access (0.2)
    expected = 150 * 24 * 0.8 if counted else 0.0
    assert world.enterprises.stoppage_cost.tolist() == pytest.approx([expected, 0.0])
    phase = CollectiveAction(world)
    ids = np.arange(80)
    _, cost = phase.coefficients(world, ids)
    world.enterprises.stoppage_cost[:] = 0.0
    _, without = phase.coefficients(world, ids)
    assert cost[:40] - without[:40] == pytest.approx(np.full(40, expected))
    assert (cost[40:] == without[40:]).all()
    # once the partner is gone there is nothing left for a stoppage to end
    world.enterprises.strike_days_month[0] = 1
    dist._check_contracts(world, 30)
    assert world.enterprises.stoppage_cost.tolist() == [0.0, 0.0]


def test_a_joint_stock_enterprise_needs_a_foreign_partner():
    data = two_enterprises(("ownership",), {**JOINT_STOCK_MINE, "partners": []})
    with pytest.raises(InputError, match=r"enterprises\[0\]\.joint_stock.*foreign"):
        scenario_of(data)


def test_ownership_off_changes_no_table_of_a_built_in():
    """small-town (nothing privatised, no joint-stock company): the tables are those of a run
    without the mechanism, and its own table is empty."""
    sc = mutualdep.load_scenario("small-town", {"end": dt.date(1989, 8, 31)})
    off = mutualdep.load_scenario(
        "small-town", {"end": dt.date(1989, 8, 31), "ownership.enabled": False}
    )
    on_tables, off_tables = mutualdep.run(sc, seed=3).tables, mutualdep.run(off, seed=3).tables
    assert set(on_tables) == set(off_tables)
    for name, frame in off_tables.items():
        if name != "ownership":
            assert frame.equals(on_tables[name]), name
    assert off_tables["ownership"].height == 0
    assert on_tables["ownership"]["control"].unique().to_list() == ["state"]


# ---------------------------------------------------------------------------- partners by kind

FARM_AND_BARTER = [
    {"kind": "state_farm", "goods": 30.0},
    {"kind": "barter", "goods": 20.0, "car": 6.0},
]


def contracts_world(partners: list[dict]):
    data = two_enterprises(
        ("distribution",),
        {"name": "mine", "industry": "coal", "town": "T1", "workers": 40, "partners": partners},
    )
    world = make_world(scenario_of(data), 0)
    return world, Distribution(world)


@pytest.mark.parametrize(
    ("stoppage_days", "cut"),
    [(0, []), (1, [BARTER]), (9, [BARTER]), (10, [FARM, BARTER])],
)
def test_a_stoppage_breaches_barter_at_once_and_the_farm_only_past_its_tolerance(
    stoppage_days, cut
):
    world, dist = contracts_world(FARM_AND_BARTER)
    day = 30  # 31 July
    world.day = day
    goods = dist.goods_per_worker(world)[0]
    world.enterprises.strike_days_month[0] = stoppage_days
    dist._check_contracts(world, day)
    until = world.enterprises.partner_cut_until[0]
    expected = [-1, -1, -1]
    for k, months in ((FARM, 3), (BARTER, 6)):
        if k in cut:
            expected[k] = day + months * 30
    assert until.tolist() == expected
    details = [e[4] for e in world.records.events if e[1] == "contract_breached"]
    assert details == [
        {FARM: "state farm supplies cut for 90 days", BARTER: "barter supplies cut for 180 days"}[k]
        for k in cut
    ]
    world.day = day + 1
    lost = (30.0 if FARM in cut else 0.0) + (20.0 if BARTER in cut else 0.0)
    assert dist.goods_per_worker(world)[0] == pytest.approx(goods - lost)
    world.day = day + 181  # both suspensions are over
    assert dist.goods_per_worker(world)[0] == pytest.approx(goods)


def test_a_partner_sets_its_own_terms():
    world, dist = contracts_world(
        [{"kind": "state_farm", "goods": 30.0, "breach_days": 2, "suspension_months": 1}]
    )
    world.enterprises.strike_days_month[0] = 2
    dist._check_contracts(world, 30)
    assert world.enterprises.partner_cut_until[0, FARM] == 60


def test_kind_terms_come_from_the_schema():
    data = two_enterprises(
        ("distribution",),
        {"name": "mine", "industry": "coal", "town": "T1", "workers": 40},
    )
    data["distribution"] = {"partner_terms": {"barter": {"breach_days": 4, "suspension_months": 2}}}
    sc = scenario_of(data)
    assert sc.distribution.partner_terms.barter.breach_days == 4
    assert sc.distribution.partner_terms.state_farm.breach_days == 10
    assert sc.distribution.partner_terms.foreign.suspension_months is None


def test_a_state_farm_supplies_food_only():
    data = two_enterprises(
        ("distribution",),
        {
            "name": "mine",
            "industry": "coal",
            "town": "T1",
            "workers": 40,
            "partners": [{"kind": "state_farm", "car": 3.0}],
        },
    )
    with pytest.raises(InputError, match="state_farm supplies food"):
        scenario_of(data)


def test_the_docs_example_runs_and_shows_the_partner_leaving():
    page = (Path(__file__).parents[1] / "docs" / "ownership.md").read_text()
    code = page.split("```python\n", 1)[1].split("```", 1)[0]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "docs/ownership.md", "exec"), {})
    text = out.getvalue()
    counted, left_out = text.split("stoppage cost counted: False")
    assert "won strike" in counted and "won strike" in left_out
    assert "foreign contract ended" in left_out
    # counted, the stoppage's cost holds most of the joint-stock mine at work (seed 0)
    peak = {}
    for flag in (True, False):
        sc = mutualdep.load_scenario("joint-stock-mine", {"distribution.stoppage_cost": flag})
        r = mutualdep.run(sc, seed=0)
        days = r.enterprise_days.join(r.enterprises.select("enterprise", "name"), on="enterprise")
        mine = days.filter(pl.col("name") == "Shakhtyorsk joint-stock mine")
        peak[flag] = (mine["striking"] / mine["workers"]).max()
    assert peak[True] < 0.5 < 0.9 < peak[False]
