"""Responses to strikes: the state's concession or repression, management's committees,
threats, reprisals and removal of the director."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

import mutualdep
from mdsupport import make_world, scenario_of, start_strike, tiny_data
from mutualdep.mechanisms.collective_action import CollectiveAction
from mutualdep.mechanisms.management import Management
from mutualdep.mechanisms.state import State
from mutualdep.world import HOUSING, NOT_ON_LIST


def two_region_world(
    on: tuple[str, ...],
    state: dict | None = None,
    management: dict | None = None,
    capacity: float = 1.0,
    seed: int = 0,
):
    """R1: mine and works in T1, works B in T1b; R2: a mine in T2. 40 workers each."""
    data = tiny_data(on=on)
    data["regions"] = [{"name": "R1"}, {"name": "R2"}]
    data["towns"] = [
        {"name": "T1", "region": "R1"},
        {"name": "T1b", "region": "R1"},
        {"name": "T2", "region": "R2"},
    ]
    data["enterprises"] = [
        {
            "name": "mine",
            "industry": "coal",
            "town": "T1",
            "workers": 40,
            "management_capacity": capacity,
        },
        {
            "name": "works",
            "industry": "steel",
            "town": "T1",
            "workers": 40,
            "management_capacity": capacity,
        },
        {
            "name": "works B",
            "industry": "steel",
            "town": "T1b",
            "workers": 40,
            "management_capacity": capacity,
        },
        {
            "name": "mine 2",
            "industry": "coal",
            "town": "T2",
            "workers": 40,
            "management_capacity": capacity,
        },
    ]
    data["collective_action"] = {"belief": 0.6, "sanction": 1.0}
    if state is not None:
        data["state"] = {**state, "enabled": True}
    if management is not None:
        data["management"] = {**management, "enabled": True}
    return make_world(scenario_of(data), seed)


def mine_workers(world, name="mine") -> np.ndarray:
    w = world.workers
    return np.flatnonzero(w.enterprise[: w.n] == world.enterprise_names.index(name))


# ---------------------------------------------------------------------------- state

CONCEDE = {
    "openness": 1.0,
    "concede_rate": 1.0,
    "full_share": 0.01,
    "min_days": 2,
    "truce_days": 30,
    "learning": 0.3,
    "win_raise": 0.1,
    "win_relief": 0.5,
}
REPRESS = {
    "openness": 0.0,
    "repress_rate": 1.0,
    "army_reluctance": 0.0,
    "full_share": 0.01,
    "min_days": 2,
    "truce_days": 30,
    "learning": 0.3,
    "win_relief": 0.5,
}


def run_state(world, days: int) -> list[int]:
    state = State(world)
    kinds_by_day = []
    for day in range(days):
        world.day = day
        before = len(world.records.events)
        state.step(world, day)
        kinds_by_day.append([e[1] for e in world.records.events[before:]])
    return kinds_by_day


def test_state_concession_ends_strikes_and_raises_belief():
    world = two_region_world(on=("state",), state=CONCEDE)
    start_strike(world, mine_workers(world))
    belief0 = world.regions.belief.copy()
    kinds = run_state(world, 3)
    # nothing before min_days, a protocol on day 2
    assert kinds[0] == [] and kinds[1] == []
    assert "concession" in kinds[2]
    assert kinds[2].count("strike_end") == 1
    w = world.workers
    assert not w.striking[: w.n].any()
    assert (world.shops.striking == 0).all() and (world.brigades.striking == 0).all()
    # belief rises everywhere, most in the region that won
    assert (world.regions.belief > belief0).all()
    assert world.regions.belief[0] > world.regions.belief[1]
    assert (world.regions.belief <= 1.0).all()
    # the struck industry of the region gets the raise and relief, nobody else
    coal, steel = world.industry_names.index("coal"), world.industry_names.index("steel")
    assert world.regions.pay_raise[0, coal] == pytest.approx(1.1)
    assert world.regions.pay_raise[0, steel] == 1.0 and world.regions.pay_raise[1, coal] == 1.0
    mine, works, _, mine2 = range(4)
    assert world.enterprises.shock[mine] == pytest.approx(-0.5)
    assert world.enterprises.shock[works] == 0.0 and world.enterprises.shock[mine2] == 0.0
    assert world.regions.truce_until[0] == 2 + 30 and world.regions.truce_until[1] < 0
    assert world.messages.outcomes == [(mine, "won", 1.0)]
    assert world.enterprises.settled[mine]


def test_state_repression_ends_strikes_and_lowers_belief():
    world = two_region_world(on=("state",), state=REPRESS)
    start_strike(world, mine_workers(world))
    belief0 = world.regions.belief.copy()
    kinds = run_state(world, 3)
    assert "repression" in kinds[2] and "concession" not in kinds[2]
    assert not world.workers.striking.any()
    assert world.regions.belief[0] == pytest.approx(belief0[0] * 0.7)
    assert world.regions.belief[1] == belief0[1]
    assert world.enterprises.shock[0] == pytest.approx(0.5)
    assert (world.regions.pay_raise == 1.0).all()
    assert world.messages.outcomes[0][:2] == (0, "repressed")


def test_state_waits_when_it_neither_concedes_nor_represses():
    world = two_region_world(on=("state",), state={**CONCEDE, "concede_rate": 0.0})
    start_strike(world, mine_workers(world))
    kinds = run_state(world, 10)
    assert all(k == [] for k in kinds)
    assert world.workers.striking.sum() == 40


def test_concession_in_a_run_ends_the_wave_and_holds_a_truce():
    sc = mutualdep.load_scenario(
        "small-town",
        {
            "state.openness": 1.0,
            "state.concede_rate": 1.0,
            "state.full_share": 0.05,
            "state.min_days": 3,
            "state.truce_days": 45,
            "end": dt.date(1989, 8, 31),
        },
    )
    result = mutualdep.run(sc, seed=2)
    ev = result.events
    concessions = ev.filter(pl.col("kind") == "concession")["date"].to_list()
    assert len(concessions) >= 1
    day = concessions[0]
    daily = result.enterprise_days.group_by("date").agg(pl.col("striking").sum()).sort("date")
    striking = dict(zip(daily["date"].to_list(), daily["striking"].to_list(), strict=True))
    first_strike = min(d for d, s in striking.items() if s > 0)
    assert (day - first_strike).days >= 3
    assert striking[day - dt.timedelta(days=1)] > 0
    truce_end = min(day + dt.timedelta(days=45), sc.end)
    assert all(striking[d] == 0 for d in striking if day <= d <= truce_end)
    ended = ev.filter((pl.col("kind") == "strike_end") & (pl.col("date") == day))
    assert ended.height >= 1 and all(d.startswith("won") for d in ended["detail"])


# ---------------------------------------------------------------------------- management


def test_committee_resolution_where_strikes_are_near_but_not_here():
    world = two_region_world(
        on=("management", "collective_action"),
        management={"committee_rate": 1.0, "committee_effect": 0.4, "threat": 0.5},
    )
    start_strike(world, mine_workers(world))
    Management(world).step(world, 0)
    resolutions = [e for e in world.records.events if e[1] == "committee_resolution"]
    # the works in the striking town forms a committee; the striking mine, the works in another
    # town and the mine in the other region do not
    assert [e[2] for e in resolutions] == [1]
    assert world.enterprises.committee.tolist() == [0.0, 0.4, 0.0, 0.0]
    assert world.enterprises.threat.tolist() == [0.5, 0.5, 0.0, 0.0]
    # the committee's promise makes striking less attractive at the works
    ca = CollectiveAction(world)
    idx = mine_workers(world, "works")
    with_committee = ca.thresholds_of(world, idx)
    world.enterprises.committee[1] = 0.0
    without = ca.thresholds_of(world, idx)
    finite = np.isfinite(without)
    assert finite.any()
    assert (with_committee[finite] > without[finite]).all()


def test_committee_and_threat_lapse_when_strikes_end():
    world = two_region_world(on=("management",), management={"committee_rate": 1.0})
    mgmt = Management(world)
    ids = mine_workers(world)
    start_strike(world, ids)
    mgmt.step(world, 0)
    assert world.enterprises.committee.any() and world.enterprises.threat.any()
    from mutualdep.mechanisms.state import end_strikes

    end_strikes(world, np.array([0]))
    mgmt.step(world, 1)
    assert not world.enterprises.committee.any() and not world.enterprises.threat.any()


def test_no_committee_without_management_capacity():
    world = two_region_world(on=("management",), management={"committee_rate": 1.0}, capacity=0.0)
    start_strike(world, mine_workers(world))
    Management(world).step(world, 0)
    assert not [e for e in world.records.events if e[1] == "committee_resolution"]


def test_after_a_failed_strike_initiators_are_fired_and_strikers_lose_their_place():
    world = two_region_world(
        on=("management",), management={"fire_initiators": 1.0, "sanction_reach": 1.0}
    )
    w = world.workers
    ids = mine_workers(world)
    initiators, strikers = ids[:5], ids[5:20]
    w.initiator[initiators] = True
    world.enterprises.strike_start[0] = 90
    w.walked_out[ids[:20]] = 95
    w.applied[HOUSING, ids] = -2000
    w.exemplary[strikers] = True
    bystanders = ids[20:]
    world.messages.outcomes.append((0, "collapsed", 0.5))
    world.ent_capacity[0] = 1.0  # management can reach every striker
    Management(world).step(world, 100)
    fired = [r for r in world.messages.exit_requests]
    assert len(fired) == 1 and sorted(fired[0][0].tolist()) == sorted(initiators.tolist())
    # every striker is re-dated to the back of the line and loses exemplary status
    assert (w.applied[HOUSING, strikers] == 100).all()
    assert not w.exemplary[strikers].any() and w.sanctioned[strikers].all()
    assert (w.applied[HOUSING, bystanders] == -2000).all() and not w.sanctioned[bystanders].any()
    assert not w.initiator[: w.n].any()
    assert any(e[1] == "reprisals" and e[2] == 0 for e in world.records.events)


def test_management_sanctions_initiators_then_the_earliest_strikers_up_to_its_reach():
    world = two_region_world(
        on=("management",), management={"fire_initiators": 0.0, "sanction_reach": 1.0}
    )
    w = world.workers
    ids = mine_workers(world)
    world.ent_capacity[0] = 10 / len(ids)  # it can reach ten workers
    initiators, early, late = ids[:4], ids[4:10], ids[10:30]
    w.initiator[initiators] = True
    world.enterprises.strike_start[0] = 90
    w.walked_out[initiators] = 93  # the initiators walked out after some others here,
    w.walked_out[early] = 91
    w.walked_out[late] = 95
    w.applied[HOUSING, ids] = -2000
    world.enterprises.enforce[:] = 0.3  # what workers expected before they saw this
    world.messages.outcomes.append((0, "collapsed", 0.5))
    Management(world).step(world, 100)
    hit = np.flatnonzero(w.sanctioned[: w.n])
    assert sorted(hit.tolist()) == sorted([*initiators.tolist(), *early.tolist()])
    assert (w.applied[HOUSING, late] == -2000).all()
    # the enterprise's town saw it carried out
    town = world.ent_town == world.ent_town[0]
    assert (world.enterprises.enforce[town] > 0.3).all() and (
        world.enterprises.enforce[~town] == 0.3
    ).all()


def test_sanction_keeps_off_list_workers_off_the_list():
    world = two_region_world(on=("management",), management={"fire_initiators": 0.0})
    w = world.workers
    ids = mine_workers(world)
    w.struck_days[ids] = 3
    w.applied[HOUSING, ids] = NOT_ON_LIST
    world.messages.outcomes.append((0, "repressed", 1.0))
    Management(world).step(world, 50)
    assert (w.applied[HOUSING, ids] == NOT_ON_LIST).all()
    assert world.messages.exit_requests == []


def test_a_won_strike_removes_the_director_and_gives_workers_the_list():
    world = two_region_world(on=("management",), management={"removal_share": 0.5})
    assert not world.ent_single_line.any() and not world.ent_published.any()
    world.messages.outcomes += [(0, "won", 0.8), (3, "won", 0.2)]
    Management(world).step(world, 10)
    assert world.ent_single_line.tolist() == [True, False, False, False]
    assert world.ent_published.tolist() == [True, False, False, False]
    kinds = [(e[1], e[2]) for e in world.records.events]
    assert ("director_removed", 0) in kinds and ("new_union", 0) in kinds
    assert ("director_removed", 3) not in kinds


def test_placating_a_striking_shop_lowers_its_grievance():
    world = two_region_world(
        on=("management",), management={"placate_rate": 1.0, "placate_effect": 0.3}
    )
    w = world.workers
    ids = mine_workers(world)
    face = ids[w.shop[ids] == w.shop[ids[0]]]
    start_strike(world, face)
    w.grievance[: w.n] = 0.8
    Management(world).step(world, 0)
    assert w.grievance[face] == pytest.approx(np.full(len(face), 0.8 * 0.7))
    others = np.setdiff1d(np.arange(w.n), face)
    assert (w.grievance[others] == np.float32(0.8)).all()
