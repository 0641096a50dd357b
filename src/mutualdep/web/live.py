"""Everything the app reads from a running simulation, in one place.

The views never touch the world directly: they draw a ``Snapshot`` taken here between two
days (under the session's lock), so the play loop can go on stepping while the page draws.
When the world's typed group tables (``world_state``) change, only the small accessors at the
top of this file need to follow.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from mutualdep.engine import Simulation
from mutualdep.scenario import LISTS
from mutualdep.world import NOT_ON_LIST

# ------------------------------------------------------------------ accessors of live state

MARKED_EVENTS = {  # event kind -> label of its marker on the participation chart
    "spark": "spark",
    "concession": "protocol signed",
    "repression": "repression",
    "shop_concession": "concession to a shop",
}


def shop_counts(sim: Simulation) -> tuple[np.ndarray, np.ndarray]:
    """Employed and striking agents per shop."""
    shops = sim.world.shops
    return shops.workers, shops.striking


def town_signal(sim: Simulation) -> np.ndarray:
    """The strike committees' signal into each town (0 where no committee reaches)."""
    return sim.world.towns.signal


def events(sim: Simulation) -> list[tuple[int, str, int, int, str]]:
    """(day, kind, enterprise, shop, detail) of everything logged so far."""
    return sim.world.records.events


def strike_phase(sim: Simulation):
    """The collective-action mechanism (it knows thresholds and what a worker sees)."""
    return next((p for p in sim.phases if p.name == "collective_action"), None)


def daily(sim: Simulation, column: str) -> np.ndarray:
    """(days run, enterprises) recorded column, in agents."""
    return sim.recorder.daily[column][: sim.day]


# ------------------------------------------------------------------ the snapshot


@dataclass(frozen=True)
class Snapshot:
    """What the page shows after a day: small arrays and rows, no reference to the world."""

    scenario: str
    seed: int
    date: dt.date  # the last day run (the start before any)
    day: int  # days run
    n_days: int
    dates: np.ndarray  # datetime64[D] of the days run
    industries: list[str]
    participation: np.ndarray  # (industries, days run) share on strike
    markers: list[tuple[np.datetime64, str, str]]  # (date, label, detail)
    town_names: list[str]
    town_xy: np.ndarray  # (towns, 2) map position, 0..1
    town_region: np.ndarray  # region index of each town
    region_names: list[str]
    town_share: np.ndarray  # share out today
    town_workers: np.ndarray  # real workers employed
    links: list[tuple[int, int, float]]  # town a, town b, committee signal carried
    enterprises: list[dict]
    waiting: list[dict]
    striking: int  # real workers on strike today
    employed: int


def snapshot(sim: Simulation) -> Snapshot:
    world = sim.world
    scale = world.scale
    n_ent = world.n_enterprises
    workers_shop, striking_shop = shop_counts(sim)
    ent_workers = np.bincount(world.shop_enterprise, weights=workers_shop, minlength=n_ent)
    ent_striking = np.bincount(world.shop_enterprise, weights=striking_shop, minlength=n_ent)
    town_workers = np.bincount(world.ent_town, weights=ent_workers, minlength=world.n_towns)
    town_striking = np.bincount(world.ent_town, weights=ent_striking, minlength=world.n_towns)
    days_run = sim.day
    dates = np.datetime64(world.calendar.start) + np.arange(days_run).astype("timedelta64[D]")
    return Snapshot(
        scenario=sim.scenario.name,
        seed=sim.seed,
        date=world.calendar.date(max(days_run - 1, 0)),
        day=days_run,
        n_days=sim.n_days,
        dates=dates,
        industries=list(world.industry_names),
        participation=participation_by_industry(sim),
        markers=_markers(sim),
        town_names=list(world.town_names),
        town_xy=town_positions(sim.scenario),
        town_region=np.asarray(world.town_region),
        region_names=list(world.region_names),
        town_share=town_striking / np.maximum(town_workers, 1),
        town_workers=(town_workers * scale).astype(np.int64),
        links=_live_links(sim, town_striking / np.maximum(town_workers, 1)),
        enterprises=enterprise_rows(sim, ent_workers, ent_striking),
        waiting=waiting_rows(sim),
        striking=int(ent_striking.sum() * scale),
        employed=int(ent_workers.sum() * scale),
    )


