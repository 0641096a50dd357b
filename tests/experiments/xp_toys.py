"""Toy models with known answers, to test the experiment machinery without the simulation.

Imported by name ("xp_toys:toy") in pool and Dask workers, so this folder must be importable
there (the tests put it on PYTHONPATH).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from mutualdep.errors import InputError
from mutualdep.experiments.models import RunOutput

DEFAULTS: dict[str, Any] = {
    "x1": 0.5,
    "x2": 0.5,
    "x3": 0.5,  # linear = x1 + 2 x2 + 3 x3: Sobol S_i = a_i^2 / 14
    "theta": 0.5,
    "noise": 0.0,  # fitted = 2 theta + noise * N(0, 1) drawn from the seed
    "delay": 0.0,  # seconds each run sleeps
    "log": "",  # file that gets one line per execution
    "fail": -1.0,  # a run with x1 == fail raises
}


class Toy:
    tables = None
    metrics = frozenset({"linear", "fitted", "draw"})

    def resolve(self, scenario: str, overrides: dict[str, Any], base_dir: Path) -> dict[str, Any]:
        unknown = set(overrides) - set(DEFAULTS)
        if unknown:
            raise InputError(f"toy scenario: unknown key(s) {sorted(unknown)}")
        return {"name": scenario, **DEFAULTS, **overrides}

    def run(self, scenario: dict[str, Any], seed: int, until: dt.date | None) -> RunOutput:
        s = scenario
        if s["log"]:
            with open(s["log"], "a") as f:
                f.write(f"{s['x1']!r} {seed} {os.getpid()} {time.time()!r}\n")
        time.sleep(s["delay"])
        if s["x1"] == s["fail"]:
            raise RuntimeError(f"toy failure at x1={s['x1']}")
        rng = np.random.default_rng(seed)
        draw = float(rng.standard_normal())
        trace = pl.DataFrame({"day": np.arange(5), "value": rng.random(5) + s["x1"]})
        return RunOutput(
            {"trace": trace},
            {
                "linear": s["x1"] + 2 * s["x2"] + 3 * s["x3"],
                "fitted": 2 * s["theta"] + s["noise"] * draw,
                "draw": draw,
            },
        )


toy = Toy()
