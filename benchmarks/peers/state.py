"""The shared starting point of the peer comparison: a mutualdep world on the eve of a spark.

``prepare`` builds a scenario's world and runs every mechanism up to the day before its first
dated spark (spontaneous sparks switched off, so that the dated spark is the only one and both
implementations see the same). From then on only the core rules run, with everything else
frozen: each day the strike round of collective_action (participation, join, stay) and then
spread (committees, town signals). With the other mechanisms frozen, what a win brings each
worker, his certain cost and what a sanction would take are constants; ``export`` writes them
out with the rest of the state the rules read. The chance of winning and of being sanctioned
change every day with participation, and both implementations compute them.

``run_mutualdep`` runs the model's own code for those rules (``CollectiveAction._strike_round``
and ``Spread.step``) forward, and records strikers per enterprise per day. The model keeps
each worker's constants between days and renews them where their inputs change; with
everything else frozen that is once per enterprise, when it first turns active.
``renew_all=True`` marks every enterprise stale each day, so that they are all computed again
every day.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

import mutualdep
from mutualdep.scaling import scale_world
from mutualdep.shared_state import group_sum
from mutualdep.world import World


@dataclass
class Eve:
    """A world on the eve of its first spark, with its two core-rule mechanisms."""

    world: World
    collective_action: object
    spread: object
    spark_day: int
    prepare_seconds: float


def prepare(
    scenario: str = "kuzbass-1989",
    seed: int = 1,
    workers: int | None = None,
    overrides: dict | None = None,
) -> Eve:
    t0 = time.perf_counter()
    sc = mutualdep.load_scenario(
        scenario, {"collective_action.spark_rate": 0.0, **(overrides or {})}
    )
    if workers:
        sc = scale_world(sc, workers=workers)
    if not sc.sparks:
        raise ValueError(f"{scenario} has no dated spark")
    sim = mutualdep.Simulation(sc, seed)
    world = sim.world
    by_name = {p.name: p for p in sim.phases}
    if "collective_action" not in by_name or "spread" not in by_name:
        raise ValueError("the comparison needs collective_action and spread switched on")
    spark_day = min(world.calendar.day_of(s.date) for s in sc.sparks)
    sim.step(spark_day)
    return Eve(
        world, by_name["collective_action"], by_name["spread"], spark_day, time.perf_counter() - t0
    )


def export(eve: Eve, days: int) -> dict:
    """Everything the core rules read, as plain arrays: per employed worker, per group, per day.

    Per worker: his brigade, shop, enterprise, whether he strikes, his personal ties, and the
    three numbers his decision weighs (computed as the model computes them): what a win brings
    him for having struck (``win``), his certain cost (``cost``: lost pay and private cost) and
    what a sanction would take (``at_risk``). Per enterprise: the chance of sanctions its
    workers expect with nobody yet out (``full_sanction``) and the share of the workforce its
    management can sanction (``reach``).
    """
    world, ca, spread = eve.world, eve.collective_action, eve.spread
    w = world.workers
    ids = np.flatnonzero(world.employed())
    win, cost = ca.coefficients(world, ids)
    sp = world.scenario.spread
    sparks = {}
    for day in range(eve.spark_day, eve.spark_day + days):
        world.day = day
        brigades = ca._sparked_brigades(world, day)
        if len(brigades):
            sparks[day] = brigades.tolist()
    world.day = eve.spark_day
    n0 = len(world.tie_indptr) - 1
    ties = [
        world.tie_indices[world.tie_indptr[i] : world.tie_indptr[i + 1]].tolist() if i < n0 else []
        for i in ids.tolist()
    ]
    return {
        "spark_day": eve.spark_day,
        "days": days,
        "ids": ids,
        "brigade": w.brigade[ids].astype(np.int64),
        "shop": w.shop[ids].astype(np.int64),
        "enterprise": w.enterprise[ids].astype(np.int64),
        "striking": w.striking[ids].copy(),
        "win": win,
        "cost": cost,
        "at_risk": w.at_risk[ids].astype(np.float64),
        "ties": ties,
        "tie_weight": ca.tie_weight,
        "success_curve": ca.p.success_curve,
        "prospect_curve": ca.p.prospect_curve,
        "prospect_town_share": ca.p.prospect_town_share,
        "gain_in_own_enterprise": ca.p.gain_in_own_enterprise,
        "removal_share": world.scenario.management.removal_share,  # no director in office
        "stay_power": ca.stay_power,
        "region_belief": np.asarray(world.regions.belief, float).copy(),
        "full_sanction": np.minimum(
            world.enterprises.enforce * (1 + world.enterprises.threat), 1.0
        ),
        "reach": ca.reach(world),
        "brigade_shop": world.brigade_shop.astype(np.int64),
        "brigade_trust": ca.b_trust,
        "shop_enterprise": world.shop_enterprise.astype(np.int64),
        "ent_town": world.ent_town.astype(np.int64),
        "ent_region": world.ent_region.astype(np.int64),
        "ent_industry": world.ent_industry.astype(np.int64),
        "n_towns": world.n_towns,
        "n_regions": world.n_regions,
        "n_industries": len(world.industry_names),
        "weights": ca.weights,
        "affinity": sp.industry_affinity,
        "committee_share": sp.committee_share,
        "communication": sp.communication,
        "links": spread.links,
        "committee": spread.committee.copy(),
        "means": spread.means.copy(),
        "linked": spread.linked.copy(),
        "means_growth": sp.means_growth,
        "town_signal": np.asarray(world.towns.signal, float).copy(),
        "town_industry_news": np.asarray(world.towns.industry_news, float).copy(),
        "industry_news": sp.industry_news,
        "ent_truce_until": world.enterprises.truce_until.copy(),
        "sparks": sparks,
    }


def run_mutualdep(eve: Eve, days: int, renew_all: bool = False) -> tuple[np.ndarray, float]:
    """The model's own core rules for ``days`` days from the spark: strikers per enterprise per
    day (days x enterprises) and the seconds the rules took (recording excluded)."""
    world, ca, spread = eve.world, eve.collective_action, eve.spread
    out = np.zeros((days, world.n_enterprises), np.int64)
    spent = 0.0
    for i in range(days):
        day = eve.spark_day + i
        world.day = day
        t = time.perf_counter()
        if renew_all:
            world.enterprises.thresholds_stale[:] = True
        ca._strike_round(world, day)
        spread.step(world, day)
        spent += time.perf_counter() - t
        out[i] = group_sum(
            world.shop_enterprise, world.shops.striking.astype(float), world.n_enterprises
        ).astype(np.int64)
    return out, spent
