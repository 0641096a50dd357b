"""Checks made before any work starts: the Python API's arguments and the memory a run needs.

A wrong seed or date, or a world too big for the machine, is the user's to fix: each raises an
``InputError`` saying what was expected (exit 2 on the command line), never a traceback or an
out-of-memory kill halfway through.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import numpy as np

from mutualdep.errors import InputError

MAX_SEED = 2**63 - 1  # a catalog stores seeds as BIGINT

# Bytes a run needs, measured on the built-ins (peak RSS of small-town and kuzbass-1989, with
# headroom): each agent's columns, the growth copies and the temporaries of a day, and each
# enterprise-day of the recorder's arrays and the tables made from them.
BYTES_PER_AGENT = 600
BYTES_PER_ENTERPRISE_DAY = 200
BYTES_BASE = 200 * 2**20


def check_seed(seed: Any) -> int:
    """A non-negative integer (a bool, float, None, string or NaN is refused, not truncated)."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise InputError(f"seed: expected a non-negative integer, got {seed!r}")
    if not 0 <= int(seed) <= MAX_SEED:
        raise InputError(f"seed: expected an integer from 0 to {MAX_SEED}, got {seed}")
    return int(seed)


def as_date(value: Any, option: str = "until") -> dt.date | None:
    """None, a date, a datetime (its date) or an ISO string YYYY-MM-DD."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError(f"{option}: expected a date YYYY-MM-DD, got {value!r}")


def memory_needed(scenario: Any) -> int:
    """Bytes a run of ``scenario`` is expected to need at its peak."""
    agents = sum(
        (e.workers if scenario.scale == 1 else max(1, round(e.workers / scenario.scale))) * e.count
        for e in scenario.enterprises
    )
    enterprises = sum(e.count for e in scenario.enterprises)
    days = (scenario.end - scenario.start).days + 1
    return BYTES_BASE + agents * BYTES_PER_AGENT + enterprises * days * BYTES_PER_ENTERPRISE_DAY


def memory_available() -> int:
    """Bytes this process can still use: free memory, or the container's limit if lower."""
    import psutil

    free = psutil.virtual_memory().available
    limit, used = Path("/sys/fs/cgroup/memory.max"), Path("/sys/fs/cgroup/memory.current")
    try:
        free = min(free, int(limit.read_text()) - int(used.read_text()))
    except (OSError, ValueError):  # no cgroup v2 limit ("max") or not Linux
        pass
    return free


def check_memory(scenario: Any) -> None:
    """Refuse a run that would not fit in memory, saying what it needs and how to shrink it."""
    need, have = memory_needed(scenario), memory_available()
    if need > have:
        scale = max(2, math.ceil(scenario.scale * need / max(have, 1)))
        raise InputError(
            f"scenario {scenario.name!r}: needs about {need / 2**30:.1f} GB of memory, "
            f"{have / 2**30:.1f} GB available; raise 'scale' (e.g. --set scale={scale}), shorten "
            "it, or pass --no-memory-check to run anyway"
        )
