"""Compare mode: one scenario with and without a lever, on the same seeds.

Both arms of a seed draw from the same keyed random streams, so the per-seed difference shows
the lever's effect with most of the luck taken out (common random numbers). The interval is
the t interval of the mean paired difference over the seeds, day by day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import stats

from mutualdep.engine import Simulation
from mutualdep.scenario import Scenario
from mutualdep.web.live import participation_by_industry

ALL = "all workers"


@dataclass(frozen=True)
class Comparison:
    dates: np.ndarray
    group: str  # an industry or ALL
    base: np.ndarray  # (seeds, days) share on strike without the change
    alt: np.ndarray  # the same with it
    level: float = 0.95

    @property
    def difference(self) -> np.ndarray:
        return self.alt - self.base

    def interval(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Mean paired difference per day and its t interval (zero width with one seed)."""
        d = self.difference
        mean = d.mean(axis=0)
        n = d.shape[0]
        if n < 2:
            return mean, mean, mean
        half = stats.t.ppf(0.5 + self.level / 2, n - 1) * d.std(axis=0, ddof=1) / np.sqrt(n)
        return mean, mean - half, mean + half


def share_on_strike(sim: Simulation, group: str) -> np.ndarray:
    """Daily share on strike of one industry, or of everyone."""
    if group == ALL:
        out = sim.recorder.daily["striking"][: sim.day].sum(axis=1)
        return out / np.maximum(sim.recorder.daily["workers"][: sim.day].sum(axis=1), 1)
    return participation_by_industry(sim)[sim.world.industry_names.index(group)]


def compare(
    base: Scenario,
    alt: Scenario,
    seeds: list[int],
    group: str = ALL,
    until: dt.date | None = None,
    progress: Callable[[float], bool] | None = None,
) -> Comparison | None:
    """Run both arms on each seed. ``progress(fraction)`` is told after each run; if it returns
    False the comparison stops and None is returned."""
    curves: dict[str, list[np.ndarray]] = {"base": [], "alt": []}
    for i, seed in enumerate(seeds):
        for k, (arm, scenario) in enumerate((("base", base), ("alt", alt))):
            sim = Simulation(scenario, seed).run(until=until)
            curves[arm].append(share_on_strike(sim, group))
            if progress is not None and not progress((2 * i + k + 1) / (2 * len(seeds))):
                return None
    start = np.datetime64(base.start)
    days = len(curves["base"][0])
    return Comparison(
        dates=start + np.arange(days).astype("timedelta64[D]"),
        group=group,
        base=np.array(curves["base"]),
        alt=np.array(curves["alt"]),
    )
