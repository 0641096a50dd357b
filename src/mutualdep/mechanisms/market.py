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
prices, so a good to be had there keeps that share of its value, one not to be had
none. What he would not lose is ``towns.goods_access``: the share of the
enterprise's goods that is not at stake. A channel that sells flats, cars, holidays or day care
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
month) are part of the goods in kind he would lose by leaving (see distribution).
"""

from __future__ import annotations

import numpy as np

from mutualdep.random import keys_for, stochastic_round
from mutualdep.scenario import LISTS
from mutualdep.world import World

CHANNELS = ("cooperatives", "shadow", "private_plots")


class Market:
    name = "market"
    reads = (
        "economy.market_opening",
        "economy.price_index",
        "economy.prices_free",
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
        scope = self.scope.copy()
        scope[:, 0] = np.minimum(scope[:, 0] + eco.market_opening, 1.0)
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
        self._coupons(world, day)

    def _coupons(self, world: World, day: int) -> None:
        w, c = world.workers, self.p.coupons
        w.coupons[: w.n] = 0.0
        if c.per_worker == 0:
            return
        emp = np.flatnonzero(world.employed())
        ids = emp[np.argsort(w.enterprise[emp], kind="stable")]
        ent = w.enterprise[ids].astype(np.int64)
        n_ent = world.n_enterprises
        month = int(world.calendar.month_index[day])
        units = stochastic_round(
            np.bincount(ent, minlength=n_ent) * c.per_worker,
            world.streams.group_uniform("coupons", month, n_ent),
        )
        connected = world.streams.uniform("connected", 0, w.key[ids]) < c.connected_share
        anyone = np.bincount(ent[connected], minlength=n_ent) > 0
        leaked = stochastic_round(
            units * c.leakage * anyone, world.streams.group_uniform("coupons/leak", month, n_ent)
        )
        need = 1.0 + w.married[ids] + w.children[ids]
        got = _draw(world, month, "coupons/need", ent, need, units - leaked)
        got += _draw(world, month, "coupons/connected", ent, connected.astype(float), leaked)
        w.coupons[ids] = got * c.value


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
