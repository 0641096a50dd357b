"""Workers who move: quitters and dismissed workers seek work in their town and are taken on
where there are vacancies, as the same people at the end of every line."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from mdsupport import make_world, scenario_of, simulate, tiny_data
from mutualdep.mechanisms.labour_market import LabourMarket
from mutualdep.world import (
    EMPLOYED,
    FIRED,
    HOUSING,
    NOT_ON_LIST,
    QUIT,
    SEEKING,
    STATUSES,
)
from mutualdep.world_state import ExitRequest

AUG_1 = 31  # the second month start of the tiny scenario
QUIET = {"quit_rate": 0.0, "fire_rate": 0.0, "retire_rate": 0.0, "pay_effect": 0.0}


def two_employer_data(mine: int = 200, works: int = 200, **lm) -> dict:
    """One town with a mine and a steel works; only the labour market runs."""
    data = tiny_data(on=("labour_market",), end=dt.date(1990, 6, 30))
    data["enterprises"] = [
        {"name": "mine", "industry": "coal", "town": "T1", "workers": mine},
        {"name": "works", "industry": "steel", "town": "T1", "workers": works},
    ]
    data["labour_market"] = dict(QUIET, **lm)
    return data


def dismiss(world, lm: LabourMarket, day: int, ids: np.ndarray) -> None:
    world.day = day
    world.messages.exit_requests.append(ExitRequest(ids, FIRED))
    lm.step(world, day)


def test_a_dismissed_worker_is_taken_on_only_where_there_is_a_vacancy():
    """fill_rate 1 fills every vacancy the next day: the mine's 20 dismissed cannot go back to
    the mine and the works has no vacancy, so they wait; when the works dismisses 10, exactly
    10 of the mine's seekers take their jobs, as themselves, at the end of every line."""
    world = make_world(scenario_of(two_employer_data(fill_rate=1.0)), 0)
    lm = LabourMarket(world)
    w = world.workers
    mine_ids = np.flatnonzero(w.enterprise[: w.n] == 0)[:20]
    n0 = w.n
    dismiss(world, lm, 1, mine_ids)
    assert (w.status[mine_ids] == SEEKING).all() and (w.exit_cause[mine_ids] == FIRED).all()
    assert (w.applied[:, mine_ids] == NOT_ON_LIST).all()
    assert w.n == n0 + 20  # the mine's vacancies went to entrants
    person = {c: getattr(w, c)[mine_ids].copy() for c in ("born", "married", "children", "skill")}
    person["savings"] = w.savings[mine_ids].copy()

    works_ids = np.flatnonzero(w.enterprise[:n0] == 1)[:10]
    dismiss(world, lm, 2, works_ids)
    back = mine_ids[w.status[mine_ids] == EMPLOYED]
    assert len(back) == 10 and w.n == n0 + 20  # no entrant: seekers took the works' jobs
    assert (w.enterprise[back] == 1).all() and (w.hired[back] == 2).all()
    assert ((w.applied[:, back] == NOT_ON_LIST) | (w.applied[:, back] == 2)).all()
    kept = np.isin(mine_ids, back)
    for col, before in person.items():
        assert np.array_equal(getattr(w, col)[back], before[kept]), col
    # the works' own dismissed wait: the only vacancy-free employer is the one they left
    assert (w.status[works_ids] == SEEKING).all()
    emp = world.employed()
    assert np.array_equal(world.shops.workers, np.bincount(w.shop[: w.n][emp], minlength=4))
    assert world.enterprises.hires.tolist() == [0, 10]
    move_rows = world.records.moves[-1]
    assert move_rows[2].sum() == 10


def test_in_a_company_town_the_dismissed_are_never_taken_on_again():
    data = two_employer_data(fill_rate=1.0, fire_rate=0.05)
    data["enterprises"] = data["enterprises"][:1]
    world, result, _ = simulate(scenario_of(data), seed=3, days=240)
    w = world.workers
    assert seekers_taken_on(result).height == 0
    seekers = result.job_seekers.sort("date")
    assert seekers["seeking"][-1] > 50
    assert seekers["wait_days_mean"][-1] > seekers["wait_days_mean"][1] > 0
    fired = w.exit_cause[: w.n] == FIRED
    assert (w.status[: w.n][fired] == SEEKING).all()
    assert np.isin(w.status[: w.n], STATUSES).all()


