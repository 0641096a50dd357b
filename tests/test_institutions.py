"""Institutions as actors: unions that keep members by distributing, the new union after a won
strike, the labour council ruling on privileges, elected and appointed shop bosses."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import mutualdep
from mdsupport import SRC, aggrieved_works, make_world, scenario_of, tiny_data
from mutualdep.mechanisms.campaigns import Campaigns
from mutualdep.mechanisms.institutions import Institutions
from mutualdep.mechanisms.labour_market import LabourMarket, resolve_exits
from mutualdep.shared_state import INDEPENDENT, NO_UNION, OFFICIAL
from mutualdep.world import QUIT

STRIKE_TABLES = ("enterprise_days", "shop_months", "sanctions", "turnover", "allocations")


def mine_world(workers: int = 1000, **institutions):
    data = tiny_data(on=(), end=dt.date(1990, 12, 31))
    data["enterprises"] = [{"name": "mine", "industry": "coal", "town": "T1", "workers": workers}]
    data["institutions"] = {"enabled": True, **institutions}
    world = make_world(scenario_of(data), 0)
    return world, Institutions(world)


def month_starts(world, n: int) -> list[int]:
    return [int(d) for d in np.flatnonzero(world.calendar.month_start)[1 : n + 1]]


def members(world, union: int) -> int:
    w = world.workers
    return int((w.union[: w.n][world.employed()] == union).sum())


def test_a_won_strike_hands_the_lists_to_the_new_union():
    """The day after management removes the director, the independent union holds the lists
    and the new director has half his predecessor's capacity; each month a tenth of those
    outside it move to it (binomial, within 4 standard deviations)."""
    world, inst = mine_world()
    capacity = world.ent_capacity[0]
    assert members(world, OFFICIAL) == 1000
    world.enterprises.director_removed[0] = 5
    inst.step(world, 6)
    assert world.enterprises.union_lists[0] == INDEPENDENT
    assert world.ent_capacity[0] == pytest.approx(0.5 * capacity)
    official, independent = [1000], [0]
    for day in month_starts(world, 6):
        inst.step(world, day)
        official.append(members(world, OFFICIAL))
        independent.append(members(world, INDEPENDENT))
    assert all(a > b for a, b in zip(official, official[1:], strict=False))
    assert all(a < b for a, b in zip(independent, independent[1:], strict=False))
    expected = 1000 * 0.9**6
    assert abs(official[-1] - expected) < 4 * np.sqrt(1000 * 0.9**6 * (1 - 0.9**6))
    assert official[-1] + independent[-1] == 1000
    inst.step(world, month_starts(world, 7)[-1] + 1)  # no second replacement without a removal
    assert world.ent_capacity[0] == pytest.approx(0.5 * capacity)


def test_a_union_that_stops_distributing_loses_members_and_wins_them_back():
    """With the social fund starved below ``starve_funding`` the official union has nothing to
    hand out: its members drift to none; once funding returns they come back."""
    world, inst = mine_world(starve_funding=0.5, switch_rate=0.2)
    days = month_starts(world, 8)
    world.enterprises.funding[:] = 1.0
    inst.step(world, days[0])
    assert members(world, OFFICIAL) == 1000  # a union that distributes keeps everyone
    world.enterprises.funding[:] = 0.4
    counts = []
    for day in days[1:5]:
        inst.step(world, day)
        counts.append(members(world, OFFICIAL))
    assert all(a > b for a, b in zip([1000, *counts], counts, strict=False))
    assert abs(counts[-1] - 1000 * 0.8**4) < 4 * np.sqrt(1000 * 0.8**4 * 0.2)
    assert members(world, NO_UNION) == 1000 - counts[-1]
    world.enterprises.funding[:] = 1.0
    for day in days[5:]:
        inst.step(world, day)
    assert members(world, OFFICIAL) > counts[-1]
    rows = world.records.unions[-1]
    assert rows[2][0] == OFFICIAL and rows[1][0].sum() == 1000


def run_small_town(seed: int = 0, until: str = "1989-12-31", **institutions):
    over = {f"institutions.{k}": v for k, v in institutions.items()}
    return mutualdep.run(mutualdep.load_scenario("small-town", over), seed=seed, until=until)


def test_in_a_real_run_the_new_union_grows_where_strikes_removed_the_director():
    result = run_small_town(enabled=True)
    events = result.events
    removed = events.filter(pl.col("kind") == "director_removed")["enterprise"].to_list()
    appointed = events.filter(pl.col("kind") == "director_appointed")
    assert removed and sorted(appointed["enterprise"].to_list()) == sorted(removed)
    unions = result.tables["unions"]
    for e in removed:
        mine = unions.filter(pl.col("enterprise") == e).sort("date")
        new = mine.filter(pl.col("union") == "independent")
        old = mine.filter(pl.col("union") == "official")
        after = new["distributes"].to_numpy()
        assert after.any() and not old.filter(pl.Series(after))["distributes"].any()
        assert (np.diff(new["members"].to_numpy()[after]) > 0).all()
        assert (np.diff(old["members"].to_numpy()[after]) < 0).all()
        assert (new["handed_out"].to_numpy()[after] > 0).all()


def test_switched_off_they_leave_no_trace_and_neutral_levers_change_nothing():
    """Off, the unions table is empty; on with every lever neutral the other tables are those
    of a run without institutions (membership is recorded but acts on nothing else)."""
    off = run_small_town(seed=2, until="1989-08-31")
    neutral = run_small_town(
        seed=2,
        until="1989-08-31",
        enabled=True,
        council_share=0.0,
        elected_placate=0.0,
        appointed_deter=0.0,
        new_director_capacity=1.0,
        office_chance=0.0,
    )
    assert off.tables["unions"].height == 0 and neutral.tables["unions"].height > 0
    for name in STRIKE_TABLES:
        assert off.tables[name].equals(neutral.tables[name]), name
    ours = ("director_appointed", "director_to_office")
    assert off.events.equals(neutral.events.filter(~pl.col("kind").is_in(ours)))


def test_the_labour_council_refuses_management_a_privilege_for_a_small_trade():
    """Managers short of cooks privilege them (labour_market); a council that admits only
    trades with over half the workforce refuses, one with a lower bar lets it through."""
    granted = {}
    for share in (0.5, 0.3):
        data = tiny_data(on=("labour_market",), end=dt.date(1990, 6, 30))
        data["labour_market"] = {"privilege_vacancy": 0.08}
        data["institutions"] = {"enabled": True, "council_share": share}
        data["enterprises"] = [{"name": "works", "industry": "steel", "town": "T1", "workers": 400}]
        data["industries"]["steel"]["privileged_occupations"] = []
        world = make_world(scenario_of(data), 0)
        lm, inst = LabourMarket(world), Institutions(world)
        w = world.workers
        cook = world.occupation_names.index("cook")
        cooks = np.flatnonzero(w.occupation[: w.n] == cook)
        gone = cooks[: len(cooks) // 2]
        resolve_exits(world, 0, gone, np.full(len(gone), QUIT, np.int8))
        share_left = (w.occupation[: w.n][world.employed()] == cook).mean()
        assert 0.3 < share_left < 0.5
        inst.step(world, month_starts(world, 1)[0])
        world.ent_privileged[:] = False
        lm._privileges(world)
        granted[share] = bool(world.ent_privileged[0, cook])
    assert granted == {0.5: False, 0.3: True}


def test_the_labour_council_rules_on_admission_campaigns_too():
    """The cooks (60 percent of the works) win admission when the council lets them stand; a
    council that admits only trades with over 70 percent holds no such campaign."""
    won = {}
    for share in (0.7, 0.05):
        world = aggrieved_works(institutions={"council_share": share})
        Institutions(world)._council(world)
        Campaigns(world).step(world, 0)
        cook = world.occupation_names.index("cook")
        won[share] = bool(world.ent_privileged[0, cook])
        held = [e for e in world.records.events if e[4].startswith("admission of cooks")]
        assert bool(held) == (share < 0.6)
    assert won == {0.7: False, 0.05: True}


def strike_days_and_grievance(**institutions) -> tuple[float, float]:
    """Striker-days and mean shop grievance in July-August 1989, summed over seeds 0-2."""
    days = grievance = 0.0
    for seed in range(3):
        r = run_small_town(seed=seed, until="1989-08-31", enabled=True, **institutions)
        days += float(r.enterprise_days["striking"].sum())
        months = r.tables["shop_months"]
        grievance += months.filter(pl.col("date") == dt.date(1989, 7, 1))["grievance_mean"].mean()
    return days, grievance


def test_elected_bosses_placate_and_appointed_bosses_deter():
    """Over seeds 0-2 of the small town's July 1989: shops whose elected bosses placate are
    less aggrieved and strike fewer days than shops under appointed bosses who do not deter;
    appointed bosses who deter cut the striker-days too (the stated directions)."""
    appointed = strike_days_and_grievance(elected_share=0.0, appointed_deter=0.0)
    deterring = strike_days_and_grievance(elected_share=0.0, appointed_deter=1.0)
    elected = strike_days_and_grievance(elected_share=1.0, elected_placate=0.2)
    assert elected[1] < 0.85 * appointed[1]
    assert elected[0] < appointed[0]
    assert deterring[0] < appointed[0]
    assert deterring[1] == pytest.approx(appointed[1])


def test_the_docs_example_runs(tmp_path):
    text = (Path(__file__).parents[1] / "docs" / "institutions.md").read_text()
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert "independent" in out.stdout and "director_appointed" in out.stdout


def test_a_generous_plants_director_wins_office_once():
    """With a sure chance, the director of a plant handing out more than the bar wins an office
    at the first month start after ``office_from``, and not again; a mean plant's never does."""
    for inkind, expected in ((100.0, 1), (10.0, 0)):
        world, inst = mine_world(office_largesse=50.0, office_chance=1.0, office_from="1989-07-15")
        w = world.workers
        w.inkind[: w.n] = inkind
        for day in [0, *month_starts(world, 3)]:
            world.day = day
            inst.step(world, day)
        offices = [e for e in world.records.events if e[1] == "director_to_office"]
        assert len(offices) == expected
        if expected:
            assert offices[0][0] == month_starts(world, 1)[0]
