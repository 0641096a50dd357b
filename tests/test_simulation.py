"""The steppable Simulation: stepping then running on equals one uninterrupted run."""

import datetime as dt

import pytest

import mutualdep


def test_stepping_then_running_equals_one_run():
    sc = mutualdep.load_scenario("small-town")
    until = dt.date(1989, 8, 31)
    whole = mutualdep.run(sc, seed=2, until=until)
    sim = mutualdep.Simulation(sc, seed=2)
    sim.step()
    sim.step(days=30)
    assert sim.day == 31 and sim.date == sc.start + dt.timedelta(days=31)
    sim.step(days=150)
    sim.run(until=until)
    stepped = sim.result()
    assert stepped.tables.keys() == whole.tables.keys()
    for name, table in whole.tables.items():
        assert table.equals(stepped.tables[name]), name


def test_partial_result_covers_the_days_run():
    sc = mutualdep.load_scenario("small-town")
    sim = mutualdep.Simulation(sc, seed=1)
    with pytest.raises(mutualdep.InputError):
        sim.result()
    sim.step(days=10)
    days = sim.result().enterprise_days["date"].unique().sort()
    assert days.len() == 10 and days[-1] == sc.start + dt.timedelta(days=9)
    assert "day 10 of" in repr(sim) and len(repr(sim)) < 300
