"""Spread: strike committees linking towns.

Inside an enterprise and a town, strikes spread through what workers see (the shop, enterprise,
town and region shares in collective_action). Across towns they spread through strike
committees: a committee forms in a town once ``committee_share`` of its workers are out, and
sends a signal along the weighted town-to-town links (same-region links, cross-region links,
and any explicit links). A town receives the link-weighted average of the strike shares of the
towns with committees, scaled by their means of communication (``communication``: fax
machines, duplicators, typewriters), and adds it to the town share its workers see the next
day. The more linked towns are out, the stronger the pull. With spread switched off, workers
see only their brigade and shop.
"""

from __future__ import annotations

import numpy as np

from mutualdep.shared_state import enterprise_counts, group_sum, log_event
from mutualdep.world import World


class Spread:
    name = "spread"
    reads = (
        "shops.striking",
        "shops.workers",
    )
    writes = ("towns.signal",)

    def __init__(self, world: World):
        self.p = world.scenario.spread
        self.committee = np.zeros(world.n_towns, bool)
        total = world.town_links.sum(axis=1, keepdims=True)
        self.links = np.divide(
            world.town_links, total, out=np.zeros_like(world.town_links), where=total > 0
        )

    def town_share(self, world: World) -> np.ndarray:
        ent_out, ent_all = enterprise_counts(world)
        out = group_sum(world.ent_town, ent_out, world.n_towns)
        return out / np.maximum(group_sum(world.ent_town, ent_all, world.n_towns), 1)

    def step(self, world: World, day: int) -> None:
        if not world.shops.striking.any() and not self.committee.any():
            world.towns.signal[:] = 0.0
            return
        share = self.town_share(world)
        formed = (share >= self.p.committee_share) & ~self.committee
        dissolved = (share == 0) & self.committee
        for t in np.flatnonzero(formed):
            log_event(
                world, "committee_formed", detail=f"{world.town_names[t]}: {share[t]:.0%} out"
            )
        for t in np.flatnonzero(dissolved):
            log_event(world, "committee_dissolved", detail=world.town_names[t])
        self.committee = (self.committee | formed) & ~dissolved
        signal = self.p.communication * (self.links @ (self.committee * share))
        world.towns.signal = np.minimum(signal, 1.0)
