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

from mutualdep.shared_state import expected_pay
from mutualdep.world import World


class Pay:
    name = "pay"
    reads = (
        "economy.price_index",
        "economy.shop_cost_accounting",
        "economy.strike_fund",
        "enterprises.bonus_allowed",
        "enterprises.month_output",
        "enterprises.month_plan",
        "enterprises.wage_factor",
        "regions.pay_raise",
        "shops.plan_met",
    )
    writes = (
        "shops.bonus_paid",
        "workers.savings",
        "workers.struck_days",
        "workers.wage",
    )

    def __init__(self, world: World):
        self.p = world.scenario.pay

    def step(self, world: World, day: int) -> None:
        if not world.calendar.month_end[day]:
            return
        w, ents = world.workers, world.enterprises
        n = w.n
        shop, ent = w.shop[:n], w.enterprise[:n]
        if world.economy.shop_cost_accounting:
            met = world.shops.plan_met
        else:
            ent_met = ents.month_output >= ents.month_plan
            met = ent_met[world.shop_enterprise]
        bonus = met[shop] & ents.bonus_allowed[ent]
        full = expected_pay(world) / (1 + self.p.bonus_share)
        paid_share = 1.0 - w.struck_days[:n] / world.calendar.days_in_month(day) * (
            1.0 - world.economy.strike_fund
        )
        # ``expected_pay`` is already real (deflated by the price index)
        earnings = full * (1 + self.p.bonus_share * bonus) * np.clip(paid_share, 0, 1)
        emp = world.employed()
        w.wage[:n] = np.where(emp, earnings, w.wage[:n])
        w.savings[:n] += np.where(emp, self.p.saving_rate * earnings, 0).astype(np.float32)
        w.struck_days[:n] = 0
        world.shops.bonus_paid = met & ents.bonus_allowed[world.shop_enterprise]