def mean_wait(fill_rate: float, seeds=(0, 1, 2)) -> float:
    count = waited = 0.0
    for seed in seeds:
        data = two_employer_data(mine=400, works=400, fill_rate=fill_rate, quit_rate=0.05)
        _, result, _ = simulate(scenario_of(data), seed=seed, days=365)
        moves = seekers_taken_on(result)
        count += moves["count"].sum()
        waited += (moves["count"] * moves["wait_days_mean"]).sum()
    return waited / count


def test_seekers_wait_days_in_a_shortage_and_longer_in_a_surplus():
    """Shortage: the works has lost 100 workers and fills 20 % of its vacancies a day, so the
    mine's 20 dismissed are all taken on within 5 days (20 slots the first day, 16 the next...).
    Over 3 seeds of a year of quits between two full employers, seekers wait longer where
    vacancies fill at 1 % a day than at 20 % (123 against 74 days at seed 0; the queue of
    seekers longer than the vacancies sets the floor)."""
    world = make_world(scenario_of(two_employer_data(fill_rate=0.2)), 0)
    lm = LabourMarket(world)
    w = world.workers
    gone = np.flatnonzero(w.enterprise[: w.n] == 1)[:100]
    lm.step(world, 0)
    world.messages.exit_requests.append(ExitRequest(gone, QUIT))
    seekers = np.flatnonzero(w.enterprise[: w.n] == 0)[:20]
    dismiss(world, lm, 1, seekers)
    for day in range(2, 6):
        world.day = day
        lm.step(world, day)
    assert (w.status[seekers] == EMPLOYED).all()
    assert (w.enterprise[seekers] == 1).all()
    quick, slow = mean_wait(0.2), mean_wait(0.01)
    assert slow > 1.4 * quick


def seekers_taken_on(result) -> pl.DataFrame:
    return result.moves.filter(pl.col("reason").is_in(["quit", "fired"]))


def test_rehire_lever_off_leaves_seekers_waiting():
    data = two_employer_data(mine=400, works=400, fill_rate=0.2, quit_rate=0.05, rehire=False)
    world, result, _ = simulate(scenario_of(data), seed=0, days=365)
    assert seekers_taken_on(result).height == 0
    assert (world.workers.status[: world.workers.n] == SEEKING).sum() > 100
    on = two_employer_data(mine=400, works=400, fill_rate=0.2, quit_rate=0.05)
    _, result_on, _ = simulate(scenario_of(on), seed=0, days=365)
    moves = seekers_taken_on(result_on)
    assert moves["count"].sum() > 100
    assert set(moves["reason"].unique()) == {"quit"}
    assert (moves["from_enterprise"] != moves["to_enterprise"]).all()
    assert set(zip(moves["from_industry"], moves["to_industry"], strict=True)) == {
        ("coal", "steel"),
        ("steel", "coal"),
    }


@pytest.mark.parametrize("effect", [0.0, 0.7])
def test_the_mines_wage_pulls_steelworkers_when_the_mines_have_vacancies(effect):
    """The mine pays about twice the works (pull capped at 1): with vacancies at the mine a
    steelworker's quit hazard is multiplied by about exp(0.7); the miners, paid more than the
    works pays, draw exactly the same quits either way."""
    counts = {}
    for e in (0.0, effect):
        data = two_employer_data(mine=400, works=4000, quit_rate=0.05, outside_pay_effect=e)
        world = make_world(scenario_of(data), 0)
        lm = LabourMarket(world)
        w = world.workers
        lm.step(world, 0)  # the first month's schedule without vacancies anywhere
        no_vacancy = lm.sched_ids.copy()
        world.messages.exit_requests.append(
            ExitRequest(np.flatnonzero(w.enterprise[: w.n] == 0)[:40], QUIT)
        )
        lm.step(world, 1)
        lm._schedule(world, 31)
        works = w.enterprise[lm.sched_ids] == 1
        miners = lm.sched_ids[w.occupation[lm.sched_ids] == 0]
        counts[e] = (works.sum(), set(miners.tolist()))
        assert len(no_vacancy) > 0
    (base, mine_base), (pulled, mine_pulled) = counts[0.0], counts[effect]
    assert mine_base == mine_pulled
    if effect:
        assert pulled / base == pytest.approx(np.exp(effect), rel=0.2)
    else:
        assert pulled == base


