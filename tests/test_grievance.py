"""Grievance: bounded in [0, 1], ordered by its causes, shocks that decay."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mutualdep
from mdsupport import make_world, scenario_of, tiny_data
from mutualdep.mechanisms.grievance import Grievance
from mutualdep.shared_state import expected_pay
from mutualdep.world import BARRACKS, NOT_ON_LIST, OWN_FLAT, SHARED

WEIGHTS = ("pay", "danger", "housing", "wait", "injustice", "shortage", "pollution")


def grievance_world(seed: int = 0, **weights):
    data = tiny_data(on=("grievance",))
    data["enterprises"] = [{"name": "mine", "industry": "coal", "town": "T1", "workers": 200}]
    data["grievance"] = {k: 0.0 for k in WEIGHTS} | {"noise": 0.0} | weights
    return make_world(scenario_of(data), seed)


@settings(max_examples=30, deadline=None)
@given(st.fixed_dictionaries({k: st.floats(0, 5) for k in (*WEIGHTS, "noise")}), st.integers(0, 3))
def test_grievance_stays_in_unit_interval(weights, seed):
    world = grievance_world(seed, **weights)
    Grievance(world)
    g = world.workers.grievance[: world.workers.n]
    assert np.isfinite(g).all()
    assert ((g >= 0) & (g <= 1)).all()


def test_grievance_saturates_at_one_and_floors_at_zero():
    world = grievance_world(0, **{k: 5.0 for k in WEIGHTS})
    Grievance(world)
    assert (world.workers.grievance[: world.workers.n] == 1.0).all()
    world = grievance_world(0)
    Grievance(world)
    assert (world.workers.grievance[: world.workers.n] == 0.0).all()


def test_housing_grievance_orders_barracks_shared_own_flat():
    world = grievance_world(0, housing=1.0)
    w = world.workers
    w.housing[0], w.housing[1], w.housing[2] = BARRACKS, SHARED, OWN_FLAT
    Grievance(world)
    g = w.grievance
    assert g[0] > g[1] > g[2] == 0.0
    assert g[0] == pytest.approx(1.0)


def test_long_waits_and_pay_below_expectation_raise_grievance():
    world = grievance_world(0, wait=1.0)
    w = world.workers
    w.applied[0, 0] = -365 * 10  # ten years on the housing list
    w.applied[0, 1] = -365
    w.applied[0, 2] = NOT_ON_LIST
    Grievance(world)
    assert w.grievance[0] > w.grievance[1] > w.grievance[2] == 0.0

    world = grievance_world(0, pay=1.0)
    w = world.workers
    g = Grievance(world)
    expected = expected_pay(world)
    w.wage[0] = expected[0]
    w.wage[1] = expected[1] * 0.5
    g._monthly(world, 0)
    assert w.grievance[0] == pytest.approx(0.0, abs=1e-6)
    assert w.grievance[1] == pytest.approx(0.5, abs=1e-5)


def test_shortage_follows_the_dated_index():
    data = tiny_data(on=("grievance",))
    data["grievance"] = {k: 0.0 for k in WEIGHTS} | {
        "noise": 0.0,
        "shortage": 1.0,
        "shortage_index": [[dt.date(1989, 1, 1), 0.2], [dt.date(1990, 1, 1), 0.6]],
    }
    world = make_world(scenario_of(data), 0)
    g = Grievance(world)
    want = 0.2 + 0.4 * (dt.date(1989, 7, 1) - dt.date(1989, 1, 1)).days / 365
    assert g.shortage(world, 0) == pytest.approx(want)
    assert world.workers.grievance[: world.workers.n] == pytest.approx(
        np.full(world.workers.n, want), abs=1e-6
    )


def test_shock_decays_with_its_half_life():
    world = grievance_world(0)
    g = Grievance(world)
    half = world.scenario.grievance.shock_half_life_days
    world.enterprises.shock[0] = 0.4
    for day in range(1, int(half) + 1):
        world.day = day
        g.step(world, day)
    assert world.enterprises.shock[0] == pytest.approx(0.2)


def test_recorded_grievance_mean_stays_in_unit_interval_after_shocks():
    """Repression adds a large grievance shock; the recorded mean is still a grievance."""
    sc = mutualdep.load_scenario(
        "small-town",
        {
            "state.openness": 0.0,
            "state.answer_rate": 1.0,
            "state.army_reluctance": 0.0,
            "state.crackdown_belief": 0.9,
            "state.concession_cost": 2.0,
            "state.full_share": 0.01,
            "state.win_relief": 1.0,
            "grievance.shortage": 0.6,
            "end": dt.date(1989, 8, 15),
        },
    )
    result = mutualdep.run(sc, seed=1)
    assert "repression" in result.events["kind"].to_list()
    g = result.enterprise_days["grievance_mean"]
    assert g.min() >= 0.0 and g.max() <= 1.0
