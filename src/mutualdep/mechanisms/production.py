"""Production and the plan.

Each shop makes output in proportion to the workers at work (not striking), its technology
(capacity decays with technology age, old shops break down more), and its inputs: an industry
that consumes another's output (steel eats coking coal) draws on a stock that is refilled by
the supplying industry of its region, so a long coal strike cuts steel output. Plans are set
per shop from expected full-staff output, ratcheted up after a year the plan was met. In the
last days of a quarter a shop behind plan storms: more output, more breakdowns and accidents,
lower quality: ``storm_quality_loss`` of a storming shop's output is defective, counted towards
the plan but sold for nothing (sent back through the furnaces). A plan is the shop's own
expected output at normal staffing and its normal breakdown rate, times ``plan_tautness``: a
shop that loses workers falls behind. Coal kills about one miner per million tons; accidents
are events and a grievance shock.
"""

from __future__ import annotations

import numpy as np

from mutualdep.shared_state import group_sum, log_event
from mutualdep.world import World


class Production:
    name = "production"
    reads = (
        "enterprises.local_work",
        "enterprises.shock",
        "shops.striking",
        "shops.workers",
        "world.shop_target",
    )
    writes = (
        "enterprises.month_good_output",
        "enterprises.month_output",
        "enterprises.month_plan",
        "enterprises.output",
        "enterprises.plan_fulfilment",
        "enterprises.shock",
        "shops.month_fulfilment",
        "shops.plan_met",
    )

    def __init__(self, world: World):
        self.p = world.scenario.production
        ind = world.industry_params
        shop_ind = world.ent_industry[world.shop_enterprise]
        per_worker_day = np.array([i.output_per_worker_year for i in ind])[shop_ind] / 365.0
        self.tech = np.exp(-self.p.technology_decay * world.shop_tech_age)
        self.full_rate = per_worker_day * self.tech  # per worker at work
        expected_uptime = 1.0 - np.minimum(self.p.breakdown_rate * world.shop_tech_age, 1.0)
        self.plan_rate = (
            self.full_rate
            * world.shop_target
            * self.p.normal_staffing
            * expected_uptime
            * self.p.plan_tautness
        )
        # output is counted in agents; accidents happen to the real workforce (x scale)
        self.deaths_rate = (
            np.array([i.deaths_per_million_units for i in ind])[world.ent_industry]
            / 1e6
            * world.scale
        )
        self.input_of = np.array(
            [world.industry_names.index(i.input_industry) if i.input_industry else -1 for i in ind]
        )[world.ent_industry]
        self.stock_days = np.array([i.input_stock_days for i in ind])[world.ent_industry]
        self.stock = self.stock_days.copy()
        n_shop = world.n_shops
        self.month_out = np.zeros(n_shop)
        self.month_good = np.zeros(n_shop)  # output without the defects storming makes
        self.month_plan = np.zeros(n_shop)
        self.quarter_out = np.zeros(n_shop)
        self.quarter_plan = np.zeros(n_shop)
        self.year_out = np.zeros(n_shop)
        self.year_plan = np.zeros(n_shop)
        # normal output of each region's industries, the yardstick for input deliveries
        self.normal_ent = group_sum(
            world.shop_enterprise, self.plan_rate / self.p.plan_tautness, world.n_enterprises
        )
        self.n_ind = len(ind)
        key = world.ent_region * self.n_ind + world.ent_industry
        self.region_industry_key = key
        self.normal_region_ind = group_sum(key, self.normal_ent, world.n_regions * self.n_ind)

    def step(self, world: World, day: int) -> None:
        cal, p = world.calendar, self.p
        n_ent = world.n_enterprises
        # strikers a committee lets work for local needs still produce
        away = world.shops.striking * (1 - world.enterprises.local_work[world.shop_enterprise])
        at_work = np.maximum(world.shops.workers - away, 0)
        behind = self.quarter_out < self.quarter_plan
        storming = (cal.days_left_in_quarter[day] < p.storm_days) & behind
        boost = 1.0 + p.storm_boost * storming
        u = world.streams.group_uniform("breakdown", day, world.n_shops)
        broken = u < p.breakdown_rate * world.shop_tech_age * (
            1.0 + p.storm_accident_factor * storming
        )
        shop_out = self.full_rate * at_work * boost * ~broken
        ent_out = group_sum(world.shop_enterprise, shop_out, n_ent)

        # inputs: deliveries from the region's supplying industry refill a stock
        supplied = self.input_of >= 0
        if supplied.any():
            out_region_ind = group_sum(
                self.region_industry_key, ent_out, world.n_regions * self.n_ind
            )
            key = world.ent_region * self.n_ind + np.maximum(self.input_of, 0)
            normal = self.normal_region_ind[key]
            delivery = np.where(normal > 0, out_region_ind[key] / np.maximum(normal, 1e-9), 1.0)
            self.stock = np.where(
                supplied, np.minimum(self.stock + delivery - 1.0, self.stock_days), self.stock
            )
            factor = np.where(supplied & (self.stock < 0), np.clip(delivery, 0, 1), 1.0)
            self.stock = np.maximum(self.stock, 0.0)
            shop_out = shop_out * factor[world.shop_enterprise]
            ent_out = ent_out * factor

        self.month_out += shop_out
        self.month_good += shop_out * (1.0 - p.storm_quality_loss * storming)
        self.month_plan += self.plan_rate
        self.quarter_out += shop_out
        self.quarter_plan += self.plan_rate
        self.year_out += shop_out
        self.year_plan += self.plan_rate
        world.enterprises.output = ent_out
        ent_month_out = group_sum(world.shop_enterprise, self.month_out, n_ent)
        ent_month_plan = group_sum(world.shop_enterprise, self.month_plan, n_ent)
        world.enterprises.plan_fulfilment = ent_month_out / np.maximum(ent_month_plan, 1e-9)
        storm_ent = group_sum(world.shop_enterprise, storming.astype(float), n_ent) > 0

        self._accidents(world, day, ent_out, storm_ent)

        if cal.month_end[day]:
            world.enterprises.month_output = ent_month_out
            world.enterprises.month_plan = ent_month_plan
            world.enterprises.month_good_output = group_sum(
                world.shop_enterprise, self.month_good, n_ent
            )
            world.shops.plan_met = self.month_out >= self.month_plan
            world.shops.month_fulfilment = self.month_out / np.maximum(self.month_plan, 1e-9)
            self.month_out[:] = 0.0
            self.month_good[:] = 0.0
            self.month_plan[:] = 0.0
        if cal.days_left_in_quarter[day] == 0:
            self.quarter_out[:] = 0.0
            self.quarter_plan[:] = 0.0
        if cal.year_end[day]:
            met = self.year_out >= self.year_plan
            self.plan_rate = np.where(met, self.plan_rate * (1 + p.ratchet), self.plan_rate)
            for e in np.flatnonzero(group_sum(world.shop_enterprise, met.astype(float), n_ent) > 0):
                log_event(world, "plan_raised", e, detail=f"ratchet {p.ratchet:.0%}")
            self.year_out[:] = 0.0
            self.year_plan[:] = 0.0

    def _accidents(
        self, world: World, day: int, ent_out: np.ndarray, storm_ent: np.ndarray
    ) -> None:
        lam = ent_out * self.deaths_rate * (1.0 + self.p.storm_accident_factor * storm_ent)
        if not lam.any():
            return
        u = world.streams.group_uniform("accident", day, world.n_enterprises)
        deaths = poisson_from_uniform(u, lam)
        for e in np.flatnonzero(deaths):
            log_event(world, "accident", e, detail=f"{deaths[e]} killed")
        world.enterprises.shock += deaths * world.scenario.grievance.accident_shock


def poisson_from_uniform(u: np.ndarray, lam: np.ndarray, kmax: int = 30) -> np.ndarray:
    """Poisson counts by inverse CDF from one uniform each (small means)."""
    p = np.exp(-lam)
    cdf = p.copy()
    k = np.zeros(len(u), np.int64)
    for i in range(1, kmax):
        below = u > cdf
        if not below.any():
            break
        k += below
        p = p * lam / i
        cdf = cdf + p
    return k
