"""Small worlds part-way through a run, for checking fast kernels against plain versions."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import mutualdep
from mutualdep.world import World


def world_on(when: dt.date, scenario: str = "small-town", seed: int = 1, overrides: tuple = ()):
    """The world after every phase of every day before ``when``; returns (world, phases by name)."""
    sim = mutualdep.Simulation(mutualdep.load_scenario(scenario, dict(overrides)), seed)
    sim.step(sim.world.calendar.day_of(when))
    sim.world.day = sim.day
    return sim.world, {p.name: p for p in sim.phases}


@lru_cache(maxsize=4)
def striking_world(seed: int = 1) -> tuple[World, dict]:
    """small-town six days into its July 1989 strike wave (committees,
    threats, a town signal) (cached: treat as read-only)."""
    return world_on(dt.date(1989, 7, 16), seed=seed)
