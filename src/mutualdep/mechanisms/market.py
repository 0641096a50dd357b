"""The market outside the enterprise: what a worker could get without it, and at what price.

Off by default; then the stake counts only each town's ``market_access`` (the share of the
enterprise's goods its shops would supply), as before. On, each town has four channels:

- its state shops, with scope ``market_access`` at state prices (``liberalised_scope`` once a
  ``price_liberalisation`` reform frees prices and goods appear in them);
- cooperatives, the shadow economy and private plots, each with a scope (``market.CHANNEL``,
  overridden per town by ``towns.*.outside_scope``) and a price premium over the state price.
  A ``market_opening`` reform (the 1988 law on cooperatives) adds its value to the
  cooperatives' scope. Premiums are set at the start's prices: as the state price level
  (``economy.price_index``) rises they shrink, to none once it reaches the market's.

A worker who loses the enterprise's goods buys what he can in the cheapest channel first, then
the next, and so on; at a premium p his rubles buy 1 / (1 + p) of what they buy at state
prices, so a good to be had there keeps that share of its value, one not to be had none. What
he would not lose is ``towns.goods_access``: the share of the enterprise's goods that is not at
stake. A channel that sells flats, cars, holidays or day care
(``CHANNEL.housing_years`` ...) gives a leaver or a sanctioned worker a second way to them:
``towns.market_alt`` is its present value per unit of the item's value, exp(-r x its years) /
(1 + p) at the distribution's discount rate r, the best channel of the town; the
distribution counts the better of that and the lists' own outside waits.

Coupons are handed out monthly at the workplace by the union, the Komsomol and the party: each
enterprise gets ``coupons.per_worker`` a month for each employed worker, each worth
``coupons.value`` rubles of goods. They are opaque: a ``coupons.leakage`` share goes to the
workers with connections to the issuers (``connected_share`` of all, a fixed trait drawn from
each worker's key), chosen at random among them, not by need; the rest goes by need, to workers
chosen with chance in proportion to their household (1 + spouse + children). Where nobody is
connected the leaked share too goes by need. A worker's coupons (``workers.coupons``, rubles a
month) are part of the goods in kind he would lose by leaving (see distribution). With
``institutions.union_goods`` on, the union's ``coupon_share`` of them is drawn among the
members of the union that holds the lists only.

With ``coupons.black_market`` on, the leaked coupons' goods turn up on the black market: the
shadow economy's scope in a town grows by the leaked rubles over the rubles of goods in kind
its enterprises hand out (their own goods at their funding, and every coupon), at most to 1.
"""

from __future__ import annotations

import numpy as np

from mutualdep.random import keys_for, stochastic_round
from mutualdep.scenario import LISTS
from mutualdep.shared_state import group_sum, own_goods, union_members
from mutualdep.world import World

CHANNELS = ("cooperatives", "shadow", "private_plots")
SHADOW = CHANNELS.index("shadow")


