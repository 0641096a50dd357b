"""Institutions as actors: the unions, the labour council, shop bosses and the director.

- **Unions.** Every worker is a member of the official union, of the independent one, or of
  none (``workers.union``, coded by ``shared_state.UNIONS``). The union that holds an
  enterprise's lists (``enterprises.union_lists``) hands out what distribution hands out: the
  ``unions`` table books each enterprise's in-kind flow to it. It keeps its members because it
  does: each month a worker who is not in the union that distributes in his enterprise leaves
  his own for it at ``switch_rate``. When the social funding falls below ``starve_funding``
  (self-financing starving the social fund) no union has anything to hand out and members drift
  to none. After a won strike removes the director (management), an independent union forms
  and takes the lists over; the official union's members move to it at the same rate.
- **The labour council** (STK, from ``reform_date``) rules on privileges: an occupation goes on
  the privileged line, whether management asks (labour_market) or a campaign does
  (campaigns), only when it is at least ``council_share`` of the enterprise's workforce
  (``enterprises.council_admits``).
- **Shop bosses.** From ``reform_date`` a share ``elected_share`` of shops elect their boss. An
  elected boss placates his shop: each month its workers' grievance falls by
  ``elected_placate``. An appointed boss deters: his workers expect a failed strike to take
  ``appointed_deter`` more of their stake.
- **The director.** A director removed after a won strike is replaced the next day by one with
  ``new_director_capacity`` of his predecessor's management capacity. From ``office_from`` a
  director whose plant hands out more than ``office_largesse`` rubles a month a worker in kind
  turns that largesse into elected office with chance ``office_chance`` a year (an event).
  With ``office_command`` on, office keeps him in command: only a won strike with
  ``office_command.removal_share`` of his workers out removes him (``enterprises.removal_share``,
  which management and the strikers' prospect of a win read).

Two sub-switches make the union's lists matter (off by default):

- ``union_goods``: what the union hands out goes to its members only. The holiday-voucher list
  queues only members of the union that holds the lists (distribution); ``goods_share`` of the
  enterprise's goods in kind reaches only them (distribution), and ``coupon_share`` of its
  coupons (market). A member who leaves that union goes to the back of the voucher line (his
  application is re-dated to the day he left). What a member holds through the union is valued
  with the rest of his stake (his voucher place, his goods and coupons), so it is what a
  sanction takes and what leaving the enterprise costs; a non-member has none of it to lose.
- ``scandal``: where the lists are published, official-union members leave it for none at
  ``scandal.rate`` a month.
"""

from __future__ import annotations

import numpy as np

from mutualdep.shared_state import (
    INDEPENDENT,
    NO_UNION,
    OFFICIAL,
    UNIONS,
    group_mean,
    group_sum,
    log_event,
)
from mutualdep.world import NOT_ON_LIST, VOUCHER, World


