"""Design points: which factor values each point of an experiment runs with.

Sampling designs come from SALib so that sensitivity analysis can read the same sample back.
A factor given as a list of values is sampled on [0, 1] and mapped onto the list.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from mutualdep.experiments.spec import Experiment


def problem(exp: Experiment) -> dict[str, Any]:
    """The SALib problem: one variable per factor, in factor order."""
    return {
        "num_vars": len(exp.factors),
        "names": [f.key for f in exp.factors],
        "bounds": [list(f.bounds) for f in exp.factors],
    }


def sample(exp: Experiment) -> np.ndarray:
    """The raw sample matrix (one row per point) of a sampling design, seeded by design.seed."""
    from SALib.sample import latin, morris, sobol  # imported here: SALib pulls in scipy (~1 s)

    d = exp.design
    if d.kind == "lhs":
        return latin.sample(problem(exp), d.samples, seed=d.seed)
    if d.kind == "sobol":
        return sobol.sample(problem(exp), d.samples, calc_second_order=d.second_order, seed=d.seed)
    if d.kind == "morris":
        return morris.sample(problem(exp), d.samples, num_levels=d.levels, seed=d.seed)
    raise ValueError(f"{d.kind} is not a sampling design")


def points(exp: Experiment) -> list[dict[str, Any]]:
    """Factor values of every design point, in a fixed order (point i is row i of the sample)."""
    if exp.design.kind == "factorial":
        keys = [f.key for f in exp.factors]
        return [
            dict(zip(keys, combo, strict=True))
            for combo in itertools.product(*(f.grid() for f in exp.factors))
        ]
    x = sample(exp)
    return [
        {f.key: f.from_sample(float(v)) for f, v in zip(exp.factors, row, strict=True)} for row in x
    ]
