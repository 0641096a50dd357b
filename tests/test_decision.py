"""The decision to strike as the sources argue it: coordination, the lists, sanctions carried out.

Worlds are kuzbass-1989 on the eve of the July 1989 wave (everything run up to 9 July), with
the dated spark and spontaneous sparks removed, so that the only strike is the one a test
starts. A test then runs the day's strike rules, the committees and management's response.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import polars as pl
import pytest

import mutualdep
from mutualdep.engine import enabled_phases
from mutualdep.evidence.facts import peak_share
from mutualdep.results import _sanctions
from mutualdep.shared_state import init_shared_state
from mutualdep.world import HOUSING, NOT_ON_LIST, build_world

EVE = dt.date(1989, 7, 9)
PLANT = "West Siberian Metallurgical Complex"
QUIET = {"collective_action.spark_rate": 0.0, "sparks": []}


def eve(overrides: dict | None = None, seed: int = 1):
    """kuzbass-1989 after every phase of every day before 9 July 1989, no strike anywhere."""
    sc = mutualdep.load_scenario("kuzbass-1989", {**QUIET, **(overrides or {})})
    world = build_world(sc, seed)
    init_shared_state(world)
    phases = enabled_phases(world)
    for day in range(world.calendar.day_of(EVE)):
        world.day = day
        for phase in phases:
            phase.step(world, day)
    return world, {p.name: p for p in phases}


def walk_out(world, ca, ids: np.ndarray, initiators: bool = False) -> None:
    w = world.workers
    w.initiator[ids] = initiators
    ca._apply(world, ids, np.zeros(0, np.int64))
    for e in np.unique(w.enterprise[ids]):
        world.enterprises.strike_start[e] = world.day


def run_days(world, phases, days: int) -> None:
    for name in ("collective_action", "spread", "management"):
        assert name in phases
    for _ in range(days):
        world.day += 1
        for name in ("collective_action", "spread", "management"):
            phases[name].step(world, world.day)


NO_OWN_GAIN = {"collective_action.gain_in_own_enterprise": False}


@lru_cache(maxsize=4)
def steel_start(start: str, own_gain: bool = True) -> tuple[float, float]:
    """Strike a steel plant from a majority of its brigades or from one shop; after ten days,
    the share out of the workers who did not start it, and of the whole plant. ``own_gain``
    (as shipped): a win's selective gain is weighed by what the worker's own enterprise can
    deliver; off, every striker credits himself with it in full."""
    world, phases = eve(None if own_gain else NO_OWN_GAIN)
    w, n = world.workers, world.workers.n
    e = world.enterprise_names.index(PLANT)
    emp = world.employed()
    if start == "majority":
        brigades = np.flatnonzero(world.shop_enterprise[world.brigade_shop] == e)
        u = world.streams.group_uniform("test/majority", 0, len(brigades))
        ids = np.flatnonzero(np.isin(w.brigade[:n], brigades[u < 0.6]) & emp)
    else:
        shops = np.flatnonzero(world.shop_enterprise == e)
        kinds = [world.shop_kinds[k] for k in world.shop_kind[shops]]
        ids = np.flatnonzero((w.shop[:n] == shops[kinds.index("open-hearth")]) & emp)
    walk_out(world, phases["collective_action"], ids)
    run_days(world, phases, 10)
    plant = (w.enterprise[:n] == e) & world.employed()
    others = plant.copy()
    others[ids] = False
    return float(w.striking[:n][others].mean()), float(w.striking[:n][plant].mean())


def test_a_strike_started_by_most_brigades_of_a_steel_plant_goes_plant_wide():
    others, plant = steel_start("majority")
    assert others > 0.5  # most of those who did not start it joined
    assert plant > 0.6


@pytest.mark.xfail(
    strict=True,
    reason="under the wave-1989 fit (prospect_curve 0.61, win_value 11,168) a whole shop, 15% of "
    "the plant, expects (0.15 / 0.8)^0.61 = 0.36 of the win and the plant follows it (0.96 of "
    "the others out after ten days, seed 1); what most steelworkers have at stake (median 50 "
    "rubles) does not hold them back. Three brigades (0.3%) stay alone: see the spark tests "
    "below and docs/decision.md",
)
def test_a_strike_started_by_one_steel_shop_stays_in_that_shop():
    """Control over distribution is taken enterprise by enterprise: a shop alone cannot hope to
    take a plant of 30,000."""
    others, plant = steel_start("shop")
    assert others < 0.05
    assert plant < 0.15  # the shop itself (15% of the plant) does not hold out either


SPARK_PLACES = {
    "coal": ("Mezhdurechensk mine 1", "face"),
    "steel": ("West Siberian Metallurgical Complex", "open-hearth"),
}


def peaks_with_spark(place: str, seed: int, overrides: dict | None = None) -> dict[str, float]:
    """Each industry's peak share out to 15 August 1989 with the wave's own spark (three
    brigades on 10 July) put in ``place``; everything else as in kuzbass-1989."""
    enterprise, shop = SPARK_PLACES[place]
    spark = {"date": dt.date(1989, 7, 10), "enterprise": enterprise, "shop": shop, "brigades": 3}
    sc = mutualdep.load_scenario("kuzbass-1989", {**(overrides or {}), "sparks": [spark]})
    r = mutualdep.run(sc, seed=seed, until=dt.date(1989, 8, 15))
    return {k: peak_share(r, k) for k in ("coal", "steel", "rail", "service")}


@pytest.mark.slow
def test_the_waves_spark_takes_a_mine_out_but_the_same_spark_stays_in_a_steel_plant():
    """Validation (no calibration targets steel): three brigades are 5% of a mine and 0.3% of a
    steel plant. In the mine they start the coal wave and no other industry joins; moved to the
    plant's open-hearth shop they stay alone. With the selective gain credited in full to every
    striker (the lever off) the same spark takes the plant out."""
    for seed in (0, 1):
        coal = peaks_with_spark("coal", seed)
        assert coal["coal"] > 0.5
        assert max(coal["steel"], coal["rail"], coal["service"]) < 0.01
        steel = peaks_with_spark("steel", seed)
        assert steel["steel"] < 0.01  # the three brigades' initiators, 0.1-0.2% of steel
        assert steel["coal"] < 0.01
    off = peaks_with_spark("steel", 0, NO_OWN_GAIN)
    assert off["steel"] > 0.5


def novokuznetsk(world) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The town's enterprises (a mask), its mines and its depots."""
    here = world.ent_town == world.ent_town[world.enterprise_names.index("Novokuznetsk mine 1")]
    coal, rail = (world.industry_names.index(k) for k in ("coal", "rail"))
    mines = np.flatnonzero(here & (world.ent_industry == coal))
    return here, mines, np.flatnonzero(here & (world.ent_industry == rail))


