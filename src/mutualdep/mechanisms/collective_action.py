"""The decision to strike.

The decision has the structure of the comparative study's collective-action problem. A worker
compares joining a strike with staying at work, given the participation x he sees:

    P(x)   = belief(region) x x^a                   chance the strike wins (a = success_curve)
    W      = (grievance + shock) x win_value x (1 - what a managers' committee promised)
             what a win brings only to those who acted (control over distribution, a voice)
    S      = what a sanction would take from him (his places in line and priority, his family's
             day-care place, the goods in kind: ``at_risk``, valued in distribution)
    s(y)   = enforce x (1 + threat) x min(1, reach / y)   chance he is sanctioned if it fails:
             enforce is what workers have seen management do after failed strikes in their
             town, threat what it announces now, reach the share of the workforce it can strike
             off its lists (``management.sanction_reach`` x capacity), y the share of his
             enterprise out: management cannot sanction everyone
    c      = lost pay (expected_days of pay, less the strike fund, cushioned by savings)
             + private cost rho = risk (lognormal) x (1 - trust_effect x team trust)

    q      = min(1, y / removal_share)^b               share of W his own enterprise can deliver:
             control over distribution is taken enterprise by enterprise, where removal_share
             of it is out at the win (management; ``enterprises.removal_share``, more for a
             director in office, see institutions); y is the share he expects of his enterprise
             out, its own share or his industry's share in his town or region if higher
             (workers like him, in the same position, take the same side), or the strike
             committees' news of his industry out in the linked towns (spread); with
             prospect_town_share > 0 also that weight x the share of his whole town out

    gain of joining = P q W - (1 - P) s S - c;  he joins when P (q W + s S) >= s S + c.

What a win brings to everyone in his group whether or not he struck (the pay rise of a
protocol, ``state.win_raise`` over ``raise_months``) is the same whether he joins or not, so it
does not enter his choice (free riding); it does enter whether all would be better off if all
struck (``value_of_all_striking``). Because P rises and s falls as more are out, the gain of
joining rises with participation: quiet can be a failure to coordinate, with each worker
better off out if enough others were. A striker stays while P (q W + s S) >= stay_factor^a
(s S + c). Through q a shop alone in a huge plant, or a depot in a town whose mines are out,
cannot hope to win its own enterprise's control: what the miners win is not theirs
(``gain_in_own_enterprise``; off in the schema, q = 1; on in kuzbass-1989 and the scenarios
built on it, whose fit gives q its own exponent ``prospect_curve``, docs/decision.md). The same
three brigades are 5% of a mine and 0.3% of a steel plant: that is why a spark takes a mine
and not a plant.

What he sees, x, is the largest of team trust x the share of his brigade out, the weighted
shares out in his shop, his enterprise, his town (plus the strike committees' signal) and his
region (in town and region his own industry's share counts by ``industry_affinity``), and the
share of his personal ties on strike (``spread.ties``: workmates in other shops, neighbours and
kin in other enterprises of the town; a compressed sparse adjacency built with the world, kept
as counts updated from the day's changes). Decisions are synchronous: everyone compares against
yesterday's participation, so a wave moves in days. What others see is action, never grievance.

Strikes start with sparks: a dated historical incident from the scenario, or (with
``spark_rate`` > 0) a spontaneous walk-out in a shop whose *voiced* anger is high. A worker
keeps part of his grievance to himself where voice is dangerous: voiced = grievance x (1 -
hidden_anger x (1 - openness) x dependence), so openness narrows the gap between private anger
and what shows. In a sparked brigade the members who would strike if their whole brigade did,
with no one yet to share the sanctions, walk out as initiators, marked for reprisals.

Granovetter mode (``thresholds`` given): worker i joins when at least thresholds[i] others in
his shop strike, one synchronous round a day, strikers stay; this reproduces Granovetter (1978).
"""

from __future__ import annotations

import numpy as np

