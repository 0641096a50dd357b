"""The state's response: concede, ignore or repress, chosen from the regime's own expectation.

Once a region has been on strike for ``min_days``, the regime takes it up on a given day with
chance answer_rate x pressure (pressure: the region's share of workers out over
``full_share``, at most 1) and chooses what costs it least, in units of a region at full
pressure:

    ignore   pressure (the strike goes on)
    concede  concession_cost (a protocol of economic demands)
    repress  q x repression_cost x openness + (1 - q) x failure_cost

where q is the regime's own expectation that a crackdown succeeds (``crackdown_belief`` at
the start). The crackdown itself succeeds with chance 1 - ``army_reluctance`` (soldiers had
seen those who fired on crowds become pariahs). Each crackdown moves the regime's q towards
its outcome by ``learning``; a failed one costs it: soldiers refuse, strikers take heart, and
the regime signs a protocol after all.

A protocol is an offer, not an end. It raises pay in the region's struck industries
(``win_raise``) and stands while the region is out; every day each striking enterprise's
strikers weigh it: a striker is for it when what it gives him (win_raise x his pay at work over
``offer_months``) plus what he has lost so far (his pay for the days his enterprise has been
out, less the strike fund) covers what he can still hope to win by holding out: (grievance +
shock) x ``holdout_value``, times (the region's share out now / at the signing)^success_curve, since
his chance of winning more falls as the region goes back; or when his losses have used up his
savings and he cannot hold out any longer. An
enterprise goes back when ``accept_share`` of its strikers are for it: its grievance is
relieved, its strikers return, it holds a truce for ``truce_days`` and management acts on
its won strike; the others hold out until their own balance tips. No enterprise settles
because another did.

A successful crackdown ends the region's strike: initiators and ``arrest_share`` of the
other strikers are arrested and held for ``arrest_days`` (then they seek work),
``dismissal_share`` of the rest dismissed (both leave their enterprise), everyone else is
forced back; belief that strikes win falls in the region and anger rises. Outcomes change
belief, which persists from year to year: what happened in 1989
shapes 1991.
"""

from __future__ import annotations

import numpy as np

from mutualdep.shared_state import (
    enterprise_counts,
    expected_pay,
    group_sum,
    log_event,
    stop_striking,
)
from mutualdep.world import ARRESTED, FIRED, World
from mutualdep.world_state import ExitRequest, Outcome


