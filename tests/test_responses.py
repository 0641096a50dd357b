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
from mutualdep.shared_state import expected_pay
from mutualdep.world import ARRESTED, HOUSING, NOT_ON_LIST


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
    "answer_rate": 1.0,
    "full_share": 0.01,
    "min_days": 2,
    "truce_days": 30,
    "learning": 0.3,
    "win_raise": 0.1,
    "win_relief": 0.5,
}
# a regime that trusts its army (which obeys) and for which voice costs nothing to crush
REPRESS = {
    **CONCEDE,
    "openness": 0.0,
    "army_reluctance": 0.0,
    "crackdown_belief": 0.9,
    "concession_cost": 2.0,
    "arrest_share": 0.25,
    "dismissal_share": 0.5,
}


def run_state(world, days: int, state=None, each_day=None) -> list[list[str]]:
    state = State(world) if state is None else state
    kinds_by_day = []
    for day in range(days):
        world.day = day
        if each_day is not None:
            each_day(world, day)
        before = len(world.records.events)
        state.step(world, day)
        kinds_by_day.append([e[1] for e in world.records.events[before:]])
    return kinds_by_day


def aggrieved(world, name, grievance):
    ids = mine_workers(world, name)
    world.workers.grievance[ids] = grievance
    return ids


def test_state_concession_is_an_offer_the_strikers_accept_and_raises_belief():
    world = two_region_world(on=("state",), state=CONCEDE)
    start_strike(world, aggrieved(world, "mine", 0.0))  # nothing more to hope for: they accept
    belief0 = world.regions.belief.copy()
    kinds = run_state(world, 3)
    # nothing before min_days, a protocol on day 2, which the mine accepts the same day
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
    # the struck industry of the region gets the raise; the enterprise that went back, relief
    coal, steel = world.industry_names.index("coal"), world.industry_names.index("steel")
    assert world.regions.pay_raise[0, coal] == pytest.approx(1.1)
    assert world.regions.pay_raise[0, steel] == 1.0 and world.regions.pay_raise[1, coal] == 1.0
    mine, works, _, mine2 = range(4)
    assert world.enterprises.shock[mine] == pytest.approx(-0.5)
    assert world.enterprises.shock[works] == 0.0 and world.enterprises.shock[mine2] == 0.0
    assert world.enterprises.truce_until.tolist() == [2 + 30, -1, -1, -1]
    assert world.messages.outcomes == [(mine, "won", 1.0)]
    assert world.enterprises.settled[mine]


def strikers_weigh(grievance_mine, grievance_works, works_on_strike=True, days=20):
    """Mine and works B (both region R1) out from day 0; a protocol on day 2. Returns the day
    each settled (None: still out) and the events."""
    world = two_region_world(on=("state",), state=CONCEDE)
    start_strike(world, aggrieved(world, "mine", grievance_mine))
    if works_on_strike:
        start_strike(world, aggrieved(world, "works B", grievance_works))
    ended = {}

    def note(world, day):
        for e in np.flatnonzero(world.enterprises.settled):
            ended.setdefault(int(e), day - 1)

    run_state(world, days, each_day=note)
    note(world, days)
    return ended, world


def test_holdouts_reject_the_protocol_and_no_enterprise_settles_because_another_did():
    """The mine's strikers have nothing left to hope for, works B's hope for far more than the
    protocol gives: the mine goes back on day 2, works B holds out; each settles on the day
    its own balance says, whether the other is out or not."""
    ended, world = strikers_weigh(0.0, 1.0)
    mine, works_b = 0, 2
    assert ended == {mine: 2}
    assert world.workers.striking[mine_workers(world, "works B")].all()
    holdouts = [e for e in world.records.events if e[1] == "holdout"]
    assert [e[2] for e in holdouts] == [works_b]
    alone, _ = strikers_weigh(0.0, 1.0, works_on_strike=False)
    assert alone == {mine: 2}
    # works B alone, with the mine's balance, settles the day the mine did
    world = two_region_world(on=("state",), state=CONCEDE)
    start_strike(world, aggrieved(world, "works B", 0.0))
    run_state(world, 3)
    assert world.enterprises.settled[works_b]


def test_a_holdout_goes_back_when_its_own_losses_tip_the_balance():
    """Hope just above what the protocol gives: each day out adds a day's pay to the balance,
    until enough strikers are for going back."""
    world = two_region_world(on=("state",), state=CONCEDE)
    ids = mine_workers(world, "mine")
    w = world.workers
    wage = 1.1 * expected_pay(world, ids)  # his pay once the protocol's raise is in
    offer = 0.1 * wage * 12
    w.savings[ids] = 1e9  # savings do not run out
    # each striker's hope is the offer plus ten days' pay
    w.grievance[ids] = ((offer + 10 * wage / 30) / 3000).astype(np.float32)
    start_strike(world, ids)
    state = State(world)
    settled_on = None
    for day in range(20):
        world.day = day
        state.step(world, day)
        if world.enterprises.settled[0]:
            settled_on = day
            break
    assert settled_on is not None and 8 <= settled_on <= 10
    end = [e for e in world.records.events if e[1] == "strike_end"]
    assert "after holding out" in end[0][4]