def test_job_seekers_table_counts_every_seeker_by_town():
    data = two_employer_data(fill_rate=0.0, quit_rate=0.05)
    world, result, _ = simulate(scenario_of(data), seed=1, days=92)
    last = result.job_seekers.filter(pl.col("date") == result.job_seekers["date"].max())
    # the last month start's count is everyone seeking then; no one has been taken on since
    assert last["seeking"].sum() <= (world.workers.status[: world.workers.n] == SEEKING).sum()
    assert last["seeking"].sum() > 0 and last["town"].to_list() == [0]


def works_world(**lm):
    """A steel works alone (fitters privileged): 320 in the furnace shop, 80 cooks in the
    canteen, every cook married, unhoused and on the flat line since day -100."""
    data = two_employer_data(works=400, **lm)
    data["enterprises"] = data["enterprises"][1:]
    world = make_world(scenario_of(data), 0)
    w = world.workers
    canteen = 1
    cooks = np.flatnonzero(w.shop[: w.n] == canteen)
    w.married[cooks] = True
    w.housing[cooks] = 1
    w.applied[HOUSING, cooks] = -100
    return world, LabourMarket(world), cooks


def test_cooks_take_production_jobs_for_a_flat_and_their_boss_keeps_them():
    """20 furnace vacancies, transfer_rate 1: exactly 20 cooks become fitters in the furnace
    shop, keeping their place in line. Housed, they ask to go back (return_rate 1): while the
    furnace is short by the privilege threshold (8 %) or more the boss lets none go; once it
    is fully staffed he lets them all go."""
    world, lm, cooks = works_world(transfer_rate=1.0, return_rate=1.0, fill_rate=0.0)
    w = world.workers
    furnace = np.flatnonzero(w.shop[: w.n] == 0)
    world.messages.exit_requests.append(ExitRequest(furnace[:20], QUIT))
    lm.step(world, 1)
    lm._transfers(world, AUG_1)
    moved = cooks[w.shop[cooks] == 0]
    fitter = world.occupation_names.index("fitter")
    assert len(moved) == 20
    assert (w.occupation[moved] == fitter).all() and (w.trade[moved] == 2).all()
    assert (w.applied[HOUSING, moved] == -100).all()
    assert world.shops.workers.tolist() == [320, 60]
    emp = world.employed()
    assert np.array_equal(world.brigades.workers, np.bincount(w.brigade[: w.n][emp]))
    w.housing[moved] = 2  # they got their flats
    world.messages.exit_requests.append(ExitRequest(furnace[20:50], QUIT))
    lm.step(world, 2)
    lm._transfers(world, AUG_1 + 30)
    assert (w.shop[moved] == 0).all()  # short by 30 of 320: nobody goes back
    world.shop_target[0] = world.shops.workers[0]  # fully staffed again
    lm._transfers(world, AUG_1 + 61)
    assert (w.shop[moved] == 1).all() and (w.trade[moved] == -1).all()
    assert (w.occupation[moved] == 2).all()
    reasons = np.zeros(4, np.int64)
    for _, codes, counts, _ in world.records.moves:
        np.add.at(reasons, codes % 4, counts)
    # 30 more cooks took the 30 new furnace vacancies; only the 20 housed went back
    assert reasons.tolist() == [50, 0, 0, 20]


def test_transfers_switch_off():
    world, lm, cooks = works_world(transfer_rate=0.0)
    furnace = np.flatnonzero(world.workers.shop[: world.workers.n] == 0)
    world.messages.exit_requests.append(ExitRequest(furnace[:20], QUIT))
    lm.step(world, 1)
    lm._transfers(world, AUG_1)
    assert (world.workers.shop[cooks] == 1).all()
