"""Management's response: threats, managers' committees, placating concessions, sanctions.

While strikes are near (in the enterprise, its town, or signalled by committees) a manager
announces what participants would lose (wages, child subsidies, every privilege): the chance of
sanctions workers expect rises by ``threat`` x capacity, as far as they have seen management
carry out its threats. A manager with capacity may set up his own workers' committee that backs
the demands but rejects the strike as a method: workers expect part of the win without
striking (``committee_effect``). He may buy off a striking shop (its grievance falls for a
while).

After a failed strike (collapsed or repressed) he does what he announced, as far as he can:
initiators first, then strikers in the order they walked out, up to ``sanction_reach`` x
capacity of the workforce, lose their places on every list and their priority (exemplary status,
the privileged line), their family's day-care place, and the goods in kind for
``goods_horizon_months``; initiators are also dismissed with chance ``fire_initiators`` x
capacity. Every sanction is recorded worker by worker (``state["sanctions"]``, the sanctions
table) and read where it acts: distribution (lists, priority, goods), labour market
(dismissals), collective action (stakes). Workers of the town saw it: their expectation that
management carries out its threats moves towards certainty by ``sanction_learning``; after a won
strike, or a failure management could not punish, it moves towards none.

After a won strike with enough participation the director is removed, workers take control of
distribution (a single, published line) and a new union takes over the old one's distribution
role. Capacity grows with the size of the management, so huge plants deter better.
"""

from __future__ import annotations

import numpy as np

from mutualdep.shared_state import SANCTIONS, enterprise_counts, group_sum, log_event
from mutualdep.world import DAYCARE, EMPLOYED, FIRED, NOT_ON_LIST, World
from mutualdep.world_state import ExitRequest


