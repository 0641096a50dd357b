"""Institutions and reforms on a dated timeline.

Each reform in ``reforms.timeline`` takes effect at the start of its date, for one enterprise,
one industry, or everyone:

- ``self_financing``: bonuses and the social fund come out of profit (see money)
- ``shop_cost_accounting``: each shop's bonus follows its own plan, so pay diverges between shops
- ``openness``: the regime's tolerance of voice becomes ``value``
- ``publish_distribution``: who got what is published (raises the sense of injustice)
- ``single_line``: one line for everyone, no privileged or exemplary places
- ``price_liberalisation``: consumer prices rise by ``value`` (real pay falls), administrative
  prices move to cost (coal no longer sells at half its cost), and prices are free: with the
  market mechanism on, goods appear in the state shops and market premiums shrink
- ``wage_change``: base pay of the targeted enterprises multiplied by 1 + ``value``
- ``strike_fund``: the fund replaces ``value`` of lost pay
- ``privatisation``: employee shares worth ``value`` rubles a worker, lost by leaving
- ``closure``: the enterprise (or ``value`` share of the industry's worst loss-makers) closes
- ``labour_surplus``: shortage turns to surplus: outside options and quits scale by ``value``,
  vacancies fill faster
- ``welfare_takeover``: the city takes over ``value`` share of services; they become portable
- ``market_opening``: the law on cooperatives: they gain ``value`` share of the enterprises'
  goods in every town (acts through the market mechanism)
"""

from __future__ import annotations

import numpy as np

from mutualdep.shared_state import log_event
from mutualdep.world import FIRED, World
from mutualdep.world_state import ExitRequest


class Reforms:
    name = "reforms"
    reads = (
        "economy.price_index",
        "enterprises.profit",
        "enterprises.wage_factor",
        "industries.price_to_cost",
    )
    writes = (
        "economy.labour_factor",
        "economy.market_opening",
        "economy.openness",
        "economy.price_index",
        "economy.prices_free",
        "economy.shop_cost_accounting",
        "economy.strike_fund",
        "economy.welfare",
        "enterprises.ownership",
        "industries.price_to_cost",
        "industries.self_financing",
        "messages.exit_requests",
        "enterprises.wage_factor",
        "world.ent_published",
        "world.ent_single_line",
        "world.shop_target",
    )

    def __init__(self, world: World):
        self.by_day: dict[int, list] = {}
        for reform in world.scenario.reforms.timeline:
            self.by_day.setdefault(world.calendar.day_of(reform.date), []).append(reform)
        # reforms dated before the start are in force from day 0
        early = [r for d, rs in self.by_day.items() if d < 0 for r in rs]
        if early:
            self.by_day.setdefault(0, [])[:0] = early

    def step(self, world: World, day: int) -> None:
        for reform in self.by_day.get(day, []):
            self.apply(world, reform)

    def targets(self, world: World, reform) -> np.ndarray:
        """Enterprise mask the reform applies to."""
        if reform.enterprise is not None:
            return np.array([n == reform.enterprise for n in world.enterprise_names])
        if reform.industry is not None:
            return world.ent_industry == world.industry_names.index(reform.industry)
        return np.ones(world.n_enterprises, bool)

    def apply(self, world: World, reform) -> None:
        kind, value = reform.kind, reform.value
        ents = self.targets(world, reform)
        industries = np.unique(world.ent_industry[ents])
        if kind == "self_financing":
            world.industries.self_financing[industries] = True
        elif kind == "shop_cost_accounting":
            world.economy.shop_cost_accounting = True
        elif kind == "openness":
            world.economy.openness = value
        elif kind == "publish_distribution":
            world.ent_published[ents] = True
        elif kind == "single_line":
            world.ent_single_line[ents] = True
        elif kind == "price_liberalisation":
            world.economy.price_index *= 1 + value
            world.economy.prices_free = True
            world.industries.price_to_cost[industries] = np.maximum(
                world.industries.price_to_cost[industries], 1.0
            )
        elif kind == "wage_change":
            world.enterprises.wage_factor[ents] *= 1 + value
        elif kind == "strike_fund":
            world.economy.strike_fund = value
        elif kind == "privatisation":
            world.enterprises.ownership[ents] = value
        elif kind == "closure":
            self._close(world, ents, value)
        elif kind == "labour_surplus":
            world.economy.labour_factor = value
        elif kind == "welfare_takeover":
            world.economy.welfare = value
        elif kind == "market_opening":
            world.economy.market_opening = value
        log_event(
            world,
            "reform",
            detail=f"{kind} {value:g}"
            + (
                f" ({reform.industry or reform.enterprise})"
                if reform.industry or reform.enterprise
                else ""
            ),
        )

    def _close(self, world: World, ents: np.ndarray, share: float) -> None:
        """Close the named enterprise, or the given share
        of the worst loss-makers among ``ents``."""
        candidates = np.flatnonzero(ents)
        if share > 0 and len(candidates) > 1:
            profit = world.enterprises.profit[candidates]
            candidates = candidates[np.argsort(profit, kind="stable")][
                : int(round(share * len(candidates)))
            ]
        w = world.workers
        for e in candidates:
            ids = np.flatnonzero((w.enterprise[: w.n] == e) & world.employed())
            world.messages.exit_requests.append(ExitRequest(ids, FIRED))
            world.shop_target[world.shop_enterprise == e] = 0
            log_event(world, "closure", e, detail=f"{len(ids) * world.scale} workers dismissed")
