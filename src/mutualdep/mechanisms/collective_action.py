"""The decision to strike.

A worker weighs what a successful strike would win against what a failed one would cost him:

    benefit B = (grievance + enterprise shock) x win_value
                x (1 - what a managers' committee promised)
    cost    C = lost pay (expected_days of pay, less the strike fund, cushioned by savings)
              + sanction chance (base + management's threat) x his in-kind stake
    private cost rho = personal cost of acting (lognormal) x (1 - trust_effect x team trust)

The chance of success he expects is belief(region) x x^a (a = ``success_curve``; below 1 the
first strikers count most: a mine stops once its face crews stop), where x is the
participation he sees: the largest of team trust x share of his brigade out, and the shares
out in his shop, his enterprise, his town (plus the strike committees' signal) and his region,
each weighted by the spread parameters; in town and region his own industry's share counts by
``industry_affinity`` (a miners' protocol does little for a teacher). He joins when
P(success) B - (1 - P(success)) C >= rho, that is when

    x >= theta = ((C + rho) / ((B + C) x belief)) ^ (1 / a),

and a striker stays while x >= stay_factor x theta. Thresholds differ between people because
stakes, pay, savings, grievance and risk attitude do. Decisions are synchronous: everyone
compares against yesterday's participation, so a wave moves in days.

Strikes start with sparks: a dated historical incident from the scenario, or (with
``spark_rate`` > 0) a spontaneous walk-out in an aggrieved shop; one brigade's willing members
walk out as initiators, marked for management's reprisals.

Granovetter mode (``thresholds`` given): worker i joins when at least thresholds[i] others in
his shop strike, one synchronous round a day, strikers stay; this reproduces Granovetter (1978).
"""

from __future__ import annotations

import numpy as np

from mutualdep.kernels import blocks, strike_decisions
from mutualdep.shared_state import (
    enterprise_counts,
    group_mean,
    group_sum,
    log_event,
    start_striking,
    stop_striking,
)
from mutualdep.world import World
from mutualdep.world_state import Outcome