class Market:
    name = "market"
    reads = (
        "economy.market_opening",
        "economy.price_index",
        "economy.prices_free",
        "enterprises.funding",
        "enterprises.union_lists",
    )
    writes = (
        "towns.goods_access",
        "towns.market_alt",
        "workers.coupons",
    )

    def __init__(self, world: World):
        self.p = p = world.scenario.market
        channels = [getattr(p, c) for c in CHANNELS]
        # (towns, channels) scope, the towns' overrides over the channels' defaults
        self.scope = np.array(
            [
                [t.outside_scope.get(c, ch.scope) for c, ch in zip(CHANNELS, channels, strict=True)]
                for t in world.scenario.towns
            ],
            float,
        ).reshape(world.n_towns, len(CHANNELS))
        self.premium = np.array([ch.premium for ch in channels])
        # (channels, lists) years to get each list's item in the channel (inf: not there)
        self.years = np.array(
            [
                [
                    np.inf if getattr(ch, f"{lst}_years") is None else getattr(ch, f"{lst}_years")
                    for lst in LISTS
                ]
                for ch in channels
            ]
        )
        self.discount = world.scenario.distribution.discount_rate
        inst = world.scenario.institutions
        union_on = inst.enabled and inst.union_goods.enabled
        self.union_share = inst.union_goods.coupon_share if union_on else 0.0
        self.own_goods = own_goods(world)
        self.update(world, 0)

    def step(self, world: World, day: int) -> None:
        if world.calendar.month_start[day]:
            self.update(world, day)

    def update(self, world: World, day: int) -> None:
        """This month's outside access per town and every worker's coupons."""
        eco = world.economy
        state_scope = world.town_market_access
        if eco.prices_free:
            state_scope = np.maximum(state_scope, self.p.liberalised_scope)
        leaked = self._coupons(world, day)
        scope = self.scope.copy()
        scope[:, 0] = np.minimum(scope[:, 0] + eco.market_opening, 1.0)
        if self.p.coupons.black_market:
            scope[:, SHADOW] = np.minimum(scope[:, SHADOW] + self._resold(world, leaked), 1.0)
        premium = np.maximum((1 + self.premium) / eco.price_index - 1, 0.0)
        # the state shops first (no premium), then the channels from the cheapest
        scopes = [state_scope, *(scope[:, c] for c in np.argsort(premium, kind="stable"))]
        costs = [0.0, *np.sort(premium, kind="stable")]
        remaining = np.ones(world.n_towns)
        access = np.zeros(world.n_towns)
        for s, cost in zip(scopes, costs, strict=True):
            take = remaining * s
            access += take / (1 + cost)
            remaining -= take
        world.towns.goods_access[:] = access
        value = np.exp(-self.discount * self.years) / (1 + premium)[:, None]
        world.towns.market_alt[:] = ((scope > 0)[:, :, None] * value[None]).max(axis=1)

    def _resold(self, world: World, leaked: np.ndarray) -> np.ndarray:
        """Per town: the leaked coupons' rubles over the rubles of goods in kind its
        enterprises hand out a month (their own goods at their funding, and every coupon)."""
        w, value = world.workers, self.p.coupons.value
        emp = world.employed()
        ent = w.enterprise[: w.n][emp]
        goods = self.own_goods[ent] * world.enterprises.funding[ent] + w.coupons[: w.n][emp]
        handed_out = group_sum(world.ent_town[ent], goods, world.n_towns)
        resold = group_sum(world.ent_town, leaked * value, world.n_towns)
        return resold / np.maximum(handed_out, 1e-9)

    def _coupons(self, world: World, day: int) -> np.ndarray:
        """Hand out this month's coupons; returns the leaked units per enterprise."""
        w, c = world.workers, self.p.coupons
        n_ent = world.n_enterprises
        w.coupons[: w.n] = 0.0
        if not c.enabled or c.per_worker == 0:
            return np.zeros(n_ent, np.int64)
        emp = np.flatnonzero(world.employed())
        ids = emp[np.argsort(w.enterprise[emp], kind="stable")]
        ent = w.enterprise[ids].astype(np.int64)
        month = int(world.calendar.month_index[day])
        units = stochastic_round(
            np.bincount(ent, minlength=n_ent) * c.per_worker,
            world.streams.group_uniform("coupons", month, n_ent),
        )
        connected = world.streams.uniform("connected", 0, w.key[ids]) < c.connected_share
        need = 1.0 + w.married[ids] + w.children[ids]
        got = np.zeros(len(ids))
        # the union's share goes to its members only (none where it has none)
        members = union_members(world)[ids] if self.union_share else np.ones(len(ids), bool)
        has_members = np.bincount(ent[members], minlength=n_ent) > 0
        union = stochastic_round(
            units * self.union_share * has_members,
            world.streams.group_uniform("coupons/union", month, n_ent),
        )
        leaked_total = np.zeros(n_ent, np.int64)
        for pool, eligible, stream in (
            (units - union, np.ones(len(ids), bool), "coupons"),
            (union, members, "coupons/union"),
        ):
            if not pool.any():
                continue
            insiders = connected & eligible
            anyone = np.bincount(ent[insiders], minlength=n_ent) > 0
            leaked = stochastic_round(
                pool * c.leakage * anyone,
                world.streams.group_uniform(f"{stream}/leak", month, n_ent),
            )
            got += _draw(world, month, f"{stream}/need", ent, need * eligible, pool - leaked)
            got += _draw(world, month, f"{stream}/connected", ent, insiders * 1.0, leaked)
            leaked_total += leaked
        w.coupons[ids] = got * c.value
        return leaked_total


def _draw(
    world: World, month: int, stream: str, ent: np.ndarray, weight: np.ndarray, units: np.ndarray
) -> np.ndarray:
    """Hand each enterprise's ``units`` to its workers (``ent`` sorted), each unit to one drawn
    with chance in proportion to ``weight``; returns the units each worker got."""
    cum = np.cumsum(weight)
    first = np.searchsorted(ent, np.arange(world.n_enterprises))
    last = np.searchsorted(ent, np.arange(world.n_enterprises), side="right")
    before = np.concatenate([[0.0], cum])
    lo, total = before[first], before[last] - before[first]
    unit_ent = np.repeat(np.arange(world.n_enterprises), units)
    ordinal = np.arange(len(unit_ent)) - np.repeat(np.cumsum(units) - units, units)
    u = world.streams.uniform(stream, month, keys_for(world.ent_key[unit_ent], ordinal))
    target = np.searchsorted(cum, lo[unit_ent] + u * total[unit_ent], side="right")
    target = np.minimum(target, last[unit_ent] - 1)
    return np.bincount(target, minlength=len(ent)).astype(float)
