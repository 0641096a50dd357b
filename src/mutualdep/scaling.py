"""Scaled copies of a scenario, for benchmarks and scaling studies.

``scale_world(scenario, workers=1_000_000)`` returns the same scenario with about that many
workers: the places (occupations, industries, regions, towns, links) stay as they are, and each
enterprise line is multiplied. For a factor f >= 1 each line's ``count`` is multiplied by
k = floor(f) and its ``workers`` by f / k (so 10M workers from kuzbass-1989 is 50 times every
mine, complex, depot and service); for f < 1 counts stay and every enterprise shrinks to
f x its workers (at least one). Sparks and reforms that named a single enterprise now name the
first of its copies ("Mezhdurechensk mine 1" stays "Mezhdurechensk mine 1"; a single
"Kemerovo services" becomes "Kemerovo services 1").

This is not the scenario option ``scale`` (one agent standing for several workers): a scaled
world has more agents; ``scale`` has fewer agents for the same workers.
"""

from __future__ import annotations

import math

from mutualdep.scenario import Scenario, validate


def scale_factor_for(scenario: Scenario, workers: int) -> float:
    """The factor that turns the scenario's workforce into about ``workers``."""
    return workers / scenario.total_workers()


def scale_world(
    scenario: Scenario, workers: int | None = None, factor: float | None = None
) -> Scenario:
    """A copy of ``scenario`` with about ``workers`` workers (or ``factor`` x its workforce).

    Give exactly one of ``workers`` and ``factor``. The result is validated like any scenario
    and named ``"<name>-x<factor>"``.
    """
    if (workers is None) == (factor is None):
        raise ValueError("give exactly one of workers and factor")
    f = float(factor) if factor is not None else scale_factor_for(scenario, int(workers))
    if not f > 0:
        raise ValueError(f"expected a positive factor, got {f}")
    k = max(1, math.floor(f))
    per = f / k
    data = scenario.model_dump(mode="python")
    renamed: dict[str, str] = {}
    for e in data["enterprises"]:
        if e["count"] == 1 and k > 1:
            renamed[e["name"]] = f"{e['name']} 1"
        e["count"] = e["count"] * k
        e["workers"] = max(1, round(e["workers"] * per))
    for spark in data["sparks"]:
        spark["enterprise"] = renamed.get(spark["enterprise"], spark["enterprise"])
    for reform in data["reforms"]["timeline"]:
        if reform.get("enterprise") is not None:
            reform["enterprise"] = renamed.get(reform["enterprise"], reform["enterprise"])
    thresholds = data["collective_action"].get("thresholds")
    if thresholds is not None and f != 1:
        raise ValueError("a Granovetter scenario (one threshold per worker) cannot be scaled")
    data["name"] = f"{scenario.name}-x{f:.4g}"
    return validate(data, data["name"])