class State:
    name = "state"
    reads = (
        "economy.crackdown_belief",
        "economy.openness",
        "economy.price_index",
        "economy.strike_fund",
        "enterprises.shock",
        "enterprises.strike_peak",
        "enterprises.wage_factor",
        "regions.belief",
        "regions.pay_raise",
        "shops.striking",
        "shops.workers",
    )
    writes = (
        "brigades.striking",
        "economy.crackdown_belief",
        "enterprises.settled",
        "enterprises.shock",
        "enterprises.truce_until",
        "messages.exit_requests",
        "messages.outcomes",
        "regions.belief",
        "regions.pay_raise",
        "shops.striking",
        "workers.held_until",
        "workers.striking",
    )

    def __init__(self, world: World):
        self.p = world.scenario.state
        self.success_curve = world.scenario.collective_action.success_curve
        self.since = np.full(world.n_regions, -1, np.int64)
        self.offer = np.zeros(world.n_regions, bool)  # a protocol stands in the region
        self.signed_share = np.ones(world.n_regions)  # share of the region out at the signing
        self.ent_since = np.full(world.n_enterprises, -1, np.int64)  # first day out
        self.held_out = np.zeros(world.n_enterprises, bool)  # rejected the standing protocol

    def step(self, world: World, day: int) -> None:
        p = self.p
        ent_out, ent_all = enterprise_counts(world)
        out = ent_out > 0
        self.ent_since = np.where(out, np.where(self.ent_since < 0, day, self.ent_since), -1)
        if not out.any():
            self.since[:] = -1
            self.offer[:] = False
            self.held_out[:] = False
            return
        reg_out = group_sum(world.ent_region, ent_out, world.n_regions)
        reg_all = group_sum(world.ent_region, ent_all, world.n_regions)
        self.since = np.where(reg_out > 0, np.where(self.since < 0, day, self.since), -1)
        self.offer &= reg_out > 0
        self.held_out &= out & self.offer[world.ent_region]
        pressure = np.minimum(reg_out / np.maximum(reg_all, 1) / p.full_share, 1.0)
        ready = (reg_out > 0) & (day - self.since >= p.min_days) & ~self.offer
        u = world.streams.group_uniform("state", day, world.n_regions)
        for r in np.flatnonzero(ready & (u < p.answer_rate * pressure)):
            self._answer(world, day, int(r), float(pressure[r]), ent_out, ent_all)
        if self.offer.any():
            self._votes(world, day, ent_out, ent_all, reg_out / np.maximum(reg_all, 1))

    # ------------------------------------------------------------------ the regime's choice

    def costs(self, world: World, pressure: float) -> dict[str, float]:
        """What each answer is expected to cost the regime (units: a region at full pressure)."""
        p = self.p
        q = world.economy.crackdown_belief
        return {
            "ignore": pressure,
            "concede": p.concession_cost,
            "repress": q * p.repression_cost * world.economy.openness + (1 - q) * p.failure_cost,
        }

    def _answer(self, world: World, day: int, r: int, pressure: float, ent_out, ent_all) -> None:
        costs = self.costs(world, pressure)
        choice = min(costs, key=costs.get)  # ties: ignore, then concede
        name = world.region_names[r]
        out = int(ent_out[world.ent_region == r].sum()) * world.scale
        if choice == "ignore":
            log_event(world, "ignored", detail=f"{name}: {out} out, the regime waits")
        elif choice == "concede":
            self._concede(world, r, f"{name}: protocol signed with {out} out")
        else:
            self._crackdown(world, day, r, ent_out, ent_all)

    def _concede(self, world: World, r: int, detail: str) -> None:
        p, belief = self.p, world.regions.belief
        ent_out, ent_all = enterprise_counts(world)
        here = world.ent_region == r
        struck = np.unique(world.ent_industry[here & (ent_out > 0)])
        self.signed_share[r] = max(ent_out[here].sum(), 1.0) / max(ent_all[here].sum(), 1.0)
        world.regions.pay_raise[r, struck] *= 1 + p.win_raise
        belief += p.learning * 0.5 * (1 - belief)
        belief[r] += p.learning * 0.5 * (1 - belief[r])
        self.offer[r] = True
        log_event(world, "concession", detail=detail)

    def _crackdown(self, world: World, day: int, r: int, ent_out, ent_all) -> None:
        p, belief, ents_table = self.p, world.regions.belief, world.enterprises
        name = world.region_names[r]
        q = world.economy.crackdown_belief
        won = world.streams.group_uniform("crackdown", day, world.n_regions)[r] < (
            1 - p.army_reluctance
        )
        world.economy.crackdown_belief = q + p.learning * (float(won) - q)
        if not won:
            belief += p.learning * 0.5 * (1 - belief)
            log_event(world, "crackdown_failed", detail=f"{name}: soldiers refuse to fire")
            self._concede(world, r, f"{name}: protocol signed after a failed crackdown")
            return
        ents = np.flatnonzero((world.ent_region == r) & (ent_out > 0))
        self._arrest_and_dismiss(world, day, ents)
        peak = self._peak(world, ents, ent_out, ent_all)
        end_strikes(world, ents)
        ents_table.truce_until[ents] = day + p.truce_days
        ents_table.shock[ents] += p.win_relief
        belief[r] *= 1 - p.learning
        log_event(
            world,
            "repression",
            detail=f"{name}: {int(ent_out[ents].sum()) * world.scale} forced back",
        )
        for e, share in zip(ents, peak, strict=True):
            log_event(world, "strike_end", e, detail=f"repressed: peak {share:.0%}")
            world.messages.outcomes.append(Outcome(int(e), "repressed", float(share)))

    def _arrest_and_dismiss(self, world: World, day: int, ents: np.ndarray) -> None:
        """Arrest initiators and ``arrest_share`` of strikers, held for ``arrest_days``; dismiss
        ``dismissal_share`` of the rest. Both leave through labour_market's exit requests."""
        w, p = world.workers, self.p
        mask = np.zeros(world.n_enterprises, bool)
        mask[ents] = True
        strikers = np.flatnonzero(w.striking[: w.n] & mask[w.enterprise[: w.n]])
        arrested = w.initiator[strikers] | (
            world.streams.uniform("arrest", day, w.key[strikers]) < p.arrest_share
        )
        rest = strikers[~arrested]
        dismissed = rest[world.streams.uniform("dismiss", day, w.key[rest]) < p.dismissal_share]
        arrested = strikers[arrested]
        w.held_until[arrested] = day + p.arrest_days
        world.messages.exit_requests.append(ExitRequest(arrested, ARRESTED))
        world.messages.exit_requests.append(ExitRequest(dismissed, FIRED))
        for kind, ids in (("arrests", arrested), ("dismissals", dismissed)):
            counts = np.bincount(w.enterprise[ids], minlength=world.n_enterprises)
            for e in np.flatnonzero(counts):
                log_event(world, kind, e, detail=f"{counts[e] * world.scale} strikers")

    # ------------------------------------------------------------------ enterprise by enterprise

    def _votes(self, world: World, day: int, ent_out, ent_all, reg_share) -> None:
        """Each striking enterprise of a region with a standing protocol weighs it."""
        w, p, ents_table = world.workers, self.p, world.enterprises
        n = w.n
        voting = (ent_out > 0) & self.offer[world.ent_region]
        strikers = np.flatnonzero(w.striking[:n] & voting[w.enterprise[:n]])
        ent = w.enterprise[strikers]
        wage = expected_pay(world, strikers)  # his pay at work, not the strike month's
        offer = p.win_raise * wage * p.offer_months
        lost = (day - self.ent_since[ent] + 1) * wage / 30.0 * (1 - world.economy.strike_fund)
        # what holding out can still win shrinks as the region goes back
        prospect = np.minimum(reg_share / self.signed_share, 1.0) ** self.success_curve
        hope = (w.grievance[strikers] + ents_table.shock[ent]) * p.holdout_value
        hope *= prospect[world.ent_region[ent]]
        n_ent = world.n_enterprises
        broke = lost >= w.savings[strikers]  # he cannot hold out any longer
        share_for = np.bincount(
            ent, weights=(offer + lost >= hope) | broke, minlength=n_ent
        ) / np.maximum(np.bincount(ent, minlength=n_ent), 1)
        accept = voting & (share_for >= p.accept_share)
        for e in np.flatnonzero(voting & ~accept & ~self.held_out):
            log_event(
                world,
                "holdout",
                e,
                detail=f"rejects the protocol: {share_for[e]:.0%} of its strikers for it",
            )
        self.held_out |= voting & ~accept
        ents = np.flatnonzero(accept)
        if not len(ents):
            return
        peak = self._peak(world, ents, ent_out, ent_all)
        end_strikes(world, ents)
        ents_table.truce_until[ents] = day + p.truce_days
        ents_table.shock[ents] -= p.win_relief
        for e, share in zip(ents, peak, strict=True):
            after = (
                f" after holding out {day - self.ent_since[e] + 1} days" if self.held_out[e] else ""
            )
            log_event(
                world,
                "strike_end",
                e,
                detail=f"won: accepts the protocol{after}, {share_for[e]:.0%} for; "
                f"peak {share:.0%}",
            )
            world.messages.outcomes.append(Outcome(int(e), "won", float(share)))
        self.held_out[ents] = False

    @staticmethod
    def _peak(world: World, ents: np.ndarray, ent_out, ent_all) -> np.ndarray:
        return np.maximum(world.enterprises.strike_peak[ents], ent_out[ents]) / np.maximum(
            ent_all[ents], 1
        )


def end_strikes(world: World, enterprises: np.ndarray) -> None:
    """Send every striker of these enterprises back to work; they are 'settled', not collapsed."""
    w = world.workers
    mask = np.zeros(world.n_enterprises, bool)
    mask[enterprises] = True
    stop_striking(world, np.flatnonzero(w.striking[: w.n] & mask[w.enterprise[: w.n]]))
    world.enterprises.settled[mask] = True