def test_a_depot_in_a_town_whose_mines_are_out_cannot_take_its_own_enterprise():
    """What the miners win is not the rail workers': with the town's mines out and nobody at
    the depot, the depot's workers see a high chance of winning but nothing of the selective
    gain is theirs (q = 0); the miners of a quiet mine of that town expect their mine to follow
    its industry (q = 1 once the town's mines are out past removal_share)."""
    world, phases = eve()
    ca = phases["collective_action"]
    w, n = world.workers, world.workers.n
    here, mines, depots = novokuznetsk(world)
    assert len(mines) >= 2 and len(depots) >= 1
    emp = world.employed()
    walk_out(world, ca, np.flatnonzero(np.isin(w.enterprise[:n], mines[1:]) & emp))
    q = ca.own_prospect(world)
    b_ent = ca.b_ent
    assert (q[np.isin(b_ent, depots)] == 0).all()
    coal_out = world.shops.striking[np.isin(world.shop_enterprise, mines)].sum() / (
        world.shops.workers[np.isin(world.shop_enterprise, mines)].sum()
    )
    removal = world.scenario.management.removal_share
    want = min(coal_out / removal, 1.0) ** ca.p.prospect_curve
    assert q[b_ent == mines[0]] == pytest.approx(want)
    # thresholds: the depot's workers can never join on the miners' strike alone
    ids = np.flatnonzero(np.isin(w.enterprise[:n], depots) & emp)
    assert (ca.thresholds_of(world, ids) > 1).all()


def test_with_a_weight_on_the_whole_towns_share_the_depot_expects_part_of_the_win():
    """collective_action.prospect_town_share: the depot's workers count that weight of the
    share of their whole town out into the share of their depot they expect out."""
    world, phases = eve({"collective_action.prospect_town_share": 0.1})
    ca = phases["collective_action"]
    w, n = world.workers, world.workers.n
    here, mines, depots = novokuznetsk(world)
    emp = world.employed()
    walk_out(world, ca, np.flatnonzero(np.isin(w.enterprise[:n], mines) & emp))
    in_town = np.isin(w.enterprise[:n], np.flatnonzero(here)) & emp
    town_out = w.striking[:n][in_town].mean()
    removal = world.scenario.management.removal_share
    want = min(0.1 * town_out / removal, 1.0) ** ca.p.prospect_curve
    q = ca.own_prospect(world)
    assert want > 0
    assert q[np.isin(ca.b_ent, depots)] == pytest.approx(want)


@pytest.mark.slow
def test_steels_quiet_in_the_miners_wave_hinges_on_q_reading_only_its_own_industry():
    """The hinge, shown: give the share of the whole town out a weight of 0.1 in what a worker
    expects of his own enterprise, and the miners' wave takes the steel plants out too."""
    r = mutualdep.run(
        mutualdep.load_scenario("kuzbass-1989", {"collective_action.prospect_town_share": 0.1}),
        seed=0,
        until=dt.date(1989, 8, 15),
    )
    assert peak_share(r, "coal") > 0.5
    assert peak_share(r, "steel") > 0.5


