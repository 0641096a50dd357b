"""Invariants over whole runs of small-town: headcounts balance, strikers never exceed workers,
no flat is allocated twice, ids are never reused, counters match the worker columns."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

import mutualdep
from mdsupport import simulate
from mutualdep.random import keys_for
from mutualdep.world import ARRESTED, EMPLOYED, HOUSING, NOT_ON_LIST, OWN_FLAT, RETIRED, SEEKING


class Watcher:
    """Checks the live world after every day and keeps what the table checks need."""

    def __init__(self):
        self.n = 0
        self.keys = np.zeros(0, np.uint64)
        self.status = np.zeros(0, np.int8)
        self.housing = np.zeros(0, np.int8)
        self.flats: list[tuple[int, np.ndarray]] = []  # (day, ids newly housed from the list)
        self.days = 0

    def __call__(self, world, day):
        w = world.workers
        n = w.n
        emp = w.status[:n] == EMPLOYED
        # ids are dense and never reused: old ids keep their key, keys are unique
        assert n >= self.n
        assert np.array_equal(w.key[: self.n], self.keys)
        assert len(np.unique(w.key[:n])) == n
        # every worker is employed, seeking, arrested or retired; retiring is for good; a seeker
        # taken on again starts at the end of every line; no one is hired while held
        assert np.isin(w.status[:n], (EMPLOYED, SEEKING, ARRESTED, RETIRED)).all()
        assert not ((self.status == ARRESTED) & (w.status[: self.n] == EMPLOYED)).any()
        retired_before = self.status == RETIRED
        assert (w.status[: self.n][retired_before] == RETIRED).all()
        back = np.flatnonzero((self.status == SEEKING) & (w.status[: self.n] == EMPLOYED))
        assert (w.hired[back] == day).all()
        lines = w.applied[:, back]
        assert ((lines == NOT_ON_LIST) | (lines == day)).all()
        # shared counters equal the columns
        assert np.array_equal(
            world.shops.workers, np.bincount(w.shop[:n][emp], minlength=world.n_shops)
        )
        assert np.array_equal(
            world.brigades.workers, np.bincount(w.brigade[:n][emp], minlength=world.n_brigades)
        )
        striking = w.striking[:n]
        assert not (striking & ~emp).any(), "a worker who left is still on strike"
        # a leaver has lost every place in line
        assert (w.applied[:, :n][:, ~emp] == NOT_ON_LIST).all(), (
            "a worker who left is still on a list"
        )
        assert np.array_equal(
            world.shops.striking, np.bincount(w.shop[:n][striking], minlength=world.n_shops)
        )
        assert np.array_equal(
            world.brigades.striking,
            np.bincount(w.brigade[:n][striking], minlength=world.n_brigades),
        )
        assert (world.shops.striking <= world.shops.workers).all()
        # a flat, once had, is kept; new flats today go to people who were on the list
        old = slice(0, self.n)
        assert not ((self.housing == OWN_FLAT) & (w.housing[old] != OWN_FLAT)).any()
        new_flat = np.flatnonzero((self.housing != OWN_FLAT) & (w.housing[old] == OWN_FLAT))
        if len(new_flat):
            assert (w.applied[HOUSING, new_flat] == NOT_ON_LIST).all()
            self.flats.append((day, new_flat))
        # grievance is a share
        g = w.grievance[:n]
        assert ((g >= 0) & (g <= 1)).all()
        self.n = n
        self.keys = w.key[:n].copy()
        self.status = w.status[:n].copy()
        self.housing = w.housing[:n].copy()
        self.days += 1


CASES = [
    (1, {}),
    (2, {"end": dt.date(1990, 12, 31)}),  # two housing allocations
    (3, {"collective_action.spark_rate": 0.002, "end": dt.date(1989, 9, 30)}),  # more strikes
]


@pytest.fixture(scope="module", params=CASES, ids=[f"seed{s}-{len(o)}" for s, o in CASES])
def watched_run(request):
    seed, overrides = request.param
    sc = mutualdep.load_scenario("small-town", overrides)
    watcher = Watcher()
    world, result, _ = simulate(sc, seed=seed, each_day=watcher)
    return sc, world, result, watcher


def test_live_invariants_held_every_day(watched_run):
    sc, world, result, watcher = watched_run
    assert watcher.days == world.calendar.n_days
    assert result.enterprise_days["striking"].max() > 0  # the run did have strikes


def test_headcounts_balance_with_flows(watched_run):
    sc, world, result, _ = watched_run
    ed = result.enterprise_days.sort("enterprise", "date")
    start = dict(
        zip(
            result.enterprises["enterprise"].to_list(),
            result.enterprises["workers_start"].to_list(),
            strict=True,
        )
    )
    for (e,), f in ed.group_by("enterprise", maintain_order=True):
        workers = f["workers"].to_numpy().astype(np.int64)
        prev = np.concatenate([[start[e]], workers[:-1]])
        net = (f["hires"] - f["quits"] - f["fired"] - f["retired"]).to_numpy()
        bad = np.flatnonzero(workers != prev + net)
        assert len(bad) == 0, (
            f"enterprise {e}: headcount does not balance on {f['date'][int(bad[0])]}"
        )
    totals = ed.select(pl.col("quits", "hires", "fired", "retired").sum()).row(0, named=True)
    assert totals["hires"] > 0 and totals["quits"] > 0
    # the turnover table tells the same story by cause
    tt = dict(result.turnover.group_by("cause").agg(pl.col("count").sum()).iter_rows())
    assert tt.get("hired", 0) == totals["hires"]
    assert tt.get("quit", 0) == totals["quits"]
    assert tt.get("fired", 0) == totals["fired"]
    assert tt.get("retired", 0) == totals["retired"]


def test_strikers_never_exceed_workers(watched_run):
    _, _, result, _ = watched_run
    ed = result.enterprise_days
    assert (ed["striking"] >= 0).all()
    assert (ed["striking"] <= ed["workers"]).all()
    if result.shop_days.height:
        shops = result.shop_days.join(result.shops.select("shop", "enterprise"), on="shop")
        per_ent = shops.group_by("date", "enterprise").agg(pl.col("striking").sum())
        joined = per_ent.join(
            ed.select("date", "enterprise", pl.col("striking").alias("ent")),
            on=["date", "enterprise"],
        )
        assert (joined["striking"] == joined["ent"]).all()


def test_no_flat_is_allocated_twice(watched_run):
    sc, world, result, watcher = watched_run
    housed = (
        np.concatenate([ids for _, ids in watcher.flats])
        if watcher.flats
        else np.zeros(0, np.int64)
    )
    assert len(housed) == len(np.unique(housed)), "a worker got a flat twice"
    alloc = result.allocations.filter(
        (pl.col("list") == "housing") & (pl.col("occupation") != "insider")
    )
    assert alloc["count"].sum() == len(housed)
    by_day = {(sc.start + dt.timedelta(days=d)): len(ids) for d, ids in watcher.flats}
    per_day = dict(alloc.group_by("date").agg(pl.col("count").sum()).iter_rows())
    assert per_day == by_day
    # flats are handed out on the housing allocation day only
    assert all((d.month, d.day) == (12, 1) for d in by_day)
    if sc.end >= dt.date(1989, 12, 1):
        assert len(housed) > 0


def test_ids_are_dense_and_never_reused(watched_run):
    _, world, result, _ = watched_run
    w = world.workers
    hires = int(result.enterprise_days["hires"].sum())
    taken_on = result.moves.filter(pl.col("reason").is_in(["quit", "fired"]))
    rehired = int(taken_on["count"].sum())
    assert rehired > 0
    # a seeker taken on again keeps his id: only entrants get new ones
    assert w.n == int(world.ent_workers_start.sum()) + hires - rehired
    assert len(np.unique(w.key[: w.n])) == w.n
    # each enterprise's hiring ordinals run 0, 1, 2 ... without gaps or repeats (a worker keeps
    # the ordinal of the enterprise that first hired him, which his key encodes)
    assert world.hire_ordinal.sum() == w.n
    for e in range(world.n_enterprises):
        first = (
            w.key[: w.n][None, :]
            == keys_for(world.ent_key[e], np.arange(world.hire_ordinal[e]))[:, None]
        )
        assert (first.sum(axis=1) == 1).all()
    # headcount at the end equals employed ids
    last = result.enterprise_days.filter(pl.col("date") == result.enterprise_days["date"].max())
    assert int(last["workers"].sum()) == int(world.employed().sum())