class CollectiveAction:
    name = "collective_action"
    reads = (
        "brigades.striking",
        "brigades.workers",
        "economy.strike_fund",
        "enterprises.committee",
        "enterprises.settled",
        "enterprises.shock",
        "enterprises.strike_peak",
        "enterprises.threat",
        "enterprises.thresholds_stale",
        "enterprises.truce_until",
        "regions.belief",
        "shops.striking",
        "shops.workers",
        "towns.signal",
    )
    writes = (
        "brigades.striking",
        "enterprises.settled",
        "enterprises.strike_days_month",
        "enterprises.strike_peak",
        "enterprises.thresholds_stale",
        "messages.outcomes",
        "shops.striking",
        "workers.initiator",
        "workers.pay_cost",
        "workers.striking",
        "workers.struck_days",
    )

    def __init__(self, world: World):
        s = world.scenario
        self.p = p = s.collective_action
        sp = s.spread
        on = sp.enabled
        self.weights = (sp.shop, sp.enterprise * on, sp.town * on, sp.region * on)
        self.thresholds = None if p.thresholds is None else np.array(p.thresholds, np.int64)
        b_shop = world.brigade_shop
        self.b_ent = world.shop_enterprise[b_shop]
        self.b_town = world.ent_town[self.b_ent]
        self.b_region = world.ent_region[self.b_ent]
        self.b_trust = world.industry_trust[world.ent_industry[self.b_ent]]
        self.n_ind = len(world.industry_names)
        self.b_industry = world.ent_industry[self.b_ent]
        names = world.enterprise_names
        self.sparks: dict[int, list[tuple[int, int | None, int]]] = {}
        for spark in s.sparks:
            day = world.calendar.day_of(spark.date)
            kind = None if spark.shop is None else world.shop_kinds.index(spark.shop)
            self.sparks.setdefault(day, []).append(
                (names.index(spark.enterprise), kind, spark.brigades)
            )
        self.ent_was_striking = np.zeros(world.n_enterprises, np.int64)
        self.shop_was_striking = np.zeros(world.n_shops, np.int64)
        self.shop_grievance = np.zeros(world.n_shops)
        self._forget_thresholds()
        self._monthly(world, 0)

    # ------------------------------------------------------------------ monthly stakes

    def _monthly(self, world: World, day: int) -> None:
        """Pay at risk per worker; shop grievance for spontaneous sparks."""
        w, p = world.workers, self.p
        n = w.n
        lost = p.expected_days / 30.0 * w.wage[:n]
        cushion = p.savings_cushion * np.clip(w.savings[:n] / np.maximum(lost, 1e-6), 0, 1)
        w.pay_cost[:n] = lost * (1 - world.economy.strike_fund) * (1 - cushion)
        world.enterprises.thresholds_stale[:] = (
            True  # stakes, grievance and pay at risk were all renewed
        )
        emp = world.employed()
        self.shop_grievance = group_mean(
            w.shop[:n][emp], w.grievance[:n][emp].astype(float), world.n_shops
        )

    def thresholds_of(self, world: World, idx: np.ndarray) -> np.ndarray:
        """Participation each worker needs before he acts (inf if never).

        Computed in blocks of workers, whose temporaries stay in the CPU cache.
        """
        out = np.empty(len(idx))
        for part in blocks(len(idx)):
            out[part] = self._thresholds_block(world, idx[part])
        return out

    def _thresholds_block(self, world: World, idx: np.ndarray) -> np.ndarray:
        w, p = world.workers, self.p
        ent = w.enterprise[idx].astype(np.intp)
        # Enterprise-level factors are computed per enterprise and gathered once, and the
        # per-worker arithmetic runs in place: the same operations on the same numbers as
        #   cost = pay_cost + sanction x stake,
        #   benefit = (grievance + shock) x win_value x (1 - committee),
        #   rho = risk x (1 - trust_effect x trust),  denom = (benefit + cost) x belief,
        #   needed = (cost + rho) / denom where denom > 0, else inf.
        cost = w.stake[idx] * np.minimum(p.sanction + world.enterprises.threat, 1.0)[ent]
        cost += w.pay_cost[idx]
        denom = w.grievance[idx] + world.enterprises.shock[ent]
        denom *= p.win_value
        denom *= (1 - world.enterprises.committee)[ent]
        denom += cost
        denom *= world.regions.belief[world.ent_region][ent]
        needed = cost
        needed += w.risk[idx] * (1 - p.trust_effect * world.industry_trust[world.ent_industry])[ent]
        with np.errstate(divide="ignore", invalid="ignore"):
            needed /= denom
        needed[~(denom > 0)] = np.inf
        return needed ** (1.0 / p.success_curve)

    def _enterprise_factors(self, world: World) -> np.ndarray:
        """The enterprise-level inputs of ``thresholds_of`` that change from day to day."""
        return np.stack(
            [
                world.enterprises.threat,
                world.enterprises.shock,
                world.enterprises.committee,
                world.regions.belief[world.ent_region],
            ]
        )

    def _forget_thresholds(self) -> None:
        self.theta = np.zeros(0)  # kept thresholds by worker id; see current_thresholds
        self.theta_n = 0  # ids below this have one
        self.theta_factors: np.ndarray | None = (
            None  # the enterprise factors they were computed with
        )

    def current_thresholds(self, world: World, active: np.ndarray) -> np.ndarray:
        """``thresholds_of`` for every worker id, up to date for the employed workers of the
        ``active`` enterprises (the only ones that decide today).

        A threshold changes only when its inputs do, so while strikes go on it is kept between
        days (8 bytes a worker; let go on quiet days) and recomputed for new workers and for the
        enterprises marked in ``world.enterprises.thresholds_stale``. An enterprise becomes stale
        when one of its enterprise-level inputs (threat, shock, managers' committee, belief)
        changes, which is checked here, and at every month start,
        when stakes, grievance and pay at risk are renewed. A mechanism that changes a worker's
        stake, pay_cost, grievance or risk between month starts marks his enterprise.
        """
        w = world.workers
        n = w.n
        stale = world.enterprises.thresholds_stale
        factors = self._enterprise_factors(world)
        first = self.theta_factors is None
        if first:  # nothing kept yet: every enterprise is computed as it turns active
            stale[:] = True
        else:
            stale |= (factors != self.theta_factors).any(axis=0)
        self.theta_factors = factors
        known = self.theta_n
        if len(self.theta) < w.capacity:  # sized like the worker columns, grown with them
            theta = np.full(w.capacity, np.nan)
            theta[:known] = self.theta[:known]
            self.theta = theta
        if not first and known < n:
            self.theta[known:n] = self.thresholds_of(world, np.arange(known, n))
        self.theta_n = n
        refresh = stale & active
        if refresh.any():
            idx = np.flatnonzero(np.take(refresh, w.enterprise[:n]) & world.employed())
            self.theta[idx] = self.thresholds_of(world, idx)
            stale &= ~active
        return self.theta[:n]

    def participation(self, world: World) -> np.ndarray:
        """What a member of each brigade sees: the largest weighted share out around him.

        In town and region he weighs his own industry's share by ``industry_affinity``.
        """
        w_shop, w_ent, w_town, w_region = self.weights
        affinity = world.scenario.spread.industry_affinity
        b_share = world.brigades.striking / np.maximum(world.brigades.workers, 1)
        shop_share = world.shops.striking / np.maximum(world.shops.workers, 1)
        ent_out, ent_all = enterprise_counts(world)

        def seen(
            place_of_ent: np.ndarray, place_of_brigade: np.ndarray, n_places: int
        ) -> np.ndarray:
            key = place_of_ent * self.n_ind + world.ent_industry
            same = group_sum(key, ent_out, n_places * self.n_ind) / np.maximum(
                group_sum(key, ent_all, n_places * self.n_ind), 1
            )
            every = group_sum(place_of_ent, ent_out, n_places) / np.maximum(
                group_sum(place_of_ent, ent_all, n_places), 1
            )
            return (
                affinity * same[place_of_brigade * self.n_ind + self.b_industry]
                + (1 - affinity) * every[place_of_brigade]
            )

        town = seen(world.ent_town, self.b_town, world.n_towns) + world.towns.signal[self.b_town]
        return np.maximum.reduce(
            [
                self.b_trust * b_share,
                w_shop * shop_share[world.brigade_shop],
                w_ent * (ent_out / np.maximum(ent_all, 1))[self.b_ent],
                w_town * np.minimum(town, 1.0),
                w_region * seen(world.ent_region, self.b_region, world.n_regions),
            ]
        )

    # ------------------------------------------------------------------ the day

    def step(self, world: World, day: int) -> None:
        if world.calendar.month_start[day]:
            self._monthly(world, day)
        if self.thresholds is not None:
            self._granovetter_round(world)
        else:
            self._strike_round(world, day)
        self._bookkeeping(world, day)

    def _granovetter_round(self, world: World) -> None:
        w = world.workers
        n = min(w.n, len(self.thresholds))
        out_in_shop = world.shops.striking[w.shop[:n]]
        join = world.employed()[:n] & ~w.striking[:n] & (out_in_shop >= self.thresholds[:n])
        self._apply(world, np.flatnonzero(join), np.zeros(0, np.int64))

    def _sparked_brigades(self, world: World, day: int) -> np.ndarray:
        first, count = world.shop_first_brigade, world.shop_brigade_count
        shops: list[int] = []
        for ent, kind, n_brig in self.sparks.get(day, []):
            here = np.flatnonzero(world.shop_enterprise == ent)
            if kind is not None:
                here = here[world.shop_kind[here] == kind]
            shops += [int(here[0])] * n_brig if len(here) else []
        if self.p.spark_rate > 0:
            u = world.streams.group_uniform("spark", day, world.n_shops)
            calm = world.enterprises.truce_until[world.shop_enterprise] < day
            hot = (
                (self.shop_grievance >= self.p.spark_grievance) & (world.shops.striking == 0) & calm
            )
            shops += np.flatnonzero(hot & (u < self.p.spark_rate)).tolist()
        if not shops:
            return np.zeros(0, np.int64)
        shops_arr = np.array(shops)
        pick = world.streams.uniform("spark_brigade", day, np.arange(len(shops), dtype=np.uint64))
        brigades = first[shops_arr] + (pick * count[shops_arr]).astype(np.int64)
        for sid in np.unique(shops_arr):
            log_event(
                world,
                "spark",
                world.shop_enterprise[sid],
                sid,
                world.shop_kinds[world.shop_kind[sid]],
            )
        return np.unique(brigades)

    def _strike_round(self, world: World, day: int) -> None:
        w = world.workers
        sparked = self._sparked_brigades(world, day)
        quiet = world.shops.striking.sum() == 0 and not world.towns.signal.any()
        if quiet and len(sparked) == 0:
            if self.theta_factors is not None:  # nobody decides: let the kept thresholds go
                self._forget_thresholds()
            return
        x = self.participation(world)
        hot_brigade = x > 0
        hot_brigade[sparked] = True
        active = np.zeros(world.n_enterprises, bool)
        active[self.b_ent[hot_brigade]] = True
        active &= world.enterprises.truce_until < day
        n = w.n
        theta = self.current_thresholds(world, active)
        # Only workers of active enterprises decide: elsewhere what they see is NaN, which
        # meets no threshold and falls short of none.
        active_brigade = active[self.b_ent]
        employed = world.employed()
        join, leave = strike_decisions(
            np.where(active_brigade, x, np.nan),
            w.brigade[:n],
            theta,
            w.striking[:n],
            employed,
            self.p.stay_factor,
        )
        if len(sparked):
            sparked_brigade = np.zeros(world.n_brigades, bool)
            sparked_brigade[sparked] = True
            initiators = np.flatnonzero(
                np.take(sparked_brigade & active_brigade, w.brigade[:n].astype(np.intp))
                & employed
                & ~w.striking[:n]
                & (theta <= 1.0)
            )
            w.initiator[initiators] = True
            join = np.union1d(join, initiators)
        self._apply(world, join, leave)

    def _apply(self, world: World, joined: np.ndarray, left: np.ndarray) -> None:
        start_striking(world, joined)
        stop_striking(world, left)

    def _bookkeeping(self, world: World, day: int) -> None:
        """Strike starts and ends, stoppage days, strike pay lost."""
        w = world.workers
        shop_out = world.shops.striking
        if not shop_out.any() and not self.shop_was_striking.any():
            return
        ent_out, ent_all = enterprise_counts(world)
        ent_out = ent_out.astype(np.int64)
        for sid in np.flatnonzero((shop_out > 0) & (self.shop_was_striking == 0)):
            log_event(
                world,
                "shop_strike",
                world.shop_enterprise[sid],
                sid,
                f"{shop_out[sid] * world.scale} out",
            )
        for e in np.flatnonzero((ent_out > 0) & (self.ent_was_striking == 0)):
            log_event(world, "strike_start", e, detail=f"{ent_out[e] * world.scale} out")
        ents = world.enterprises
        for e in np.flatnonzero((ent_out == 0) & (self.ent_was_striking > 0) & ~ents.settled):
            peak = ents.strike_peak[e]
            log_event(
                world,
                "strike_end",
                e,
                detail=f"collapsed: peak {peak * world.scale}; strikers drifted back",
            )
            world.messages.outcomes.append(Outcome(int(e), "collapsed", peak / max(ent_all[e], 1)))
            ents.strike_peak[e] = 0
        ents.strike_peak[ents.settled] = 0
        ents.settled[:] = False
        ents.strike_peak = np.maximum(ents.strike_peak, ent_out)
        ents.strike_days_month += ent_out >= 0.1 * np.maximum(ent_all, 1)
        strikers = np.flatnonzero(w.striking[: w.n])
        w.struck_days[strikers] += 1
        self.ent_was_striking = ent_out
        self.shop_was_striking = shop_out.copy()