class Management:
    name = "management"
    reads = (
        "enterprises.committee",
        "enterprises.enforce",
        "enterprises.removal_share",
        "enterprises.strike_start",
        "messages.outcomes",
        "shops.striking",
        "shops.workers",
        "towns.signal",
        "world.ent_capacity",
    )
    writes = (
        "enterprises.committee",
        "enterprises.director_removed",
        "enterprises.enforce",
        "enterprises.threat",
        "enterprises.thresholds_stale",
        "messages.exit_requests",
        "messages.outcomes",
        "workers.applied",
        "workers.at_risk",
        "workers.barred",
        "workers.daycare_place",
        "workers.exemplary",
        "workers.goods_cut_until",
        "workers.grievance",
        "workers.initiator",
        "workers.sanctioned",
        "world.ent_published",
        "world.ent_single_line",
    )

    def __init__(self, world: World):
        self.p = world.scenario.management

    def step(self, world: World, day: int) -> None:
        p = self.p
        outcomes, world.messages.outcomes = world.messages.outcomes, []
        members = workers_of(world, [e for e, _, _ in outcomes]) if outcomes else {}
        for e, kind, share in outcomes:
            if kind == "won":
                self._after_win(world, e, share, members[e])
            else:
                self._after_failure(world, day, e, kind, members[e])
        shop_out = world.shops.striking
        if not shop_out.any() and not world.towns.signal.any():
            world.enterprises.threat[:] = 0.0
            world.enterprises.committee[:] = 0.0
            return
        n_ent = world.n_enterprises
        ent_out, ent_all = enterprise_counts(world)
        town_out = group_sum(world.ent_town, ent_out, world.n_towns)
        alarm = (
            (ent_out > 0)
            | (town_out[world.ent_town] > 0)
            | (world.towns.signal[world.ent_town] > 0)
        )
        cap = world.ent_capacity
        world.enterprises.threat = np.where(alarm, p.threat * cap, 0.0)

        u = world.streams.group_uniform("committee", day, n_ent)
        quiet_here = ent_out < 0.05 * ent_all
        form = (
            alarm & quiet_here & (world.enterprises.committee == 0) & (u < p.committee_rate * cap)
        )
        for e in np.flatnonzero(form):
            log_event(
                world,
                "committee_resolution",
                e,
                detail="managers' workers' committee: supports the demands, "
                "rejects the strike as a method",
            )
        world.enterprises.committee = np.where(
            form, p.committee_effect, np.where(alarm, world.enterprises.committee, 0.0)
        )

        striking_shops = np.flatnonzero(shop_out > 0)
        if len(striking_shops):
            u_shop = world.streams.group_uniform("placate", day, world.n_shops)[striking_shops]
            placate = striking_shops[
                u_shop < p.placate_rate * cap[world.shop_enterprise[striking_shops]]
            ]
            for sid in placate:
                log_event(
                    world,
                    "shop_concession",
                    world.shop_enterprise[sid],
                    sid,
                    "bonus and goods for the shop",
                )
            if len(placate):
                w = world.workers
                placated = np.zeros(world.n_shops, bool)
                placated[placate] = True
                members = placated[w.shop[: w.n]]
                w.grievance[: w.n][members] *= np.float32(1 - p.placate_effect)
                world.enterprises.thresholds_stale[world.shop_enterprise[placate]] = True

    def _after_failure(self, world: World, day: int, e: int, kind: str, ids: np.ndarray) -> None:
        """Carry out the announced sanctions, initiators and early strikers first.

        ``ids``: the enterprise's workers (any status), ascending (``workers_of``)."""
        w, p = world.workers, self.p
        d = world.scenario.distribution
        in_ent = ids[w.status[ids] == EMPLOYED]
        start = world.enterprises.strike_start[e]
        struck = in_ent[(w.walked_out[in_ent] >= start) & (w.walked_out[in_ent] >= 0)]
        order = np.lexsort((w.key[struck], w.walked_out[struck], ~w.initiator[struck]))
        cap = world.ent_capacity[e]
        reach = int(np.floor(p.sanction_reach * cap * len(in_ent) + 0.5))
        hit = struck[order][:reach]
        initiators = hit[w.initiator[hit]]
        u = world.streams.uniform("fire_initiator", day, w.key[initiators])
        fired = initiators[u < p.fire_initiators * cap]
        if len(fired):
            world.messages.exit_requests.append(ExitRequest(fired, FIRED))
        kept = hit[~np.isin(hit, fired)]
        table = world.records.sanctions

        def record(who: np.ndarray, what: str) -> None:
            row = (day, SANCTIONS.index(what), e, who.copy(), w.shop[who], w.occupation[who])
            table.append((*row, w.initiator[who]))

        record(fired, "dismissed")
        if not d.portable_places:
            on_list = w.applied[:, kept] != NOT_ON_LIST
            w.applied[:, kept] = np.where(on_list, day, NOT_ON_LIST)
            record(kept, "places_lost")
        privileged = world.ent_privileged[e, w.occupation[kept]] & ~w.barred[kept]
        favoured = kept[w.exemplary[kept] | privileged]
        w.exemplary[kept] = False
        w.barred[kept] = True
        record(favoured, "priority_lost")
        daycare = kept[w.daycare_place[kept]]
        w.daycare_place[daycare] = False
        w.applied[DAYCARE, daycare] = day
        record(daycare, "daycare_lost")
        w.goods_cut_until[kept] = day + int(round(d.goods_horizon_months * 30))
        record(kept, "goods_withdrawn")
        w.sanctioned[hit] = True
        w.initiator[in_ent] = False
        w.at_risk[kept] = 0.0  # nothing left to take until his stake is valued again
        world.enterprises.thresholds_stale[e] = True
        self._learn(world, e, carried_out=len(hit) > 0)
        log_event(
            world,
            "reprisals",
            e,
            detail=f"after {kind} strike: {len(fired) * world.scale} fired, "
            f"{len(kept) * world.scale} lose their places, priority and goods",
        )

    def _learn(self, world: World, e: int, carried_out: bool) -> None:
        """Workers of the town saw what management did after a strike ended."""
        rate = world.scenario.collective_action.sanction_learning
        town = world.ent_town == world.ent_town[e]
        target = 1.0 if carried_out else 0.0
        enforce = world.enterprises.enforce
        enforce[town] += rate * (target - enforce[town])

    def _after_win(self, world: World, e: int, share: float, ids: np.ndarray) -> None:
        world.workers.initiator[ids] = False
        self._learn(world, e, carried_out=False)
        if share >= world.enterprises.removal_share[e]:  # more for a director in office
            world.enterprises.director_removed[e] = world.day
            world.ent_single_line[e] = True
            world.ent_published[e] = True
            log_event(
                world,
                "director_removed",
                e,
                detail=f"{share:.0%} struck; workers' control of distribution",
            )
            log_event(
                world,
                "new_union",
                e,
                detail="the new union takes over distribution from the old one",
            )


def workers_of(world: World, enterprises: list[int]) -> dict[int, np.ndarray]:
    """Ids of every worker (any status) of each of these enterprises, ascending; one pass over
    the worker table however many enterprises."""
    w = world.workers
    mask = np.zeros(world.n_enterprises, bool)
    mask[enterprises] = True
    ids = np.flatnonzero(mask[w.enterprise[: w.n]])
    ent = w.enterprise[ids]
    order = np.argsort(ent, kind="stable")
    ids, ent = ids[order], ent[order]
    wanted = np.unique(np.asarray(enterprises, np.int64))
    lo, hi = np.searchsorted(ent, wanted, side="left"), np.searchsorted(ent, wanted, side="right")
    return {int(e): ids[a:b] for e, a, b in zip(wanted, lo, hi, strict=True)}
