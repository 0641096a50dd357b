"""Campaigns over the rules of distribution: who takes part, and how the mutual dependence
between management and the campaigners settles the outcome."""

from __future__ import annotations

import re

import pytest

from mdsupport import aggrieved_works
from mutualdep.mechanisms.campaigns import Campaigns
from mutualdep.world import HOUSING, NOT_ON_LIST


def events(world, kind="campaign"):
    return [e for e in world.records.events if e[1] == kind]


def test_without_resistance_publication_then_admission_are_won():
    world = aggrieved_works(capacity=0.0)
    Campaigns(world).step(world, 0)
    details = [e[4] for e in events(world)]
    assert any(d.startswith("publication:") and d.endswith("won") for d in details)
    assert any(d.startswith("admission of cooks") and d.endswith("won") for d in details)
    cook = world.occupation_names.index("cook")
    assert world.ent_published[0] and world.ent_privileged[0, cook]
    # the next month nobody presses for a single line: fitters and cooks are all privileged now
    world.records.events.clear()
    Campaigns(world).step(world, world.calendar.day_of(world.scenario.start.replace(month=8)))
    assert not events(world)


def test_chance_follows_pressure_against_management_capacity():
    """P(win) = funding x pressure / (pressure + capacity), pressure = share of the workforce
    taking part x (1 + scarcity); a full works has no scarcity."""
    world = aggrieved_works(capacity=0.5)
    w = world.workers
    fitter = world.occupation_names.index("fitter")
    # fitters are privileged: the publication campaign is the others' (the cooks)
    supporters = (w.occupation[: w.n] != fitter).sum()
    Campaigns(world).step(world, 0)
    (pub,) = [e[4] for e in events(world) if e[4].startswith("publication")]
    pressure = supporters / w.n
    want = pressure / (pressure + 0.5)
    assert re.search(rf"chance {want:.0%}", pub), (pub, want)


def test_scarcity_raises_the_chance_of_admission():
    """Cooks who are scarce (the staffing calls for twice as many) are needed more and win more
    often: the same campaigners, chance x (1 + 1/2)."""
    wins = {}
    for scarce in (False, True):
        won = 0
        for seed in range(40):
            world = aggrieved_works(capacity=0.6, seed=seed)
            campaigns = Campaigns(world)
            if scarce:
                campaigns.occ_target[0, world.occupation_names.index("cook")] *= 2
            campaigns.step(world, 0)
            won += sum(e[4].startswith("admission") and e[4].endswith("won") for e in events(world))
        wins[scarce] = won
    assert wins[True] > wins[False] + 5, wins


@pytest.mark.parametrize(
    "lever",
    [{"value": 0.0}, {"effort": 1e6}, {"min_share": 1.0}],
)
def test_each_lever_can_stop_campaigns(lever):
    world = aggrieved_works(capacity=0.0)
    world.workers.risk[:5] = 1e9  # a few would never act: min_share 1 can never be met
    Campaigns(world).step(world, 0)
    assert events(world)
    world = aggrieved_works(capacity=0.0, campaigns=lever)
    world.workers.risk[:5] = 1e9
    Campaigns(world).step(world, 0)
    assert not events(world)


def test_where_voice_is_dangerous_those_with_a_stake_keep_quiet():
    """voice_sanction x (1 - openness) x stake: at openness 1 the stake does not deter; at 0.2 it
    does, and without voice_sanction it does not."""
    for openness, sanction, held in ((1.0, 0.3, True), (0.2, 0.3, False), (0.2, 0.0, True)):
        world = aggrieved_works(
            capacity=0.0, openness=openness, campaigns={"voice_sanction": sanction}
        )
        world.workers.stake[:] = 50_000.0
        Campaigns(world).step(world, 0)
        assert bool(events(world)) == held, (openness, sanction)


def test_campaigns_run_only_at_month_start_and_off_the_list_no_one_campaigns():
    world = aggrieved_works(capacity=0.0)
    Campaigns(world).step(world, 1)
    assert not events(world)
    world.workers.applied[HOUSING, :] = NOT_ON_LIST
    Campaigns(world).step(world, 0)
    assert not events(world)