def test_state_repression_arrests_dismisses_and_lowers_belief():
    world = two_region_world(on=("state",), state=REPRESS)
    w = world.workers
    ids = mine_workers(world)
    start_strike(world, ids)
    w.initiator[ids[:3]] = True
    belief0 = world.regions.belief.copy()
    kinds = run_state(world, 3)
    assert "repression" in kinds[2] and "concession" not in kinds[2]
    assert "arrests" in kinds[2] and "dismissals" in kinds[2]
    assert not world.workers.striking.any()
    assert world.regions.belief[0] == pytest.approx(belief0[0] * 0.7)
    assert world.regions.belief[1] == belief0[1]
    assert world.economy.crackdown_belief == pytest.approx(0.9 + 0.3 * 0.1)
    assert world.enterprises.shock[0] == pytest.approx(0.5)
    assert (world.regions.pay_raise == 1.0).all()
    assert world.messages.outcomes[0][:2] == (0, "repressed")
    (arrested, cause), (dismissed, _) = world.messages.exit_requests
    assert cause == ARRESTED and set(ids[:3]) <= set(arrested.tolist())  # every initiator
    assert (w.held_until[arrested] == 2 + world.scenario.state.arrest_days).all()
    leaving = np.concatenate([arrested, dismissed])
    assert 5 < len(leaving) < 35 and (w.status[leaving] == 0).all()


def test_a_failed_crackdown_costs_the_regime_and_ends_in_a_protocol():
    world = two_region_world(on=("state",), state={**REPRESS, "army_reluctance": 1.0})

    start_strike(world, aggrieved(world, "mine", 0.0))
    belief0 = world.regions.belief.copy()
    kinds = run_state(world, 3)
    assert kinds[2][:2] == ["crackdown_failed", "concession"]
    assert world.economy.crackdown_belief == pytest.approx(0.9 * 0.7)
    assert (world.regions.belief > belief0).all()
    assert not world.messages.exit_requests


def test_the_regime_chooses_what_costs_it_least():
    world = two_region_world(on=("state",), state=CONCEDE)
    state = State(world)
    costs = state.costs(world, pressure=0.2)
    assert costs == {
        "ignore": 0.2,
        "concede": 0.3,
        "repress": pytest.approx(0.3 * 1.0 * 1.0 + 0.7 * 2.0),
    }
    # at low pressure it waits; the strike goes on
    world = two_region_world(on=("state",), state={**CONCEDE, "concession_cost": 5.0})
    start_strike(world, mine_workers(world))
    kinds = run_state(world, 5)
    assert kinds[2] == ["ignored"] and "concession" not in sum(kinds, [])
    assert world.workers.striking.sum() == 40


def test_state_waits_when_it_does_not_take_the_strike_up():
    world = two_region_world(on=("state",), state={**CONCEDE, "answer_rate": 0.0})
    start_strike(world, mine_workers(world))
    kinds = run_state(world, 10)
    assert all(k == [] for k in kinds)
    assert world.workers.striking.sum() == 40


def test_a_settled_enterprise_holds_its_truce_in_a_run():
    sc = mutualdep.load_scenario(
        "small-town",
        {
            "state.openness": 1.0,
            "state.answer_rate": 1.0,
            "state.full_share": 0.05,
            "state.min_days": 3,
            "state.truce_days": 45,
            "end": dt.date(1989, 8, 31),
        },
    )
    result = mutualdep.run(sc, seed=2)
    ev = result.events
    assert ev.filter(pl.col("kind") == "concession").height >= 1
    won = ev.filter((pl.col("kind") == "strike_end") & pl.col("detail").str.starts_with("won"))
    assert won.height >= 1
    days = result.enterprise_days
    for e, day in zip(won["enterprise"].to_list(), won["date"].to_list(), strict=True):
        truce = days.filter(
            (pl.col("enterprise") == e)
            & (pl.col("date") >= day)
            & (pl.col("date") <= min(day + dt.timedelta(days=45), sc.end))
        )
        assert (truce["striking"] == 0).all(), e


def test_a_repressive_regime_arrests_and_belief_falls_in_a_run():
    """small-town under a regime that trusts its army: over seeds, crackdowns arrest strikers
    and the region's belief that strikes win ends below where it began."""
    arrests = 0
    for seed in range(3):
        sim = mutualdep.Simulation(
            mutualdep.load_scenario(
                "small-town",
                {f"state.{k}": v for k, v in REPRESS.items()} | {"end": dt.date(1989, 8, 31)},
            ),
            seed,
        )
        belief0 = sim.world.regions.belief.copy()
        sim.run()
        ev = sim.result().events
        assert ev.filter(pl.col("kind") == "repression").height >= 1, seed
        arrests += ev.filter(pl.col("kind") == "arrests").height
        assert (sim.world.regions.belief < belief0).all(), seed
    assert arrests >= 3


