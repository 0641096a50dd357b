"""The city soviet: health care, schools and its own housing list, living on the enterprises.

Each month the city's fund gets ``profit_share`` of its enterprises' profit (Magnitogorsk: 6
percent of the works' profit) and, from every enterprise whose industry is not yet on
self-financing, ``flat_share`` of the flats it builds (10 percent, until full cost-accounting);
whole flats the fund pays for go down the city's list to its own staff (teachers, doctors ...:
the workers of ``staff_industries``), longest waiting first. City staff still on the list leave
for lack of a flat at ``leave_rate`` a month (they become job seekers). In a company town the
one enterprise is the borough: when it closes, the day care it ran goes for the whole town.
"""

from __future__ import annotations

import numpy as np

from mutualdep.random import stochastic_round
from mutualdep.shared_state import group_sum, log_event
from mutualdep.world import DAYCARE, HOUSING, NOT_ON_LIST, OWN_FLAT, QUIT, World
from mutualdep.world_state import ExitRequest


class City:
    name = "city"
    reads = (
        "enterprises.funding",
        "enterprises.profit",
        "industries.self_financing",
        "shops.workers",
        "towns.city_fund",
        "towns.provider_closed",
        "world.shop_target",
    )
    writes = (
        "messages.exit_requests",
        "towns.city_fund",
        "towns.provider_closed",
        "workers.applied",
        "workers.daycare_place",
        "workers.housing",
    )

    def __init__(self, world: World):
        self.p = world.scenario.city
        names = set(self.p.staff_industries)
        staff = np.array([n in names for n in world.industry_names], bool)
        self.staff_ent = staff[world.ent_industry]
        housing = np.array([i.social.housing for i in world.industry_params])
        # flats an enterprise builds a year per worker it employs, as planned
        self.flats_per_worker = housing[world.ent_industry] / 1000.0 * world.ent_social_scale
        # the company-town enterprise of each town (-1: none or a multi-industry city)
        self.provider = np.full(world.n_towns, -1, np.int64)
        for t in np.flatnonzero(world.town_company):
            here = np.flatnonzero((world.ent_town == t) & ~self.staff_ent)
            if len(here):
                self.provider[t] = here[np.argmax(world.ent_workers_start[here])]

    def step(self, world: World, day: int) -> None:
        self._closures(world)
        if world.calendar.month_start[day] and day > 0:
            self._fund(world, day)
            self._leave(world, day)

    def _fund(self, world: World, day: int) -> None:
        ents, p = world.enterprises, self.p
        workers = group_sum(
            world.shop_enterprise, world.shops.workers.astype(float), len(ents.profit)
        )
        passes = ~world.industries.self_financing[world.ent_industry]
        flats = p.flat_share * self.flats_per_worker * workers * ents.funding * passes / 12
        money = p.profit_share * np.maximum(ents.profit, 0) + flats * p.flat_cost
        towns = world.towns
        towns.city_fund += group_sum(world.ent_town, money, world.n_towns)
        units = stochastic_round(
            towns.city_fund / p.flat_cost, world.streams.group_uniform("city", day, world.n_towns)
        )
        w = world.workers
        idx = np.flatnonzero(world.employed() & (w.applied[HOUSING, : w.n] != NOT_ON_LIST))
        idx = idx[self.staff_ent[w.enterprise[idx]]]
        town = world.ent_town[w.enterprise[idx]]
        order = np.lexsort((w.applied[HOUSING, idx], town))
        idx, town = idx[order], town[order]
        rank = np.arange(len(idx)) - np.searchsorted(town, town, side="left")
        got = idx[rank < units[town]]
        w.housing[got] = OWN_FLAT
        w.applied[HOUSING, got] = NOT_ON_LIST
        housed = np.bincount(world.ent_town[w.enterprise[got]], minlength=world.n_towns)
        towns.city_fund -= housed * p.flat_cost
        for t in np.flatnonzero(housed):
            log_event(
                world, "city_flats", detail=f"{world.town_names[t]}: {housed[t] * world.scale}"
            )

    def _leave(self, world: World, day: int) -> None:
        w = world.workers
        idx = np.flatnonzero(world.employed() & (w.applied[HOUSING, : w.n] != NOT_ON_LIST))
        idx = idx[self.staff_ent[w.enterprise[idx]]]
        month = int(world.calendar.month_index[day])
        leaving = idx[world.streams.uniform("city_leave", month, w.key[idx]) < self.p.leave_rate]
        if len(leaving):
            world.messages.exit_requests.append(ExitRequest(leaving, QUIT))
            log_event(world, "city_staff_left", detail=f"{len(leaving) * world.scale} unhoused")

    def _closures(self, world: World) -> None:
        """A closed company-town enterprise takes the town's day care with it."""
        towns = world.towns
        target = group_sum(
            world.shop_enterprise, world.shop_target.astype(float), world.n_enterprises
        )
        has = self.provider >= 0
        closed = has & ~towns.provider_closed
        closed[has] &= target[self.provider[has]] == 0
        for t in np.flatnonzero(closed):
            w = world.workers
            here = world.ent_town[w.enterprise[: w.n]] == t
            w.daycare_place[: w.n][here] = False
            w.applied[DAYCARE, : w.n][here] = NOT_ON_LIST
            towns.provider_closed[t] = True
            log_event(world, "town_daycare_lost", self.provider[t], detail=world.town_names[t])