from mutualdep.kernels import blocks, segment_sum, strike_decisions
from mutualdep.shared_state import (
    enterprise_counts,
    group_mean,
    log_event,
    place_shares,
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
        "economy.openness",
        "economy.strike_fund",
        "enterprises.committee",
        "enterprises.enforce",
        "enterprises.removal_share",
        "enterprises.settled",
        "enterprises.shock",
        "enterprises.stoppage_cost",
        "enterprises.strike_peak",
        "enterprises.threat",
        "enterprises.thresholds_stale",
        "enterprises.truce_until",
        "regions.belief",
        "shops.striking",
        "shops.workers",
        "towns.industry_news",
        "towns.signal",
        "world.ent_capacity",
    )
    writes = (
        "brigades.striking",
        "enterprises.settled",
        "enterprises.strike_days_month",
        "enterprises.strike_peak",
        "enterprises.strike_start",
        "enterprises.thresholds_stale",
        "messages.outcomes",
        "shops.striking",
        "workers.initiator",
        "workers.pay_cost",
        "workers.striking",
        "workers.struck_days",
        "workers.walked_out",
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
        # strike while P (W + s S) >= stay_power (s S + c): x >= stay_factor x what joining needs
        self.stay_power = p.stay_factor**p.success_curve
        self.tie_weight = sp.ties * on
        n0 = len(world.tie_indptr) - 1
        self.tie_out = np.zeros(n0, np.int64)  # strikers among each initial worker's ties
        self.tie_last = np.zeros(n0, bool)  # striking as last counted into tie_out
        self._forget_coefficients()
        self._monthly(world, 0)

    # ------------------------------------------------------------------ monthly stakes

    def _monthly(self, world: World, day: int) -> None:
        """Pay at risk per worker; the voiced anger of each shop, for spontaneous sparks."""
        w, p = world.workers, self.p
        n = w.n
        lost = p.expected_days / 30.0 * w.wage[:n]
        cushion = p.savings_cushion * np.clip(w.savings[:n] / np.maximum(lost, 1e-6), 0, 1)
        w.pay_cost[:n] = lost * (1 - world.economy.strike_fund) * (1 - cushion)
        world.enterprises.thresholds_stale[:] = True  # stakes, grievance and pay at risk renewed
        emp = world.employed()
        hidden = p.hidden_anger * (1 - world.economy.openness) * w.dependence[:n][emp]
        voiced = w.grievance[:n][emp] * (1 - hidden)
        self.shop_grievance = group_mean(w.shop[:n][emp], voiced, world.n_shops)

    def sanction_chance(self, world: World, out_share: np.ndarray | None = None) -> np.ndarray:
        """Chance a striker of each enterprise expects to be sanctioned if the strike fails, with
        ``out_share`` of its workforce out (default: yesterday's share)."""

        if out_share is None:
            ent_out, ent_all = enterprise_counts(world)
            out_share = ent_out / np.maximum(ent_all, 1)
        full = np.minimum(world.enterprises.enforce * (1 + world.enterprises.threat), 1.0)
        reach = self.reach(world)
        with np.errstate(divide="ignore"):
            spread_thin = np.minimum(1.0, reach / out_share)
        return np.where(out_share > 0, full * spread_thin, full)

    def reach(self, world: World) -> np.ndarray:
        """Share of each enterprise's workforce its management can sanction after a failure."""
        return world.scenario.management.sanction_reach * world.ent_capacity

    def coefficients(self, world: World, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each worker's selective win value W and his certain cost c (lost pay and rho)."""
        w, p = world.workers, self.p
        ent = w.enterprise[idx].astype(np.intp)
        win = w.grievance[idx] + world.enterprises.shock[ent]
        win *= p.win_value
        win *= (1 - world.enterprises.committee)[ent]
        trust = world.industry_trust[world.ent_industry]
        cost = w.risk[idx] * (1 - p.trust_effect * trust)[ent]
        cost += w.pay_cost[idx]
        cost += world.enterprises.stoppage_cost[ent]  # partner goods a stoppage cuts off
        return win, cost

    def thresholds_of(
        self,
        world: World,
        idx: np.ndarray,
        out_share: np.ndarray | None = None,
    ) -> np.ndarray:
        """Participation each worker would need to see before he acts (inf if never), with the
        sanction chance and the prospect of taking his enterprise of ``out_share`` of it out
        (default: yesterday's shares).
        """
        out = np.empty(len(idx))
        s_ent = self.sanction_chance(world, out_share)
        belief = world.regions.belief[world.ent_region]
        w = world.workers
        if out_share is None:
            q = self.own_prospect(world)[w.brigade[idx]]
        else:
            q = self._prospect(world, out_share)[w.enterprise[idx]]
        for part in blocks(len(idx)):
            i = idx[part]
            win, cost = self.coefficients(world, i)
            ent = w.enterprise[i]
            risk = s_ent[ent] * w.at_risk[i]
            with np.errstate(divide="ignore", invalid="ignore"):
                need = (risk + cost) / ((win * q[part] + risk) * belief[ent])
                out[part] = np.where(need >= 0, need ** (1.0 / self.p.success_curve), np.inf)
        return out

    def value_of_all_striking(self, world: World, idx: np.ndarray) -> np.ndarray:
        """Each worker's expected gain, in rubles, if his whole enterprise struck, against none
        striking: the win's public pay rise and his selective gain, less the expected sanction
        (spread over everyone out) and his certain cost."""
        w = world.workers
        ent = w.enterprise[idx]
        win, cost = self.coefficients(world, idx)
        p_win = world.regions.belief[world.ent_region][ent]
        s_full = self.sanction_chance(world, np.ones(world.n_enterprises))[ent]
        public = world.scenario.state.win_raise * w.wage[idx] * self.p.raise_months
        return p_win * (public + win) - (1 - p_win) * s_full * w.at_risk[idx] - cost

    def _forget_coefficients(self) -> None:
        self.win = np.zeros(0)  # kept coefficients by worker id; see current_coefficients
        self.cost = np.zeros(0)
        self.risk_at = np.zeros(0)
        self.coef_n = 0  # ids below this have them
        self.coef_factors: np.ndarray | None = None  # the enterprise factors they used

    def _enterprise_factors(self, world: World) -> np.ndarray:
        """The enterprise-level inputs of the kept coefficients that change from day to day."""

        return np.stack([world.enterprises.shock, world.enterprises.committee])

    def current_coefficients(
        self, world: World, active: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """W, c and S (float64) for every worker id, up to date for the employed workers of the
        ``active`` enterprises (the only ones that decide today).

        They change only when their inputs do, so while strikes go on they are kept between
        days (24 bytes a worker; let go on quiet days) and recomputed for new workers and for
        the enterprises marked in ``state["thresholds_stale"]``. An enterprise becomes stale when
        its shock or managers' committee changes, which is checked here, and at every month
        start, when stakes, grievance and pay at risk are renewed. A mechanism that changes a
        worker's at_risk, pay_cost, grievance or risk between month starts marks his enterprise.
        """
        w = world.workers
        n = w.n
        stale = world.enterprises.thresholds_stale
        factors = self._enterprise_factors(world)
        first = self.coef_factors is None
        if first:
            stale[:] = True
        else:
            stale |= (factors != self.coef_factors).any(axis=0)
        self.coef_factors = factors
        known = self.coef_n
        if len(self.win) < w.capacity:  # sized like the worker columns, grown with them
            for name in ("win", "cost", "risk_at"):
                grown = np.full(w.capacity, np.nan)
                grown[:known] = getattr(self, name)[:known]
                setattr(self, name, grown)
        refresh = stale & active
        todo = []
        if not first and known < n:
            todo.append(np.arange(known, n))
        if refresh.any():
            todo.append(np.flatnonzero(np.take(refresh, w.enterprise[:n]) & world.employed()))
            stale &= ~active
        self.coef_n = n
        for idx in todo:
            for part in blocks(len(idx)):
                i = idx[part]
                self.win[i], self.cost[i] = self.coefficients(world, i)
                self.risk_at[i] = w.at_risk[i]
        return self.win[:n], self.cost[:n], self.risk_at[:n]

    def _update_ties(self, world: World) -> None:
        """Strikers among each worker's personal ties, from the changes since the last call."""
        w = world.workers
        n0 = len(world.tie_indptr) - 1
        now = w.striking[:n0]
        changed = np.flatnonzero(now != self.tie_last)
        if len(changed) == 0:
            return
        sign = np.where(now[changed], 1, -1)
        self.tie_out += segment_sum(world.tie_indptr, world.tie_indices, changed, sign, n0)
        self.tie_last[changed] = now[changed]

    def tie_seen(self, world: World) -> tuple[np.ndarray, np.ndarray]:
        """Workers with a tie on strike, and the weighted share of their ties out."""
        ids = np.flatnonzero(self.tie_out)
        degree = np.diff(world.tie_indptr)[ids]
        return ids, self.tie_weight * (self.tie_out[ids] / degree)

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
            every, same = place_shares(world, place_of_ent, n_places, ent_out, ent_all)
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

    def _prospect(self, world: World, expected: np.ndarray) -> np.ndarray:
        """q per enterprise: the share of the selective win an enterprise with ``expected`` of it
        out can deliver, against its removal bar (1 everywhere with ``gain_in_own_enterprise``
        off, and where the bar is 0)."""
        if not self.p.gain_in_own_enterprise:
            return np.ones_like(expected, dtype=float)
        bar = world.enterprises.removal_share
        taken = np.minimum(expected / np.where(bar > 0, bar, 1.0), 1.0)
        return np.where(bar > 0, np.power(taken, self.p.prospect_curve), 1.0)

    def own_prospect(self, world: World) -> np.ndarray:
        """q for a member of each brigade: from the share he expects of his enterprise out, its
        own share or his industry's share in his town or region, or the committees' news of
        his industry out elsewhere (``spread.industry_news``), or ``prospect_town_share`` of
        the share of his whole town out, if higher (1 everywhere, and no counting, with
        ``gain_in_own_enterprise`` off)."""
        if not self.p.gain_in_own_enterprise:
            return np.ones(len(self.b_ent))
        ent_out, ent_all = enterprise_counts(world)
        expected = ent_out / np.maximum(ent_all, 1)
        town, town_same = place_shares(world, world.ent_town, world.n_towns, ent_out, ent_all)
        _, region_same = place_shares(world, world.ent_region, world.n_regions, ent_out, ent_all)
        industry = world.ent_industry
        news = world.towns.industry_news[world.ent_town, industry]
        expected = np.maximum.reduce(
            [
                expected,
                town_same[world.ent_town * self.n_ind + industry],
                region_same[world.ent_region * self.n_ind + industry],
                world.scenario.spread.industry_news * news,
                self.p.prospect_town_share * town[world.ent_town],
            ]
        )
        return self._prospect(world, expected)[self.b_ent]

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
        self._update_ties(world)
        quiet = world.shops.striking.sum() == 0 and not world.towns.signal.any()
        if quiet and len(sparked) == 0:
            if self.coef_factors is not None:  # nobody decides: let the kept coefficients go
                self._forget_coefficients()
            return
        x = self.participation(world)
        tie_ids, tie_x = self.tie_seen(world)
        hot_brigade = x > 0
        hot_brigade[sparked] = True
        active = np.zeros(world.n_enterprises, bool)
        active[self.b_ent[hot_brigade]] = True
        active[w.enterprise[tie_ids[tie_x > 0]]] = True
        active &= world.enterprises.truce_until < day
        n = w.n
        win, cost, at_risk = self.current_coefficients(world, active)
        # Only workers of active enterprises decide: elsewhere their chance of success is NaN,
        # which meets no condition either way.
        active_brigade = active[self.b_ent]
        belief = world.regions.belief[self.b_region]
        p_brigade = np.where(active_brigade, belief * np.power(x, self.p.success_curve), np.nan)
        # a worker whose ties show more than his brigade does sees that instead
        above = tie_x > x[w.brigade[tie_ids]]
        tie_ids, tie_x = tie_ids[above], tie_x[above]
        tie_p = belief[w.brigade[tie_ids]] * np.power(tie_x, self.p.success_curve)
        tie_p[~active[w.enterprise[tie_ids]]] = np.nan
        s_ent = self.sanction_chance(world)
        employed = world.employed()
        join, leave = strike_decisions(
            p_brigade,
            self.own_prospect(world),
            w.brigade[:n],
            (tie_ids, tie_p),
            s_ent,
            w.enterprise[:n],
            win,
            cost,
            at_risk,
            w.striking[:n],
            employed,
            self.stay_power,
        )
        if len(sparked):
            sparked_brigade = np.zeros(world.n_brigades, bool)
            sparked_brigade[sparked] = True
            candidates = np.flatnonzero(
                np.take(sparked_brigade & active_brigade, w.brigade[:n].astype(np.intp))
                & employed
                & ~w.striking[:n]
            )
            # they would strike if their whole brigade did, alone against the full sanction
            ent = w.enterprise[candidates]
            full = np.minimum(world.enterprises.enforce * (1 + world.enterprises.threat), 1.0)[ent]
            risk = full * at_risk[candidates]
            p_all = world.regions.belief[world.ent_region][ent]
            willing = p_all * (win[candidates] + risk) >= risk + cost[candidates]
            initiators = candidates[willing]
            w.initiator[initiators] = True
            join = np.union1d(join, initiators)
        self._apply(world, join, leave)

    def _apply(self, world: World, joined: np.ndarray, left: np.ndarray) -> None:
        start_striking(world, joined)
        stop_striking(world, left)
        world.workers.walked_out[joined] = world.day

    def _bookkeeping(self, world: World, day: int) -> None:
        """Strike starts and ends, stoppage days, strike pay lost."""
        w, ents = world.workers, world.enterprises
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
            ents.strike_start[e] = day
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