def test_at_full_participation_most_steelworkers_would_be_better_off_striking():
    world, phases = eve()
    ca = phases["collective_action"]
    ids = np.flatnonzero(world.employed())
    steel = world.ent_industry[world.workers.enterprise[ids]] == world.industry_names.index("steel")
    better = ca.value_of_all_striking(world, ids[steel]) > 0
    assert better.mean() > 0.5
    # quiet is not impossibility: most could join if their whole plant were out
    all_out = ca.thresholds_of(world, ids[steel], out_share=np.ones(world.n_enterprises))
    assert (all_out <= 1).mean() > 0.5


def test_sanctions_are_spread_thinner_the_more_are_out():
    world, phases = eve()
    ca = phases["collective_action"]
    n_ent = world.n_enterprises
    few, many = (ca.sanction_chance(world, np.full(n_ent, x)) for x in (0.01, 0.9))
    assert (many <= few).all() and (many < few).any()
    # a shop of a steel plant alone bears the full sanction; the whole plant shares it
    e = world.enterprise_names.index(PLANT)
    assert few[e] == pytest.approx(np.minimum(world.enterprises.enforce[e], 1.0))
    assert many[e] == pytest.approx(few[e] * ca.reach(world)[e] / 0.9)


def steel_peaks(overrides: dict, seeds: range) -> np.ndarray:
    out = []
    for seed in seeds:
        sc = mutualdep.load_scenario("kuzbass-1989", overrides)
        r = mutualdep.run(sc, seed=seed, until=dt.date(1989, 8, 15))
        out.append(peak_share(r, "steel"))
    return np.array(out)


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="with the gain won in the own enterprise (wave-1989 refit, 2 December 2026) steel "
    "stays out of the wave in 10 of 10 seeds (peak 0.000) with or without portable places: "
    "what keeps it quiet is that three brigades cannot take a plant, not the lists (portable "
    "places raise coal's peak instead, 0.947 to 0.987 over seeds 0-9; docs/decision.md)",
)
def test_portable_places_raise_steel_participation():
    """Make every list place portable, keep everything else: steel strikes more, over 10 seeds
    (the same seeds, so the same draws everywhere the lever does not act)."""
    seeds = range(10)
    base = steel_peaks({}, seeds)
    portable = steel_peaks({"distribution.portable_places": True}, seeds)
    assert (portable >= base).sum() >= 8
    assert portable.mean() - base.mean() >= 0.03


def test_after_a_failed_strike_initiators_lose_their_places_and_the_town_learns():
    world, phases = eve()
    ca, mg = phases["collective_action"], phases["management"]
    w, n = world.workers, world.workers.n
    mine = world.enterprise_names.index("Novokuznetsk mine 1")
    town = world.ent_town[mine]
    neighbour = world.enterprise_names.index("Novokuznetsk mine 2")
    elsewhere = world.enterprise_names.index("Prokopyevsk mine 1")
    brigade = world.brigade_shop.tolist().index(np.flatnonzero(world.shop_enterprise == mine)[0])
    starters = np.flatnonzero((w.brigade[:n] == brigade) & world.employed())
    on_list = starters[w.applied[HOUSING, starters] != NOT_ON_LIST]
    assert len(on_list) > 0
    walk_out(world, ca, starters, initiators=True)
    watchers = np.flatnonzero(np.isin(w.enterprise[:n], [neighbour, elsewhere]) & world.employed())
    # thresholds as if half of each enterprise were out: with nobody out nobody can hope to take
    # his enterprise (q = 0), so no threshold is finite
    half = np.full(world.n_enterprises, 0.5)
    before = ca.thresholds_of(world, watchers, out_share=half)
    enforce_before = world.enterprises.enforce.copy()

    world.day += 1
    ca._apply(world, np.zeros(0, np.int64), starters)  # it collapsed: all back at work
    world.messages.outcomes.append((mine, "collapsed", len(starters) / 1800))
    mg.step(world, world.day)

    table = _sanctions(world)
    lost = table.filter(pl.col("kind") == "places_lost")
    hit = set(lost["worker"].to_list()) | set(
        table.filter(pl.col("kind") == "dismissed")["worker"].to_list()
    )
    assert set(starters.tolist()) <= hit  # initiators first: all of them
    assert lost["initiator"].all()
    kept = np.array(sorted(set(lost["worker"].to_list())))
    still_on = kept[w.applied[HOUSING, kept] != NOT_ON_LIST]
    assert (w.applied[HOUSING, still_on] == world.day).all()  # back of the line
    # workers of the town saw it; workers elsewhere did not
    in_town = world.ent_town == town
    assert (world.enterprises.enforce[in_town] > enforce_before[in_town]).all()
    assert (world.enterprises.enforce[~in_town] == enforce_before[~in_town]).all()
    after = ca.thresholds_of(world, watchers, out_share=half)
    saw = w.enterprise[watchers] == neighbour
    # those who could join at all now need more of their enterprise out to do so
    exposed = saw & (w.at_risk[watchers] > 0) & (before <= 1)
    assert (after[exposed] > before[exposed]).all() and exposed.sum() > 10
    assert (after[~saw] == before[~saw]).all()
