"""Which fields each mechanism really reads and writes, watched during a real run.

Each phase is built and stepped with a stand-in for the world that records every attribute read
or set on the group tables (``world.shops`` ...), and every phase's changes are found by comparing
a copy of the group tables, the world's changing columns and the worker columns taken before
it with what is there after (so an in-place write such as ``world.shops.striking[i] = 0``
counts even though no attribute is set).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from mutualdep.engine import PHASES
from mutualdep.results import Recorder
from mutualdep.shared_state import init_shared_state
from mutualdep.world import World, build_world
from mutualdep.world_state import GROUPS

# World columns that mechanisms change (the rest of World describes the places and is fixed)
WORLD_COLUMNS = (
    "ent_capacity",
    "ent_published",
    "ent_single_line",
    "ent_privileged",
    "shop_target",
)


class _Group:
    """A group table that records the names read and set on it."""

    def __init__(self, table, group: str, reads: set, writes: set):
        object.__setattr__(self, "_table", table)
        object.__setattr__(self, "_group", group)
        object.__setattr__(self, "_reads", reads)
        object.__setattr__(self, "_writes", writes)

    def __getattr__(self, name):
        self._reads.add(f"{self._group}.{name}")
        return getattr(self._table, name)

    def __setattr__(self, name, value):
        self._writes.add(f"{self._group}.{name}")
        setattr(self._table, name, value)


class _World:
    """The world as one phase sees it: group tables and changing columns are watched."""

    def __init__(self, world: World, reads: set, writes: set):
        object.__setattr__(self, "_world", world)
        object.__setattr__(self, "_reads", reads)
        object.__setattr__(self, "_writes", writes)

    def __getattr__(self, name):
        value = getattr(self._world, name)
        if name in GROUPS:
            return _Group(value, name, self._reads, self._writes)
        if name in WORLD_COLUMNS:
            self._reads.add(f"world.{name}")
        return value

    def __setattr__(self, name, value):
        if name in GROUPS or name in WORLD_COLUMNS:
            self._writes.add(f"world.{name}" if name in WORLD_COLUMNS else name)
        setattr(self._world, name, value)


def _snapshot(world: World) -> dict:
    out = {}
    for group in GROUPS:
        table = getattr(world, group)
        for f in dataclasses.fields(table):
            value = getattr(table, f.name)
            key = f"{group}.{f.name}"
            if isinstance(value, list):
                out[key] = (id(value), len(value))
            else:
                out[key] = np.copy(value)
    for name in WORLD_COLUMNS:
        out[f"world.{name}"] = np.copy(getattr(world, name))
    w = world.workers
    for col in w.columns():
        out[f"workers.{col}"] = getattr(w, col)[: w.n].copy()
    out["workers.applied"] = w.applied[:, : w.n].copy()
    return out


def _changed(before: dict, world: World) -> set[str]:
    after = _snapshot(world)
    out = set()
    for key, old in before.items():
        new = after[key]
        if isinstance(old, tuple):
            if old != new:
                out.add(key)
        else:
            new = new[..., : old.shape[-1]] if key.startswith("workers.") else new
            if old.shape != new.shape or not np.array_equal(
                old, new, equal_nan=old.dtype.kind == "f"
            ):
                out.add(key)
    return out


def watched_run(
    scenario, seed: int = 0, days: int | None = None, phases: tuple = PHASES
) -> dict[str, tuple[set, set]]:
    """(reads, writes) of each enabled mechanism, construction included, and of the recorder
    (as "record"), over ``days`` days."""
    world = build_world(scenario, seed)
    init_shared_state(world)
    seen: dict[str, tuple[set, set]] = {}
    steppers = []
    for cls in phases:
        if not getattr(scenario, cls.name).enabled:
            continue
        reads, writes = seen[cls.name] = (set(), set())
        before = _snapshot(world)
        steppers.append(cls(_World(world, reads, writes)))
        writes |= _changed(before, world)
    n_days = world.calendar.n_days if days is None else days
    recorder = Recorder(world, n_days)
    seen["record"] = (set(), set())
    for day in range(n_days):
        world.day = day
        for phase in steppers:
            reads, writes = seen[phase.name]
            before = _snapshot(world)
            phase.step(_World(world, reads, writes), day)
            writes |= _changed(before, world)
        recorder.record(_World(world, *seen["record"]), day)
    return seen
