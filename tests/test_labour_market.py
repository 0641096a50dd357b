"""Labour market: who quits (statistically, over seeds), hiring into vacancies, privileges."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl
import pytest

import mutualdep
from mdsupport import make_world, scenario_of, simulate, tiny_data
from mutualdep.mechanisms.labour_market import LabourMarket
from mutualdep.world import EMPLOYED, QUIT, SEEKING

LM = {
    "quit_rate": 0.012,
    "young_factor": 2.5,
    "single_factor": 1.8,
    "children_factor": 0.5,
    "grievance_effect": 1.0,
    "stake_effect": 1.0,
    "pay_effect": 0.0,
    "retire_rate": 0.0,
    "fire_rate": 0.0,
    "fill_rate": 0.0,
}
SEEDS = (0, 1, 2)


def quit_world_data(**lm) -> dict:
    """3,000 workers, one town of reference outside options; only the labour market runs, so
    stakes are zero and grievance stays at its starting 0.3."""
    data = tiny_data(on=("labour_market",), end=dt.date(1990, 6, 30))
    data["towns"] = [{"name": "T1", "region": "R1", "isolation": 0.3, "other_employers": 0.5}]
    data["enterprises"] = [{"name": "mine", "industry": "coal", "town": "T1", "workers": 3000}]
    data["labour_market"] = dict(LM, **lm)
    return data


def yearly_quit_probability(monthly_hazard: float) -> float:
    return 1 - math.exp(-12 * monthly_hazard)


def test_young_single_workers_quit_most_over_seeds():
    """Quits in the first 12 months by group, pooled over 3 seeds.

    Young (< 29 at the start, so < 30 all year) single workers: hazard 0.012 x 2.5 x 1.8 x 1.3
    a month; 30+ workers with children: 0.012 x 0.5 x 1.3. Observed shares must be within 0.05
    (about 4 standard errors at these group sizes) of 1 - exp(-12 h), and the first must be at
    least 3 times the second.
    """
    groups = {"young_single": [0, 0], "family": [0, 0]}  # quits, at risk
    for seed in SEEDS:
        sc = scenario_of(quit_world_data())
        stop = (dt.date(1990, 7, 1) - sc.start).days - 1  # twelve months: July to June
        world, _, _ = simulate(sc, seed=seed, days=stop + 1)
        w = world.workers
        n0 = int(world.ent_workers_start.sum())  # the initial workers are ids 0..n0-1
        age0 = world.calendar.fractional_year(0) - w.born[:n0]
        young_single = (age0 < 29) & ~w.married[:n0] & (w.children[:n0] == 0)
        family = (age0 >= 30) & (w.children[:n0] > 0)
        quit = (w.status[:n0] == SEEKING) & (w.exit_cause[:n0] == QUIT)
        for name, mask in (("young_single", young_single), ("family", family)):
            groups[name][0] += int((quit & mask).sum())
            groups[name][1] += int(mask.sum())
    share = {k: q / n for k, (q, n) in groups.items()}
    assert groups["young_single"][1] >= 300 and groups["family"][1] >= 300
    g = 1 + LM["grievance_effect"] * 0.3
    want_young = yearly_quit_probability(
        LM["quit_rate"] * LM["young_factor"] * LM["single_factor"] * g
    )
    want_family = yearly_quit_probability(LM["quit_rate"] * LM["children_factor"] * g)
    assert share["young_single"] == pytest.approx(want_young, abs=0.05)
    assert share["family"] == pytest.approx(want_family, abs=0.05)
    assert share["young_single"] >= 3 * share["family"]


def test_turnover_table_shows_young_single_quitting_most_in_a_town():
    """The public turnover table over a year of small-town, 2 seeds: quits of under-25 singles
    per under-25 single at the start is more than twice that of 35-44s with children (a loose
    check: the quits include the young hired during the year; the model gives about 10x)."""
    quits = {"young_single": 0, "family": 0}
    heads = {"young_single": 0, "family": 0}
    for seed in (1, 2):
        sc = mutualdep.load_scenario("small-town")
        world, result, _ = simulate(sc, seed=seed, days=1)
        w = world.workers
        age = world.age()
        heads["young_single"] += int(
            ((age < 25) & ~w.married[: w.n] & (w.children[: w.n] == 0)).sum()
        )
        heads["family"] += int(((age >= 35) & (age < 45) & (w.children[: w.n] > 0)).sum())
        turnover = mutualdep.run(sc, seed=seed).turnover.filter(pl.col("cause") == "quit")
        quits["young_single"] += turnover.filter(
            (pl.col("age_band") == "<25") & (pl.col("family") == "single")
        )["count"].sum()
        quits["family"] += turnover.filter(
            (pl.col("age_band") == "35-44") & (pl.col("family") == "children")
        )["count"].sum()
    assert heads["young_single"] > 100 and heads["family"] > 100
    assert quits["young_single"] / heads["young_single"] > 2 * quits["family"] / heads["family"]


def test_a_stake_in_kind_holds_workers():
    base = scenario_of(quit_world_data(stake_effect=3.0))
    quit_shares = []
    for stake_years in (0.0, 1.0):

        def give_stake(world, day, stake_years=stake_years):
            w = world.workers
            w.stake[: w.n] = stake_years * 12 * w.wage[: w.n]

        world, _, _ = simulate(base, seed=4, days=365, before_day=give_stake)
        n0 = int(world.ent_workers_start.sum())
        quit_shares.append((world.workers.status[:n0] == SEEKING).mean())
    # exp(-3) of the hazard: the held group quits several times less
    assert quit_shares[1] < quit_shares[0] / 4


def test_vacancies_fill_at_the_fill_rate_and_hires_are_counted():
    data = quit_world_data(fill_rate=0.1)
    data["enterprises"] = [{"name": "mine", "industry": "coal", "town": "T1", "workers": 400}]
    world = make_world(scenario_of(data), 0)
    lm = LabourMarket(world)
    w = world.workers
    gone = np.arange(0, 400, 2)  # half the workers leave at once
    from mutualdep.mechanisms.labour_market import resolve_exits

    resolve_exits(world, 0, gone, np.full(len(gone), QUIT, np.int8))
    assert world.shops.workers.sum() == 200
    n_before = w.n
    world.day = 1
    lm._hire(world, 1)
    hired = w.n - n_before
    # 10 % of 200 vacancies, stochastically rounded per shop
    assert abs(hired - 20) <= len(world.shop_target)
    assert world.enterprises.hires.sum() == hired
    assert world.shops.workers.sum() == 200 + hired
    assert (w.status[n_before : w.n] == EMPLOYED).all()
    # new ids follow the old ones: nobody's id was reused
    assert (w.status[gone] == SEEKING).all()
    assert len(np.unique(w.key[: w.n])) == w.n


def test_managers_privilege_the_occupations_they_lack():
    data = quit_world_data(privilege_vacancy=0.08)
    data["enterprises"] = [{"name": "works", "industry": "steel", "town": "T1", "workers": 400}]
    data["industries"]["steel"]["privileged_occupations"] = []
    world = make_world(scenario_of(data), 0)
    lm = LabourMarket(world)
    w = world.workers
    cook = world.occupation_names.index("cook")
    cooks = np.flatnonzero(w.occupation[: w.n] == cook)
    from mutualdep.mechanisms.labour_market import resolve_exits

    resolve_exits(world, 0, cooks[: len(cooks) // 2], np.full(len(cooks) // 2, QUIT, np.int8))
    world.ent_privileged[:] = False
    lm._privileges(world)
    assert world.ent_privileged[0, cook]
    assert any(e[1] == "privilege_granted" and e[4] == "cook" for e in world.records.events)


def test_no_privilege_is_granted_for_a_random_draw_of_occupations():
    """At the start every occupation has its posts: the first month grants nothing, however
    the draw of occupations fell (it once granted 93 of 156 privileges on 1 January)."""
    for seed in range(5):
        data = quit_world_data(privilege_vacancy=0.08)
        data["enterprises"] = [
            {"name": f"works {i}", "industry": "steel", "town": "T1", "workers": 37}
            for i in range(6)
        ]
        data["industries"]["steel"]["privileged_occupations"] = []
        world = make_world(scenario_of(data), seed)
        LabourMarket(world)._privileges(world)
        assert not world.ent_privileged.any(), seed
