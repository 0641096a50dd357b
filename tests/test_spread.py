"""Strike committees: the reach their means of communication give, its growth, and the
committees' blessing to keep working for local needs."""

from __future__ import annotations

import numpy as np
import pytest

from mdsupport import make_world, scenario_of, start_strike, tiny_data
from mutualdep.mechanisms.collective_action import CollectiveAction
from mutualdep.mechanisms.production import Production
from mutualdep.mechanisms.spread import Spread


def towns_world(
    spread: dict,
    n_towns: int = 5,
    steel_in_t0: bool = False,
    collective_action: dict | None = None,
):
    """One region, a mine of 40 in each of ``n_towns`` towns (optionally a works in T0)."""
    data = tiny_data(on=("spread", "production"))
    data.setdefault("collective_action", {}).update(collective_action or {})
    data["towns"] = [{"name": f"T{i}", "region": "R1"} for i in range(n_towns)]
    data["enterprises"] = [
        {"name": f"mine {i}", "industry": "coal", "town": f"T{i}", "workers": 40}
        for i in range(n_towns)
    ]
    if steel_in_t0:
        data["enterprises"].append(
            {"name": "works", "industry": "steel", "town": "T0", "workers": 40}
        )
    data["spread"] = {"enabled": True, "committee_share": 0.2, "communication": 1.0, **spread}
    return make_world(scenario_of(data), 0)


def mine(world, i):
    w = world.workers
    return np.flatnonzero(w.enterprise[: w.n] == i)


def test_a_committee_reaches_what_its_means_allow_and_its_means_grow():
    """T0 all out; its committee's means reach 1 of its 4 linked towns on the first day, each
    other town gets 1/4 of the full pull (one of its four links is T0, at share 1), and the
    reach grows by means_growth / 4 a day until it is full."""
    world = towns_world({"means_start": 1.0, "means_growth": 0.5})
    start_strike(world, mine(world, 0))
    sp = Spread(world)
    signals = []
    for day in range(8):
        world.day = day
        sp.step(world, day)
        signals.append(float(world.towns.signal[1]))
    full = 1.0 / 4  # the link-weighted average over T1's four linked towns, one of them out
    want = [full * min((1.0 + 0.5 * d) / 4, 1.0) for d in range(8)]
    assert signals == pytest.approx(want)
    assert world.towns.signal[0] == 0.0  # no link to itself


def test_a_town_keeps_its_means_for_the_next_wave():
    world = towns_world({"means_start": 1.0, "means_growth": 1.0})
    ids = mine(world, 0)
    start_strike(world, ids)
    sp = Spread(world)
    for day in range(3):
        sp.step(world, day)
    w = world.workers
    w.striking[ids] = False
    world.shops.striking[:] = 0
    world.brigades.striking[:] = 0
    sp.step(world, 3)
    assert not sp.committee.any()
    assert sp.means[0] == pytest.approx(1.0 + 3 * 1.0)
    start_strike(world, ids)
    sp.step(world, 4)
    assert sp.reach()[0] == 1.0


@pytest.mark.parametrize(("chance", "blessed"), [(1.0, True), (0.0, False)])
def test_a_committee_can_let_a_mine_keep_producing_for_the_town(chance, blessed):
    """Coal feeds the works in T0: the committee lets local_needs_share of mine 0's strikers
    work, and production counts them at work; mine 1 (no consumer in T1) is never blessed."""
    world = towns_world(
        {"local_needs_chance": chance, "local_needs_share": 0.5}, n_towns=2, steel_in_t0=True
    )
    start_strike(world, np.concatenate([mine(world, 0), mine(world, 1)]))
    sp = Spread(world)
    sp.step(world, 0)
    local = world.enterprises.local_work
    assert local.tolist() == ([0.5, 0.0, 0.0] if blessed else [0.0, 0.0, 0.0])
    kinds = [e[1] for e in world.records.events]
    assert kinds.count("local_needs") == int(blessed)
    Production(world).step(world, 0)
    out = world.enterprises.output
    assert (out[0] > 0) == blessed and out[1] == 0.0


@pytest.mark.parametrize("weight", [0.0, 0.5, 1.0])
def test_committees_carry_each_industrys_news_into_the_prospect(weight):
    """T0's mine all out, its works not: the linked towns hear that coal is out in T0 (share
    1, a quarter of each town's four links) and that steel is not; a miner of T1 expects the
    larger of his region's coal share (40 of 200) and weight x that news of his enterprise out."""
    world = towns_world(
        {"means_start": 4.0, "industry_news": weight},
        steel_in_t0=True,
        collective_action={"gain_in_own_enterprise": True},
    )
    start_strike(world, mine(world, 0))
    sp = Spread(world)
    sp.step(world, 0)
    coal, steel = (world.industry_names.index(k) for k in ("coal", "steel"))
    news = world.towns.industry_news
    assert news[1:, coal] == pytest.approx(0.25)
    assert news[:, steel] == pytest.approx(0.0)
    assert world.towns.signal[1] == pytest.approx(0.25 * 40 / 80)  # T0's share of all its workers
    ca = CollectiveAction(world)
    q = ca.own_prospect(world)[np.flatnonzero(ca.b_ent == 1)]
    p = world.scenario
    expected = max(40 / 200, weight * 0.25)
    want = min(expected / p.management.removal_share, 1.0) ** p.collective_action.prospect_curve
    assert q == pytest.approx(want)
