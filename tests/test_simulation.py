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


def test_short_views_for_a_console_and_a_notebook():
    sc = mutualdep.load_scenario("small-town")
    sim = mutualdep.Simulation(sc, seed=1).step(days=5)
    assert "small-town" in sim._repr_html_() and "day 5 of" in sim._repr_html_()
    result = sim.result()
    text = repr(result)
    assert len(text) < 400 and "small-town" in text and "enterprise_days" in text
    page = result._repr_html_()
    assert page.count("<tr>") == len(result.tables) + 1
    assert f"<td>{result.enterprise_days.height:,}</td>" in page


def test_a_saved_run_loads_back_equal(tmp_path):
    sc = mutualdep.load_scenario("small-town")
    result = mutualdep.run(sc, seed=1, until=dt.date(1989, 2, 10))
    loaded = mutualdep.load_result(result.save(tmp_path / "run"))
    assert loaded.info == result.info
    assert loaded.scenario == result.scenario
    assert loaded.tables.keys() == result.tables.keys()
    for name, table in result.tables.items():
        assert table.equals(loaded.tables[name]), name


def test_loading_a_folder_that_is_no_run_is_a_clear_error(tmp_path):
    with pytest.raises(mutualdep.InputError, match="expected a saved run"):
        mutualdep.load_result(tmp_path)
    (tmp_path / "run.json").write_text("{not json")
    with pytest.raises(mutualdep.InputError, match="run.json"):
        mutualdep.load_result(tmp_path)