class Institutions:
    name = "institutions"
    reads = (
        "enterprises.director_removed",
        "enterprises.director_since",
        "enterprises.funding",
        "enterprises.union_lists",
        "shops.boss_elected",
        "world.ent_capacity",
        "world.ent_published",
    )
    writes = (
        "enterprises.council_admits",
        "enterprises.director_since",
        "enterprises.removal_share",
        "enterprises.union_lists",
        "shops.boss_elected",
        "workers.applied",
        "workers.at_risk",
        "workers.grievance",
        "workers.union",
        "world.ent_capacity",
    )

    def __init__(self, world: World):
        self.p = world.scenario.institutions
        self.elections_held = False
        self.in_office = np.zeros(world.n_enterprises, bool)  # the director holds an office

    def step(self, world: World, day: int) -> None:
        self._replace_directors(world, day)
        if not world.calendar.month_start[day]:
            return
        date = world.calendar.date(day)
        reformed = date >= self.p.reform_date
        if reformed and not self.elections_held:
            self._elect_bosses(world, day)
        if reformed:
            self._council(world)
        self._bosses(world)
        self._membership(world, day)
        if date >= self.p.office_from:
            self._office(world, day)

    def _replace_directors(self, world: World, day: int) -> None:
        ents = world.enterprises
        for e in np.flatnonzero(ents.director_removed > ents.director_since):
            ents.director_since[e] = day
            ents.union_lists[e] = INDEPENDENT
            world.ent_capacity[e] *= self.p.new_director_capacity
            self.in_office[e] = False
            ents.removal_share[e] = world.scenario.management.removal_share
            log_event(
                world,
                "director_appointed",
                e,
                detail=f"management capacity {world.ent_capacity[e]:.2f}; "
                "the independent union holds the lists",
            )

    def _elect_bosses(self, world: World, day: int) -> None:
        u = world.streams.group_uniform("boss_election", day, world.n_shops)
        world.shops.boss_elected = u < self.p.elected_share
        self.elections_held = True

    def _council(self, world: World) -> None:
        """The council admits the occupations that carry enough of the workforce's votes."""
        w = world.workers
        emp = world.employed()
        n_occ = world.n_occupations
        code = w.enterprise[: w.n][emp].astype(np.int64) * n_occ + w.occupation[: w.n][emp]
        have = np.bincount(code, minlength=world.n_enterprises * n_occ).reshape(-1, n_occ)
        share = have / np.maximum(have.sum(axis=1, keepdims=True), 1)
        world.enterprises.council_admits = share >= self.p.council_share

    def _bosses(self, world: World) -> None:
        """Elected bosses placate, appointed ones deter (on this month's grievance and stake)."""
        w, p = world.workers, self.p
        elected = world.shops.boss_elected[w.shop[: w.n]]
        if p.elected_placate > 0:
            w.grievance[: w.n][elected] *= np.float32(1 - p.elected_placate)
        if p.appointed_deter > 0:
            w.at_risk[: w.n][~elected] *= np.float32(1 + p.appointed_deter)

    def _membership(self, world: World, day: int) -> None:
        w, p, ents = world.workers, self.p, world.enterprises
        n = w.n
        emp = world.employed()
        ent = w.enterprise[:n]
        distributing = np.where(ents.funding >= p.starve_funding, ents.union_lists, NO_UNION)
        theirs = distributing.astype(np.int8)[ent]
        idx = np.flatnonzero(emp & (w.union[:n] != theirs))
        month = int(world.calendar.month_index[day])
        movers = idx[world.streams.uniform("union", month, w.key[idx]) < p.switch_rate]
        left = movers[w.union[movers] == ents.union_lists[ent[movers]]]
        w.union[movers] = theirs[movers]
        if p.scandal.enabled:
            official = np.flatnonzero(emp & (w.union[:n] == OFFICIAL) & world.ent_published[ent])
            u = world.streams.uniform("union/scandal", month, w.key[official])
            quitting = official[u < p.scandal.rate]
            w.union[quitting] = NO_UNION
            left = np.concatenate([left, quitting[ents.union_lists[ent[quitting]] == OFFICIAL]])
        if p.union_goods.enabled:
            # the voucher place was the union's to give: he goes to the back of its line
            on_list = w.applied[VOUCHER, left] != NOT_ON_LIST
            w.applied[VOUCHER, left[on_list]] = day
        n_ent, n_u = world.n_enterprises, len(UNIONS)
        code = ent[emp].astype(np.int64) * n_u + w.union[:n][emp]
        members = np.bincount(code, minlength=n_ent * n_u).reshape(n_ent, n_u)
        handed_out = group_sum(ent[emp], w.inkind[:n][emp].astype(float), n_ent)
        world.records.unions.append((month, members, distributing.astype(np.int8), handed_out))

    def _office(self, world: World, day: int) -> None:
        """A director whose plant is generous enough may win an elected office on it."""
        w, p = world.workers, self.p
        emp = world.employed()
        largesse = group_mean(
            w.enterprise[: w.n][emp], w.inkind[: w.n][emp].astype(float), world.n_enterprises
        )
        monthly = 1 - (1 - p.office_chance) ** (1 / 12)
        u = world.streams.group_uniform("office", day, world.n_enterprises)
        wins = (largesse >= p.office_largesse) & ~self.in_office & (u < monthly)
        for e in np.flatnonzero(wins):
            self.in_office[e] = True
            if p.office_command.enabled:
                world.enterprises.removal_share[e] = p.office_command.removal_share
            log_event(
                world,
                "director_to_office",
                e,
                detail=f"the plant hands out {largesse[e]:.0f} rubles a month a worker in kind",
            )
