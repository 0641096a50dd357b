"""Grievance: pay, danger, housing, waiting, injustice, shortages, pollution.

Recomputed for every worker at each month start as a weighted sum, clipped to [0, 1]:
pay below what he expects with his bonus (arrears and inflation included), the danger of his
occupation, barracks or shared housing, years already waited for a flat, injustice in
distribution (leakage, and privileged lines once distribution is published), the economy-wide
shortage index (a dated series in the scenario), and his shop's pollution, plus a personal
offset. Accidents and strike outcomes add enterprise-level shocks that decay daily.
Grievance is high in steel too: anger alone does not separate strikers from non-strikers.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from mutualdep.shared_state import expected_pay
from mutualdep.world import BARRACKS, HOUSING, NOT_ON_LIST, SHARED, World


class Grievance:
    name = "grievance"
    reads = (
        "economy.price_index",
        "enterprises.shock",
        "enterprises.wage_factor",
        "regions.pay_raise",
        "world.ent_privileged",
        "world.ent_published",
        "world.ent_single_line",
    )
    writes = (
        "enterprises.shock",
        "workers.grievance",
    )

    def __init__(self, world: World):
        self.p = world.scenario.grievance
        self.danger = np.array([o.danger for o in world.scenario.occupations])
        self.decay = 0.5 ** (1.0 / self.p.shock_half_life_days)
        self.leakage = world.scenario.distribution.leakage
        self._monthly(world, 0)

    def shortage(self, world: World, day: int) -> float:
        points = sorted(self.p.shortage_index)
        x = np.array([(d - dt.date(1970, 1, 1)).days for d, _ in points], float)
        y = np.array([v for _, v in points])
        return float(np.interp((world.calendar.date(day) - dt.date(1970, 1, 1)).days, x, y))

    def step(self, world: World, day: int) -> None:
        world.enterprises.shock *= self.decay
        if world.calendar.month_start[day]:
            self._monthly(world, day)

    def _monthly(self, world: World, day: int) -> None:
        w, p = world.workers, self.p
        n = w.n
        ent = w.enterprise[:n]
        pay_gap = np.clip(1 - w.wage[:n] / np.maximum(expected_pay(world), 1e-6), 0, 1)
        housing = np.where(
            w.housing[:n] == BARRACKS, 1.0, np.where(w.housing[:n] == SHARED, 0.5, 0.0)
        )
        applied = w.applied[HOUSING, :n]
        waited = np.where(applied != NOT_ON_LIST, (day - applied) / 365.25, 0.0)
        published = world.ent_published[ent]
        favoured = world.ent_privileged[ent, w.occupation[:n]] | w.exemplary[:n]
        injustice = self.leakage * (1 + published) + 0.5 * (
            published & ~world.ent_single_line[ent] & ~favoured
        )
        g = (
            p.pay * pay_gap
            + p.danger * self.danger[w.occupation[:n]]
            + p.housing * housing
            + p.wait * np.clip(waited / 15, 0, 1)
            + p.injustice * np.clip(injustice, 0, 1)
            + p.shortage * self.shortage(world, day)
            + p.pollution * world.shop_pollution[w.shop[:n]]
            + w.g_noise[:n]
        )
        w.grievance[:n] = np.clip(g, 0, 1)
