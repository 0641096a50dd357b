"""The state's response: concede, ignore or repress.

Each day a region has been on strike for at least ``min_days``, the regime answers with a
keyed draw. Pressure is the region's share of workers out relative to ``full_share``. It signs
a protocol of economic demands with chance openness x concede_rate x pressure, or represses
with chance repress_rate x (1 - army_reluctance) x (1 - openness) x pressure, else it waits.
Either way strikers go back and a truce holds the region for ``truce_days``. A protocol raises
pay in the struck industries of the region (``win_raise``), relieves their grievance for a
while, and raises everyone's belief that strikes win (most in the region itself); repression
lowers it and angers. The outcome goes to management, which acts on it the next day.
"""

from __future__ import annotations

import numpy as np

from mutualdep.shared_state import enterprise_counts, group_sum, log_event, stop_striking
from mutualdep.world import World
from mutualdep.world_state import Outcome


class State:
    name = "state"
    reads = (
        "economy.openness",
        "enterprises.strike_peak",
        "regions.belief",
        "shops.workers",
        "towns.signal",
    )
    writes = (
        "brigades.striking",
        "enterprises.settled",
        "enterprises.shock",
        "messages.outcomes",
        "regions.belief",
        "regions.pay_raise",
        "regions.truce_until",
        "shops.striking",
        "towns.signal",
        "workers.striking",
    )

    def __init__(self, world: World):
        self.p = world.scenario.state
        self.since = np.full(world.n_regions, -1, np.int64)

    def step(self, world: World, day: int) -> None:
        p = self.p
        shop_out = world.shops.striking
        if not shop_out.any():
            self.since[:] = -1
            return
        ent_out, ent_all = enterprise_counts(world)
        reg_out = group_sum(world.ent_region, ent_out, world.n_regions)
        reg_all = group_sum(world.ent_region, ent_all, world.n_regions)
        self.since = np.where(reg_out > 0, np.where(self.since < 0, day, self.since), -1)
        pressure = np.minimum(reg_out / np.maximum(reg_all, 1) / p.full_share, 1.0)
        ready = (reg_out > 0) & (day - self.since >= p.min_days)
        u = world.streams.group_uniform("state", day, world.n_regions)
        p_concede = world.economy.openness * p.concede_rate * pressure
        p_repress = (
            p.repress_rate * (1 - p.army_reluctance) * (1 - world.economy.openness) * pressure
        )
        for r in np.flatnonzero(ready):
            if u[r] < p_concede[r]:
                self._settle(world, day, r, ent_out, ent_all, won=True)
            elif u[r] < p_concede[r] + p_repress[r]:
                self._settle(world, day, r, ent_out, ent_all, won=False)

    def _settle(self, world: World, day: int, region: int, ent_out, ent_all, won: bool) -> None:
        p = self.p
        ents = np.flatnonzero((world.ent_region == region) & (ent_out > 0))
        peak = np.maximum(world.enterprises.strike_peak[ents], ent_out[ents])
        peak = peak / np.maximum(ent_all[ents], 1)
        end_strikes(world, ents)
        world.regions.truce_until[region] = day + p.truce_days
        in_region = world.ent_region == region
        industries = np.unique(world.ent_industry[ents])
        struck_industries = in_region & np.isin(world.ent_industry, industries)
        name = world.region_names[region]
        if won:
            world.regions.pay_raise[region, industries] *= 1 + p.win_raise
            world.enterprises.shock[struck_industries] -= p.win_relief
            world.regions.belief += p.learning * 0.5 * (1 - world.regions.belief)
            world.regions.belief[region] += p.learning * 0.5 * (1 - world.regions.belief[region])
            log_event(
                world,
                "concession",
                detail=f"{name}: protocol signed with {int(ent_out[ents].sum()) * world.scale} out",
            )
        else:
            world.enterprises.shock[struck_industries] += p.win_relief
            world.regions.belief[region] *= 1 - p.learning
            log_event(
                world,
                "repression",
                detail=f"{name}: {int(ent_out[ents].sum()) * world.scale} forced back",
            )
        for e, share in zip(ents, peak, strict=True):
            log_event(
                world,
                "strike_end",
                e,
                detail=("won" if won else "repressed") + f": peak {share:.0%}",
            )
            kind = "won" if won else "repressed"
            world.messages.outcomes.append(Outcome(int(e), kind, float(share)))
        world.towns.signal[np.isin(np.arange(world.n_towns), world.ent_town[in_region])] = 0.0
        self.since[region] = -1


def end_strikes(world: World, enterprises: np.ndarray) -> None:
    """Send every striker of these enterprises back to work; they are 'settled', not collapsed."""
    w = world.workers
    mask = np.zeros(world.n_enterprises, bool)
    mask[enterprises] = True
    stop_striking(world, np.flatnonzero(w.striking[: w.n] & mask[w.enterprise[: w.n]]))
    world.enterprises.settled[mask] = True
