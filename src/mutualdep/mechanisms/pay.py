"""Pay: centrally set base rates, regional coefficients, night premia, shop bonuses.

Paid at each month end. Earnings = base rate of the occupation x regional coefficient x any
raise won by a protocol (region and industry) x any wage change decreed for the enterprise
x (1 + night premium x night share) x skill x (1 + bonus if the plan was
met). Under shop cost-accounting the bonus follows the shop's own plan, otherwise the
enterprise's; under self-financing a loss-maker pays none. Strike days are unpaid except for
what a strike fund replaces. Earnings are real (deflated by the price index). Savings grow
by a share of pay.
"""

from __future__ import annotations

import numpy as np

from mutualdep.world import World


class Pay:
    name = "pay"

    def __init__(self, world: World):
        self.p = world.scenario.pay
        occ = world.scenario.occupations
        self.base = np.array([o.base_wage for o in occ])
        self.night = np.array([o.night_share for o in occ])

    def expected(self, world: World, idx: np.ndarray | slice | None = None) -> np.ndarray:
        """What a worker expects to earn with his bonus: the yardstick of pay grievance."""
        w, st = world.workers, world.state
        idx = slice(0, w.n) if idx is None else idx
        occ, ent = w.occupation[idx], w.enterprise[idx]
        region, ind = world.ent_region[ent], world.ent_industry[ent]
        return (
            self.base[occ]
            * world.region_wage_coef[region]
            * st["raise"][region, ind]
            * st["ent_wage_factor"][ent]
            * (1 + self.p.night_premium * self.night[occ])
            * (1 + self.p.skill_premium * (w.skill[idx] - 1.0))
            * (1 + self.p.bonus_share)
            / st["price_index"]
        )

    def step(self, world: World, day: int) -> None:
        if not world.calendar.month_end[day]:
            return
        w, st = world.workers, world.state
        n = w.n
        shop, ent = w.shop[:n], w.enterprise[:n]
        if st["shop_cost_accounting"]:
            met = st["shop_plan_met"]
        else:
            ent_met = st["ent_month_output"] >= st["ent_month_plan"]
            met = ent_met[world.shop_enterprise]
        bonus = met[shop] & st["ent_bonus_allowed"][ent]
        full = self.expected(world) / (1 + self.p.bonus_share)
        paid_share = 1.0 - w.struck_days[:n] / world.calendar.days_in_month(day) * (
            1.0 - st["strike_fund"]
        )
        # ``expected`` is already real (deflated by the price index)
        earnings = full * (1 + self.p.bonus_share * bonus) * np.clip(paid_share, 0, 1)
        emp = world.employed()
        w.wage[:n] = np.where(emp, earnings, w.wage[:n])
        w.savings[:n] += np.where(emp, self.p.saving_rate * earnings, 0).astype(np.float32)
        w.struck_days[:n] = 0
        st["shop_bonus_paid"] = met & st["ent_bonus_allowed"][world.shop_enterprise]