def participation_by_industry(sim: Simulation) -> np.ndarray:
    """(industries, days run) share of employed workers on strike."""
    world = sim.world
    n_ind = len(world.industry_names)
    if sim.day == 0:
        return np.zeros((n_ind, 0))
    onehot = np.zeros((world.n_enterprises, n_ind))
    onehot[np.arange(world.n_enterprises), world.ent_industry] = 1.0
    out = daily(sim, "striking") @ onehot
    all_ = daily(sim, "workers") @ onehot
    return (out / np.maximum(all_, 1)).T


def _markers(sim: Simulation) -> list[tuple[np.datetime64, str, str]]:
    start = np.datetime64(sim.world.calendar.start)
    names = sim.world.enterprise_names
    out = []
    for day, kind, ent, _shop, detail in events(sim):
        if kind in MARKED_EVENTS:
            where = f"{names[ent]}: " if ent >= 0 else ""
            out.append((start + np.timedelta64(day, "D"), MARKED_EVENTS[kind], where + detail))
    return out


def town_positions(scenario) -> np.ndarray:
    """Map positions in 0..1 (y grows downwards, as on screen). Towns with ``lat``/``lon`` are
    placed by them, north up; otherwise the regions fill a grid and each region's towns sit on a
    ring in its cell, in the scenario's order, so the same scenario always draws the same map."""
    towns = scenario.towns
    coords = [(getattr(t, "lat", None), getattr(t, "lon", None)) for t in towns]
    if towns and all(lat is not None and lon is not None for lat, lon in coords):
        lat = np.array([c[0] for c in coords], float)
        lon = np.array([c[1] for c in coords], float)
        x = (lon - lon.min()) / max(np.ptp(lon), 1e-9)
        y = (lat.max() - lat) / max(np.ptp(lat), 1e-9)
        return np.column_stack([0.08 + 0.84 * x, 0.08 + 0.84 * y])
    regions = [r.name for r in scenario.regions]
    cols = math.ceil(math.sqrt(len(regions)))
    rows = math.ceil(len(regions) / cols)
    xy = np.zeros((len(towns), 2))
    for r, region in enumerate(regions):
        members = [i for i, t in enumerate(towns) if t.region == region]
        cx, cy = (r % cols + 0.5) / cols, (r // cols + 0.5) / rows
        ring = 0.36 / max(cols, rows) if len(members) > 1 else 0.0
        for k, i in enumerate(members):
            angle = math.pi / 2 + 2 * math.pi * k / len(members)
            xy[i] = (cx + ring * math.cos(angle), cy + ring * math.sin(angle))
    return xy


def _live_links(sim: Simulation, share: np.ndarray) -> list[tuple[int, int, float]]:
    """Committee links carrying news today: from each town whose committee has formed (its
    share out at or above ``committee_share``) to the linked towns that have none yet."""
    formed = share >= sim.scenario.spread.committee_share
    weights = sim.world.town_links
    return [
        (int(a), int(b), float(weights[a, b]))
        for a in np.flatnonzero(formed)
        for b in np.flatnonzero((weights[a] > 0) & ~formed)
    ]


def enterprise_rows(sim: Simulation, ent_workers: np.ndarray, ent_striking: np.ndarray) -> list:
    """One row per enterprise: share out, pay and in kind (rubles a month), dependence (means
    of today's workers)."""
    world, w = sim.world, sim.world.workers
    emp = world.employed()
    ent = w.enterprise[: w.n][emp]
    counts = np.maximum(np.bincount(ent, minlength=world.n_enterprises), 1)

    def mean(col: np.ndarray) -> np.ndarray:
        return np.bincount(ent, weights=col[: w.n][emp], minlength=world.n_enterprises) / counts

    pay, inkind, dep = mean(w.wage), mean(w.inkind), mean(w.dependence)
    share = ent_striking / np.maximum(ent_workers, 1)
    return [
        {
            "enterprise": world.enterprise_names[e],
            "industry": world.industry_names[world.ent_industry[e]],
            "workers": int(ent_workers[e] * world.scale),
            "out (%)": round(100 * float(share[e]), 1),
            "pay": round(float(pay[e])),
            "in kind": round(float(inkind[e])),
            "dependence": round(float(dep[e]), 2),
        }
        for e in range(world.n_enterprises)
    ]


def waiting_rows(sim: Simulation) -> list[dict]:
    """Who waits how long: per list, occupation and distribution rule, the number waiting
    (real workers) and their mean and longest wait so far in years."""
    world, w = sim.world, sim.world.workers
    emp = np.flatnonzero(world.employed())
    rule = world.ent_single_line[w.enterprise[emp]].astype(np.int64)
    occ = w.occupation[emp].astype(np.int64)
    n_occ = world.n_occupations
    rows = []
    for lst, list_name in enumerate(LISTS):
        applied = w.applied[lst, emp]
        on = applied != NOT_ON_LIST
        if not on.any():
            continue
        years = (sim.day - applied[on].astype(float)) / 365.25
        key = rule[on] * n_occ + occ[on]
        count = np.bincount(key, minlength=2 * n_occ)
        total = np.bincount(key, weights=years, minlength=2 * n_occ)
        longest = np.zeros(2 * n_occ)
        np.maximum.at(longest, key, years)
        for k in np.flatnonzero(count):
            rows.append(
                {
                    "list": list_name,
                    "occupation": world.occupation_names[k % n_occ],
                    "rule": "single line" if k >= n_occ else "privileged",
                    "waiting": int(count[k] * world.scale),
                    "mean wait (years)": round(float(total[k] / count[k]), 1),
                    "longest (years)": round(float(longest[k]), 1),
                }
            )
    return rows


# ------------------------------------------------------------------ one worker


def employed_ids(sim: Simulation) -> np.ndarray:
    return np.flatnonzero(sim.world.employed())


def worker_view(sim: Simulation, wid: int) -> dict | None:
    """One worker's stake, threshold and what he sees today; None if no such employed worker."""
    world, w = sim.world, sim.world.workers
    if not (0 <= wid < w.n) or not world.employed()[wid]:
        return None
    ca = strike_phase(sim)
    threshold = seen = float("nan")
    if ca is not None and ca.thresholds is None:
        threshold = float(ca.thresholds_of(world, np.array([wid]))[0])
        seen = float(ca.participation(world)[w.brigade[wid]])
    e = int(w.enterprise[wid])
    waits = {
        name: round((sim.day - int(w.applied[i, wid])) / 365.25, 1)
        for i, name in enumerate(LISTS)
        if w.applied[i, wid] != NOT_ON_LIST
    }
    return {
        "worker": wid,
        "enterprise": world.enterprise_names[e],
        "town": world.town_names[world.ent_town[e]],
        "occupation": world.occupation_names[w.occupation[wid]],
        "age": round(float(world.age()[wid]), 1),
        "pay (rub/month)": round(float(w.wage[wid])),
        "savings (rub)": round(float(w.savings[wid])),
        "in-kind stake (rub)": round(float(w.stake[wid])),
        "grievance": round(float(w.grievance[wid]), 2),
        "threshold (share he needs to see out)": _share(threshold),
        "what he sees out around him": _share(seen),
        "on strike": bool(w.striking[wid]),
        "waiting (years)": ", ".join(f"{k} {v}" for k, v in waits.items()) or "on no list",
    }


def _share(x: float) -> str:
    if math.isnan(x):
        return "n/a (Granovetter thresholds)"
    return "never" if math.isinf(x) else f"{x:.0%}"
