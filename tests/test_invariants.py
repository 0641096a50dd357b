"""Invariants over whole runs: headcounts balance, strikers never exceed workers, no flat is
allocated twice, ids are never reused, counters match the worker columns. Small-town in detail,
and every built-in scenario at one agent per 50 workers (a year or its own span, a few seconds)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

import mutualdep
from mdsupport import simulate
from mutualdep.random import keys_for
from mutualdep.scenario import builtin_names
from mutualdep.shared_state import group_sum
from mutualdep.world import (
    ARRESTED,
    EMPLOYED,
    HOUSING,
    NOT_ON_LIST,
    OWN_FLAT,
    RETIRED,
    SEEKING,
    STATUSES,
)


class Watcher:
    """Checks the live world after every day and keeps what the table checks need."""

    def __init__(self):
        self.n = 0
        self.keys = np.zeros(0, np.uint64)
        self.status = np.zeros(0, np.int8)
        self.housing = np.zeros(0, np.int8)
        self.on_list = np.zeros(0, bool)  # on the housing list at the end of the day before
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
        # every worker is in a known status (employed, seeking, arrested, retired); retiring is
        # for good; a seeker taken on again starts at the end of every line; no one is hired
        # while held
        assert np.isin(w.status[:n], STATUSES).all()
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
        # each enterprise's headcount is its employed workers
        n_ent = world.n_enterprises
        assert np.array_equal(
            group_sum(world.shop_enterprise, world.shops.workers.astype(float), n_ent),
            np.bincount(w.enterprise[:n][emp], minlength=n_ent),
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
            assert self.on_list[new_flat].all(), "a flat went to someone not on the list"
            assert (w.applied[HOUSING, new_flat] == NOT_ON_LIST).all()
            self.flats.append((day, new_flat))
        # grievance is a share
        g = w.grievance[:n]
        assert ((g >= 0) & (g <= 1)).all()
        self.n = n
        self.keys = w.key[:n].copy()
        self.status = w.status[:n].copy()
        self.housing = w.housing[:n].copy()
        self.on_list = w.applied[HOUSING, :n] != NOT_ON_LIST
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


def check_headcounts_balance(result) -> dict:
    """Each enterprise's daily headcount is the day before's plus hires less exits, and the
    turnover table counts the same flows by cause. Returns the totals of the flows."""
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
    tt = dict(result.turnover.group_by("cause").agg(pl.col("count").sum()).iter_rows())
    assert tt.get("hired", 0) == totals["hires"]
    assert tt.get("quit", 0) == totals["quits"]
    assert tt.get("fired", 0) == totals["fired"]
    assert tt.get("retired", 0) == totals["retired"]
    return totals


def check_flats_once(sc, result, watcher) -> np.ndarray:
    """No worker is housed twice, and the enterprises' recorded housing allocations are the
    workers they housed (the city's flats, when it runs, come on top). Returns the housed."""
    housed = (
        np.concatenate([ids for _, ids in watcher.flats])
        if watcher.flats
        else np.zeros(0, np.int64)
    )
    assert len(housed) == len(np.unique(housed)), "a worker got a flat twice"
    alloc = result.allocations.filter(
        (pl.col("list") == "housing") & (pl.col("occupation") != "insider")
    )
    recorded = alloc["count"].sum() // sc.scale
    assert recorded == len(housed) if not sc.city.enabled else recorded <= len(housed)
    return housed


def test_headcounts_balance_with_flows(watched_run):
    totals = check_headcounts_balance(watched_run[2])
    assert totals["hires"] > 0 and totals["quits"] > 0


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
    housed = check_flats_once(sc, result, watcher)
    alloc = result.allocations.filter(
        (pl.col("list") == "housing") & (pl.col("occupation") != "insider")
    )
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


# ------------------------------------------------------------------ every built-in scenario

BUILTIN_SCALE = 50  # agents of 50 workers: every built-in in about 12 seconds in all


@pytest.fixture(scope="module", params=builtin_names())
def builtin_run(request):
    name = request.param
    # granovetter's thresholds are one per real worker: it runs at scale 1 (100 workers)
    overrides = {} if name == "granovetter" else {"scale": BUILTIN_SCALE}
    sc = mutualdep.load_scenario(name, overrides)
    watcher = Watcher()
    world, result, _ = simulate(sc, seed=0, each_day=watcher)
    return sc, world, result, watcher


def test_every_builtin_keeps_the_invariants(builtin_run):
    """Every day of every built-in: known statuses, counters equal to the columns, flats only
    to those on the list and kept (the Watcher); over the run: headcounts balance with the
    flows and no flat goes twice; at the end the headcount is the employed workers."""
    sc, world, result, watcher = builtin_run
    assert watcher.days == world.calendar.n_days
    check_headcounts_balance(result)
    check_flats_once(sc, result, watcher)
    last = result.enterprise_days.filter(pl.col("date") == result.enterprise_days["date"].max())
    assert int(last["workers"].sum()) == int(world.employed().sum()) * sc.scale
