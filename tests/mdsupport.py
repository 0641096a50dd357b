"""Helpers for the test suite: tiny hand-built scenarios, worlds, a day loop that leaves the
world open for inspection, and the real command line in a subprocess.

A tiny scenario is a raw dict (what a TOML file would hold) that a test edits and then
validates through the real schema with ``mutualdep.scenario.validate(data, "test")``.
Test modules import these directly (``from mdsupport import ...``); conftest.py also offers
them as fixtures.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from mutualdep.engine import Simulation
from mutualdep.results import Result
from mutualdep.scenario import Scenario, validate
from mutualdep.shared_state import init_shared_state, start_striking
from mutualdep.world import HOUSING, World, build_world

MECHANISMS = (
    "production",
    "money",
    "pay",
    "distribution",
    "labour_market",
    "grievance",
    "campaigns",
    "collective_action",
    "spread",
    "management",
    "state",
    "reforms",
    "city",
    "institutions",
    "ownership",
)

SRC = Path(__file__).resolve().parents[1] / "src"

_TINY: dict[str, Any] = {
    "name": "tiny",
    "description": "a hand-built world for unit tests",
    "start": dt.date(1989, 7, 1),
    "end": dt.date(1989, 9, 30),
    "occupations": [
        {"name": "miner", "base_wage": 400.0, "night_share": 0.5, "danger": 1.0, "retire_age": 50},
        {"name": "fitter", "base_wage": 200.0, "night_share": 0.0, "danger": 0.1},
        {"name": "cook", "base_wage": 120.0},
    ],
    "industries": {
        "coal": {
            "output_per_worker_year": 600.0,
            "price_to_cost": 0.5,
            "material_cost_share": 0.3,
            "subsidised": True,
            "team_trust": 0.8,
            "brigade_size": 10,
            "social": {"housing": 10, "car": 5, "voucher": 100, "daycare": 10, "goods": 10},
            "shops": [
                {
                    "kind": "face",
                    "share": 0.75,
                    "technology_age": 10,
                    "occupations": {"miner": 1.0},
                },
                {
                    "kind": "services",
                    "share": 0.25,
                    "technology_age": 10,
                    "occupations": {"fitter": 0.5, "cook": 0.5},
                },
            ],
        },
        "steel": {
            "output_per_worker_year": 200.0,
            "price_to_cost": 1.5,
            "material_cost_share": 0.4,
            "input_industry": "coal",
            "input_stock_days": 5,
            "team_trust": 0.3,
            "brigade_size": 10,
            "privileged_occupations": ["fitter"],
            "social": {"housing": 40, "car": 10, "voucher": 250, "daycare": 35, "goods": 70},
            "shops": [
                {
                    "kind": "furnace",
                    "share": 0.8,
                    "technology_age": 10,
                    "occupations": {"fitter": 0.5, "cook": 0.5},
                },
                {
                    "kind": "canteen",
                    "share": 0.2,
                    "technology_age": 10,
                    "occupations": {"cook": 1.0},
                },
            ],
        },
    },
    "regions": [{"name": "R1", "wage_coefficient": 1.2}],
    "towns": [{"name": "T1", "region": "R1", "isolation": 0.3, "other_employers": 0.5}],
    "enterprises": [
        {"name": "mine", "industry": "coal", "town": "T1", "workers": 40},
    ],
}


def tiny_data(*, on: tuple[str, ...] | None = None, **top: Any) -> dict[str, Any]:
    """A fresh copy of the tiny scenario dict.

    ``on``: if given, every mechanism not named is switched off (``enabled = false``).
    Keyword arguments replace top-level keys (``enterprises=[...]``, ``end=...``).
    """
    data = copy.deepcopy(_TINY)
    data.update(copy.deepcopy(top))
    if on is not None:
        for mech in MECHANISMS:
            if mech not in on:
                data.setdefault(mech, {})["enabled"] = False
    return data


def scenario_of(data: dict[str, Any]) -> Scenario:
    """Validate a raw scenario dict through the real schema (source name "test")."""
    return validate(data, "test")


def quiet_production(data: dict[str, Any]) -> dict[str, Any]:
    """No breakdowns, no storming, no ratchet, plans at full staffing: output is staffing x rate,
    exactly, and a fully staffed shop makes exactly its plan (at ``plan_tautness`` 1)."""
    data.setdefault("production", {}).update(
        breakdown_rate=0.0,
        storm_days=0,
        storm_boost=0.0,
        ratchet=0.0,
        storm_accident_factor=0.0,
        normal_staffing=1.0,
    )
    return data


def make_world(scenario: Scenario, seed: int = 0) -> World:
    """A built world with its shared state, before any phase has been set up."""
    world = build_world(scenario, seed)
    init_shared_state(world)
    return world


def simulate(
    scenario: Scenario,
    seed: int = 0,
    days: int | None = None,
    each_day: Callable[[World, int], None] | None = None,
    before_day: Callable[[World, int], None] | None = None,
) -> tuple[World, Result, list]:
    """The engine's day loop, with the world left open for inspection.

    ``before_day(world, day)`` runs before the phases of a day, ``each_day(world, day)`` after
    the day is recorded. Returns the final world, the result and the phase objects.
    """
    sim = Simulation(scenario, seed)
    world = sim.world
    n_days = sim.n_days if days is None else days
    for day in range(n_days):
        if before_day is not None:
            world.day = day
            before_day(world, day)
        sim.step()
        if each_day is not None:
            each_day(world, day)
    return world, sim.result(), sim.phases


def start_strike(world: World, ids: np.ndarray) -> None:
    """Put employed workers on strike and keep the shared counters consistent."""
    ids = np.asarray(ids, np.int64)
    start_striking(world, ids[~world.workers.striking[ids]])


def run_cli(
    *args: str,
    cwd: Path | None = None,
    timeout: float = 120,
    columns: int = 200,
    module: str = "mutualdep",
) -> subprocess.CompletedProcess[str]:
    """The real command line, ``python -m mutualdep ...`` (or another module), in a subprocess."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH", "")) if p)
    env["COLUMNS"] = str(columns)
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def aggrieved_works(
    capacity=0.0, openness=1.0, campaigns=None, seed=0, published=False, institutions=None
):
    """A steel works of 40 (fitters privileged), everyone on the housing list, fully aggrieved,
    nothing to lose and no private cost of acting unless a test sets them; ``institutions``
    switches the institutions on with these settings."""
    data = tiny_data(on=("campaigns",))
    data["enterprises"] = [
        {
            "name": "works",
            "industry": "steel",
            "town": "T1",
            "workers": 40,
            "management_capacity": capacity,
            "published": published,
        }
    ]
    data["state"] = {"enabled": False, "openness": openness}
    data["campaigns"] = {"enabled": True, **(campaigns or {})}
    if institutions is not None:
        data["institutions"] = {"enabled": True, **institutions}
    world = make_world(scenario_of(data), seed)
    w = world.workers
    w.applied[HOUSING, : w.n] = -100
    w.grievance[: w.n] = 1.0
    w.stake[: w.n] = 0.0
    w.risk[: w.n] = 1.0
    w.exemplary[: w.n] = False
    return world