def test_what_happened_in_one_year_shapes_the_next():
    """One mine strikes in July 1989 and again in March 1991 (a spark each time): belief in
    1991 is what 1989's outcome left, a concession raising it and a crackdown lowering it."""
    beliefs = {}
    for name, regime in (("conceded", CONCEDE), ("repressed", REPRESS)):
        data = tiny_data(on=("state", "collective_action"), end=dt.date(1991, 3, 1))
        data["state"] = {**regime, "enabled": True}
        data["sparks"] = [{"date": dt.date(1989, 7, 3), "enterprise": "mine", "brigades": 4}]
        data["collective_action"] = {"belief": 0.6, "win_value": 30_000.0}
        sim = mutualdep.Simulation(scenario_of(data), 0)
        sim.run()
        beliefs[name] = float(sim.world.regions.belief[0])
    assert beliefs["conceded"] > 0.6 > beliefs["repressed"]


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


@pytest.mark.slow
def test_the_1989_wave_ends_enterprise_by_enterprise_with_holdouts():
    """kuzbass-1989: the protocol is signed once, and in most seeds some enterprises hold out
    and go back on later days of their own. Judged seed by seed: where the state signs late
    (seeds 2 and 4: 29-30 July, nearly three weeks in) every striker has lost enough to take
    it, so those seeds have no holdout (4 of seeds 0-5 have holdouts; docs/decision.md)."""
    with_holdouts = 0
    for seed in range(6):
        sc = mutualdep.load_scenario("kuzbass-1989", {"end": dt.date(1989, 9, 30)})
        ev = mutualdep.run(sc, seed=seed).events
        assert ev.filter(pl.col("kind") == "concession").height == 1, seed
        ends = ev.filter(pl.col("kind") == "strike_end")
        late = ends.filter(pl.col("detail").str.contains("after holding out"))
        held = ev.filter(pl.col("kind") == "holdout").height
        if held:
            assert ends["date"].n_unique() >= 2, seed  # the protocol's day, and later days
            assert late.height >= 1, seed
            with_holdouts += 1
    assert with_holdouts >= 3  # at least half the seeds


def test_each_cost_the_regime_weighs_acts():
    """repress = q x repression_cost x openness + (1 - q) x failure_cost, q its own belief."""
    levers = {"crackdown_belief": 0.4, "repression_cost": 3.0, "failure_cost": 5.0, "openness": 0.5}
    world = two_region_world(on=("state",), state={**CONCEDE, **levers, "concession_cost": 0.7})
    costs = State(world).costs(world, pressure=0.9)
    assert costs == {
        "ignore": 0.9,
        "concede": 0.7,
        "repress": pytest.approx(0.4 * 3.0 * 0.5 + 0.6 * 5.0),
    }
    # a regime for which crushing voice is costly concedes instead
    world = two_region_world(
        on=("state",),
        state={**REPRESS, "openness": 1.0, "repression_cost": 5.0, "concession_cost": 0.5},
    )
    start_strike(world, aggrieved(world, "mine", 0.0))
    kinds = sum(run_state(world, 3), [])
    assert "concession" in kinds and "repression" not in kinds


@pytest.mark.parametrize(
    ("lever", "value", "leaving"),
    [("arrest_share", 1.0, 40), ("dismissal_share", 1.0, 40), ("arrest_share", 0.0, None)],
)
def test_arrests_and_dismissals_follow_their_shares(lever, value, leaving):
    state = {**REPRESS, "arrest_share": 0.0, "dismissal_share": 0.0, lever: value}
    world = two_region_world(on=("state",), state=state)
    start_strike(world, mine_workers(world))
    run_state(world, 3)
    ids = np.concatenate([r.ids for r in world.messages.exit_requests])
    kinds = [e[1] for e in world.records.events]
    if leaving is None:
        assert len(ids) == 0 and "arrests" not in kinds and "dismissals" not in kinds
    else:
        assert len(ids) == leaving
        assert ("arrests" if lever == "arrest_share" else "dismissals") in kinds


@pytest.mark.parametrize(
    ("lever", "value", "settles"),
    [
        ("offer_months", 0.0, False),
        ("offer_months", 1000.0, True),
        ("accept_share", 0.0, True),
        ("accept_share", 1.0, False),
    ],
)
def test_what_the_strikers_weigh_acts(lever, value, settles):
    """A quarter of the mine's strikers have nothing to hope for, the rest hope for far more:
    the offer's horizon and the share needed to go back decide (savings do not run out)."""
    world = two_region_world(on=("state",), state={**CONCEDE, lever: value})
    ids = mine_workers(world)
    w = world.workers
    w.savings[ids] = 1e9
    w.grievance[ids] = np.where(np.arange(len(ids)) % 4 == 0, 0.0, 1.0).astype(np.float32)
    start_strike(world, ids)
    run_state(world, 3)
    assert bool(world.enterprises.settled[0]) == settles
