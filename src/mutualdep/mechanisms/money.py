"""Money: administrative prices, planned losses, subsidy and self-financing.

Each month an enterprise sells its output (less storming's defects) at the administrative
price, set as a share of the industry's normal unit cost (coal at about half its extraction
cost), pays wages and materials, and books a profit or a loss. A subsidised branch has its
loss covered. Once self-financing reaches an industry, shop bonuses and the social fund that
builds flats and buys goods come out of profit: a loss-making branch stops paying bonuses and
its social provision withers (funding moves each month a twelfth of the way towards the share
of profit the fund receives over what it needs, so a bad month dents it and a bad year empties
it).
"""

from __future__ import annotations

import numpy as np

from mutualdep.world import World


class Money:
    name = "money"
    reads = (
        "enterprises.funding",
        "enterprises.month_good_output",
        "enterprises.month_output",
        "enterprises.month_plan",
        "industries.price_to_cost",
        "industries.self_financing",
    )
    writes = (
        "enterprises.bonus_allowed",
        "enterprises.funding",
        "enterprises.profit",
        "enterprises.revenue",
        "enterprises.subsidy",
        "enterprises.wage_bill",
    )

    def __init__(self, world: World):
        self.p = world.scenario.money
        ind = world.industry_params
        self.material = np.array([i.material_cost_share for i in ind])[world.ent_industry]
        self.subsidised = np.array([i.subsidised for i in ind])[world.ent_industry]
        self.unit_cost = None  # set on the first month end, from the normal wage bill and plan

    def step(self, world: World, day: int) -> None:
        if not world.calendar.month_end[day]:
            return
        w, ents = world.workers, world.enterprises
        emp = world.employed()
        n_ent = world.n_enterprises
        wage_bill = np.bincount(
            w.enterprise[: w.n][emp], weights=w.wage[: w.n][emp], minlength=n_ent
        )
        out, plan = ents.month_output, ents.month_plan
        if self.unit_cost is None:
            normal = np.maximum(plan, 1e-9) / world.scenario.production.plan_tautness
            self.unit_cost = wage_bill / (1 - self.material) / normal
        ptc = world.industries.price_to_cost[world.ent_industry]
        revenue = world.enterprises.month_good_output * self.unit_cost * ptc  # defects: nothing
        cost = wage_bill + out * self.unit_cost * self.material
        profit = revenue - cost
        subsidy = np.where(self.subsidised & (profit < 0), -profit, 0.0)
        self_fin = world.industries.self_financing[world.ent_industry]
        social_need = (
            np.bincount(w.enterprise[: w.n][emp], minlength=n_ent) * self.p.social_cost_per_worker
        )
        target = np.clip(
            self.p.social_share_of_profit * np.maximum(profit, 0) / np.maximum(social_need, 1), 0, 2
        )
        # a social fund is built up and spent over the year:
        # funding moves a twelfth of the way each month
        ents.funding = np.where(self_fin, ents.funding + (target - ents.funding) / 12.0, 1.0)
        ents.bonus_allowed = np.where(self_fin, profit > 0, True)
        ents.revenue, ents.wage_bill, ents.profit, ents.subsidy = (
            revenue,
            wage_bill,
            profit,
            subsidy,
        )
