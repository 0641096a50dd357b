"""Spread: strike committees linking towns, with the reach their means of communication give.

Inside an enterprise and a town, strikes spread through what workers see (the shop, enterprise,
town and region shares in collective_action). Across towns they spread through strike
committees: a committee forms in a town once ``committee_share`` of its workers are out, and
sends a signal along the weighted town-to-town links (same-region links, cross-region links,
and any explicit links). A town receives the link-weighted average of the strike shares of the
towns with committees, scaled by ``communication`` and by each sender's reach, and adds it to
the town share its workers see the next day. The more linked towns are out, the stronger the pull.
The same links carry the news of each industry apart (``towns.industry_news``: the
link-weighted shares out of each industry in the committees' towns, by the same reach and
``communication``): a miner who hears that the mines of the next basin are out expects his own
mine to come out too, which is what collective_action reads, by ``industry_news``, into the
share of his enterprise he expects out (q).

A committee's reach is the share of its linked towns its means of communication let it keep
in touch with: it starts with means for ``means_start`` towns (a typewriter and a telephone)
and gains ``means_growth`` towns a day while it sits (duplicators, fax machines); a town keeps
its means when the committee dissolves, so a later wave starts better equipped.

A committee may also let a striking enterprise keep working for local needs: where its
industry supplies another enterprise of the same town (coal for the town's metallurgical
plant), the day the enterprise is first out under a committee it is blessed with chance
``local_needs_chance``; then ``local_needs_share`` of its strikers keep producing (production
counts them at work) while the strike lasts. With spread switched off, workers see only their
brigade and shop.
"""

from __future__ import annotations

import numpy as np

from mutualdep.shared_state import enterprise_counts, log_event, place_shares
from mutualdep.world import World


class Spread:
    name = "spread"
    reads = (
        "shops.striking",
        "shops.workers",
    )
    writes = ("enterprises.local_work", "towns.industry_news", "towns.signal")

    def __init__(self, world: World):
        self.p = world.scenario.spread
        self.committee = np.zeros(world.n_towns, bool)
        total = world.town_links.sum(axis=1, keepdims=True)
        self.links = np.divide(
            world.town_links, total, out=np.zeros_like(world.town_links), where=total > 0
        )
        self.linked = np.maximum((world.town_links > 0).sum(axis=0), 1)  # towns each one reaches
        self.means = np.full(world.n_towns, self.p.means_start, float)
        self.supplier = self._local_suppliers(world)
        self.out_before = np.zeros(world.n_enterprises, bool)

    @staticmethod
    def _local_suppliers(world: World) -> np.ndarray:
        """Enterprises whose industry feeds another enterprise of their own town."""
        ind = world.industry_params
        input_of = np.array(
            [world.industry_names.index(i.input_industry) if i.input_industry else -1 for i in ind]
        )
        consumer_input = input_of[world.ent_industry]
        key = world.ent_town.astype(np.int64) * len(ind) + np.maximum(consumer_input, 0)
        wanted = np.zeros(world.n_towns * len(ind), bool)
        wanted[key[consumer_input >= 0]] = True
        return wanted[world.ent_town.astype(np.int64) * len(ind) + world.ent_industry]

    def reach(self) -> np.ndarray:
        """Share of its linked towns each town's committee can keep in touch with."""
        return np.minimum(self.means / self.linked, 1.0)

    def step(self, world: World, day: int) -> None:
        if not world.shops.striking.any() and not self.committee.any():
            world.towns.signal[:] = 0.0
            world.towns.industry_news[:] = 0.0
            world.enterprises.local_work[:] = 0.0
            self.out_before[:] = False
            return
        ent_out, ent_all = enterprise_counts(world)
        share, industry_share = place_shares(world, world.ent_town, world.n_towns, ent_out, ent_all)
        industry_share = industry_share.reshape(world.n_towns, -1)
        formed = (share >= self.p.committee_share) & ~self.committee
        dissolved = (share == 0) & self.committee
        reach = self.reach()
        for t in np.flatnonzero(formed):
            log_event(
                world,
                "committee_formed",
                detail=f"{world.town_names[t]}: {share[t]:.0%} out; "
                f"its means reach {reach[t]:.0%} of the linked towns",
            )
        for t in np.flatnonzero(dissolved):
            log_event(world, "committee_dissolved", detail=world.town_names[t])
        self.committee = (self.committee | formed) & ~dissolved
        sending = self.committee * reach
        signal = self.p.communication * (self.links @ (sending * share))
        world.towns.signal = np.minimum(signal, 1.0)
        news = self.p.communication * (self.links @ (sending[:, None] * industry_share))
        world.towns.industry_news = np.minimum(news, 1.0)
        self.means += self.p.means_growth * self.committee
        self._local_needs(world, day)

    def _local_needs(self, world: World, day: int) -> None:
        local = world.enterprises.local_work
        ent_out, _ = enterprise_counts(world)
        out = ent_out > 0
        newly = out & ~self.out_before & self.supplier & self.committee[world.ent_town]
        self.out_before = out
        local[~out] = 0.0
        u = world.streams.group_uniform("local_needs", day, world.n_enterprises)
        for e in np.flatnonzero(newly & (u < self.p.local_needs_chance)):
            local[e] = self.p.local_needs_share
            log_event(
                world,
                "local_needs",
                e,
                detail=f"the strike committee lets {self.p.local_needs_share:.0%} of its "
                f"strikers keep producing for {world.town_names[world.ent_town[e]]}",
            )
