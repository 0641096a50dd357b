"""The strike decision and its spread, written the ordinary way in Mesa 3: one Agent per worker.

This is a peer of mutualdep's core rules (``collective_action`` strike round and ``spread``),
built from the state ``state.export`` writes: the same workers, brigades, shops, enterprises,
towns, regions and personal ties, the same per-worker win, cost and stake, the same spark.
Each day:

1. the model tallies workers and strikers per brigade, shop and enterprise by looping over its
   agents, and from those the shares out per town and region (all, and own industry) and the
   chance a striker of each enterprise expects to be sanctioned (the full chance, spread over
   the strikers once more are out than management can reach);
2. every agent looks around (``look``): the largest of team trust x his brigade's share out,
   the weighted shares out in his shop, enterprise, town (plus the committees' signal) and
   region, his own industry's share counting by ``industry_affinity``, and the weighted share
   of his personal ties on strike; an enterprise where someone sees any participation, or
   where a spark falls, is active (unless in a truce);
3. every agent in an active enterprise decides against yesterday's participation (``decide``):
   with P = belief x seen^a his chance of winning, s his enterprise's sanction chance and q
   the share of his win his enterprise can deliver (with ``gain_in_own_enterprise``: the
   largest of his enterprise's share out, his industry's shares in his town and region and
   the committees' news of his industry out elsewhere times ``industry_news`` and
   ``prospect_town_share`` times his town's share out, over
   ``removal_share``, at most 1, to the power ``prospect_curve``; else 1), a non-striker
   joins when P (q win + s stake) >= s stake + cost (or walks out as an initiator if his
   brigade was sparked and he would strike with his whole brigade out, alone against the full
   sanction); a striker stays while P (q win + s stake) >= stay_power (s stake + cost);
4. all agents then switch at once (``advance``): decisions are synchronous;
5. the model re-tallies the towns: a committee forms where ``committee_share`` is out and
   dissolves where nobody is; the committees' signal is the link-weighted sum of their towns'
   shares, each times its reach (its means over its linked towns, at most 1), scaled by
   ``communication``, and by the same links the news of each industry's share out, which the
   prospect q reads by ``industry_news``; a sitting committee's means grow by
   ``means_growth`` a day.

Arithmetic is plain Python floats in the same order as mutualdep's arrays, so the two agree
exactly. The one model-level array product (committee signal over the town links) uses numpy
as mutualdep does, so that its summation order is the same, and the power seen^a is numpy's
(``np.power`` on a Python float gives what it gives on an array; ``math.pow`` can differ in the
last bit).
"""

from __future__ import annotations

from collections import defaultdict

import mesa
import numpy as np


class Worker(mesa.Agent):
    """One worker: where he works, whether he strikes, and the thresholds he acts on."""

    def __init__(
        self,
        model: StrikeModel,
        brigade: int,
        shop: int,
        enterprise: int,
        win: float,
        cost: float,
        at_risk: float,
        ties: list[int],
        striking: bool,
    ):
        super().__init__(model)
        self.brigade = brigade
        self.shop = shop
        self.enterprise = enterprise
        self.town = model.ent_town[enterprise]
        self.region = model.ent_region[enterprise]
        self.industry = model.ent_industry[enterprise]
        self.trust = model.brigade_trust[brigade]
        self.win = win
        self.cost = cost
        self.at_risk = at_risk
        self.ties = ties  # worker ids
        self.belief = model.region_belief[self.region]
        self.striking = striking
        self.initiator = False
        self.seen = 0.0
        self.next_striking = striking

    def look(self) -> None:
        """The participation this worker sees (yesterday's),
        and whether it makes his enterprise hot."""
        m = self.model
        w_shop, w_ent, w_town, w_region = m.weights
        a = m.affinity
        b_share = m.brigade_out[self.brigade] / max(m.brigade_all[self.brigade], 1)
        shop_share = m.shop_out[self.shop] / max(m.shop_all[self.shop], 1)
        ent_share = m.ent_out[self.enterprise] / max(m.ent_all[self.enterprise], 1)
        town = (
            a * m.town_industry_share[self.town, self.industry]
            + (1 - a) * m.town_share[self.town]
            + m.town_signal[self.town]
        )
        region = (
            a * m.region_industry_share[self.region, self.industry]
            + (1 - a) * m.region_share[self.region]
        )
        self.seen = max(
            self.trust * b_share,
            w_shop * shop_share,
            w_ent * ent_share,
            w_town * min(town, 1.0),
            w_region * region,
        )
        if self.ties:
            out = sum(1 for j in self.ties if m.striking_by_id.get(j, False))
            if out:
                self.seen = max(self.seen, m.tie_weight * (out / len(self.ties)))
        if self.seen > 0:
            m.hot_enterprises.add(self.enterprise)

    def decide(self) -> None:
        m = self.model
        self.next_striking = self.striking
        if self.enterprise not in m.active_enterprises:
            return
        p_win = self.belief * float(np.power(self.seen, m.success_curve))
        risk = m.sanction[self.enterprise] * self.at_risk
        gain = p_win * (self.win * m.prospect[self.enterprise] + risk)
        need = risk + self.cost
        if self.striking:
            self.next_striking = not gain < m.stay_power * need
            return
        if self.brigade in m.sparked:
            alone = m.full_sanction[self.enterprise] * self.at_risk
            if self.belief * (self.win + alone) >= alone + self.cost:
                self.next_striking = True
                self.initiator = True
                return
        self.next_striking = gain >= need

    def advance(self) -> None:
        self.striking = self.next_striking


class StrikeModel(mesa.Model):
    """The core strike rules over one Agent per worker, from ``state.export``'s arrays."""

    def __init__(self, data: dict, seed: int = 0):
        super().__init__(seed=seed)
        self.day = int(data["spark_day"])
        self.weights = tuple(float(x) for x in data["weights"])
        self.affinity = float(data["affinity"])
        self.committee_share = float(data["committee_share"])
        self.communication = float(data["communication"])
        self.links = np.asarray(data["links"], float)
        self.means = [float(x) for x in data["means"]]
        self.linked = [int(x) for x in data["linked"]]
        self.means_growth = float(data["means_growth"])
        self.n_towns, self.n_regions = int(data["n_towns"]), int(data["n_regions"])
        self.n_industries = int(data["n_industries"])
        self.ent_town = [int(x) for x in data["ent_town"]]
        self.ent_region = [int(x) for x in data["ent_region"]]
        self.ent_industry = [int(x) for x in data["ent_industry"]]
        self.n_enterprises = len(self.ent_town)
        self.brigade_trust = [float(x) for x in data["brigade_trust"]]
        self.brigade_enterprise = [int(data["shop_enterprise"][s]) for s in data["brigade_shop"]]
        self.ent_truce_until = [int(x) for x in data["ent_truce_until"]]
        self.committee = [bool(x) for x in data["committee"]]
        self.town_signal = [float(x) for x in data["town_signal"]]
        self.town_industry_news = np.asarray(data["town_industry_news"], float).copy()
        self.industry_news = float(data["industry_news"])
        self.sparks = {int(d): set(int(b) for b in bs) for d, bs in data["sparks"].items()}
        self.success_curve = float(data["success_curve"])
        self.prospect_curve = float(data["prospect_curve"])
        self.prospect_town_share = float(data["prospect_town_share"])
        self.gain_in_own_enterprise = bool(data["gain_in_own_enterprise"])
        self.removal_share = float(data["removal_share"])
        self.stay_power = float(data["stay_power"])
        self.tie_weight = float(data["tie_weight"])
        self.region_belief = [float(x) for x in data["region_belief"]]
        self.full_sanction = [float(x) for x in data["full_sanction"]]
        self.reach = [float(x) for x in data["reach"]]
        self.striking_by_id: dict[int, bool] = {}
        self.sparked: set[int] = set()
        self.hot_enterprises: set[int] = set()
        self.active_enterprises: set[int] = set()
        self.workers_by_id: dict[int, Worker] = {}
        for i, b, s, e, win, cost, risk, ties, on in zip(
            data["ids"].tolist(),
            data["brigade"].tolist(),
            data["shop"].tolist(),
            data["enterprise"].tolist(),
            data["win"].tolist(),
            data["cost"].tolist(),
            data["at_risk"].tolist(),
            data["ties"],
            data["striking"].tolist(),
            strict=True,
        ):
            self.workers_by_id[i] = Worker(self, b, s, e, win, cost, risk, ties, on)
        self.tally()

    # ------------------------------------------------------------------ counting

    def tally(self) -> None:
        """Workers and strikers per brigade, shop and enterprise; shares per town and region."""
        brigade_all, brigade_out = defaultdict(int), defaultdict(int)
        shop_all, shop_out = defaultdict(int), defaultdict(int)
        ent_all, ent_out = defaultdict(int), defaultdict(int)
        for agent in self.agents:
            brigade_all[agent.brigade] += 1
            shop_all[agent.shop] += 1
            ent_all[agent.enterprise] += 1
            if agent.striking:
                brigade_out[agent.brigade] += 1
                shop_out[agent.shop] += 1
                ent_out[agent.enterprise] += 1
        self.brigade_all, self.brigade_out = brigade_all, brigade_out
        self.shop_all, self.shop_out = shop_all, shop_out
        self.ent_all, self.ent_out = ent_all, ent_out
        self.striking_by_id = {i: a.striking for i, a in self.workers_by_id.items()}
        self.sanction = []
        for e in range(self.n_enterprises):
            share = self.ent_out[e] / max(self.ent_all[e], 1)
            full = self.full_sanction[e]
            self.sanction.append(full * min(1.0, self.reach[e] / share) if share > 0 else full)
        self.town_share, self.town_industry_share = self._place_shares(self.ent_town, self.n_towns)
        self.region_share, self.region_industry_share = self._place_shares(
            self.ent_region, self.n_regions
        )

    def _prospect(self, e: int) -> float:
        """The share of a win's selective gain enterprise e can deliver to its strikers."""
        if not self.gain_in_own_enterprise or self.removal_share == 0:
            return 1.0
        i = self.ent_industry[e]
        expected = max(
            self.ent_out[e] / max(self.ent_all[e], 1),
            self.town_industry_share[self.ent_town[e], i],
            self.region_industry_share[self.ent_region[e], i],
            self.industry_news * float(self.town_industry_news[self.ent_town[e], i]),
            self.prospect_town_share * self.town_share[self.ent_town[e]],
        )
        taken = min(expected / self.removal_share, 1.0)
        return float(np.power(taken, self.prospect_curve))

    def _place_shares(self, place_of: list[int], n_places: int) -> tuple[list[float], dict]:
        out, all_ = [0] * n_places, [0] * n_places
        out_ind, all_ind = defaultdict(int), defaultdict(int)
        for e in range(self.n_enterprises):
            p, i = place_of[e], self.ent_industry[e]
            out[p] += self.ent_out[e]
            all_[p] += self.ent_all[e]
            out_ind[p, i] += self.ent_out[e]
            all_ind[p, i] += self.ent_all[e]
        share = [out[p] / max(all_[p], 1) for p in range(n_places)]
        share_ind = {
            (p, i): out_ind[p, i] / max(all_ind[p, i], 1)
            for p in range(n_places)
            for i in range(self.n_industries)
        }
        return share, share_ind

    # ------------------------------------------------------------------ the day

    def step(self) -> None:
        day = self.day
        self.sparked = self.sparks.get(day, set())
        self.hot_enterprises = set()
        self.agents.do("look")
        hot = self.hot_enterprises | {self.brigade_enterprise[b] for b in self.sparked}
        self.active_enterprises = {e for e in hot if self.ent_truce_until[e] < day}
        self.prospect = [self._prospect(e) for e in range(self.n_enterprises)]
        self.agents.do("decide")
        self.agents.do("advance")
        self.tally()
        self.spread()
        self.day += 1

    def spread(self) -> None:
        """Strike committees in towns, and the signal they send along the town links."""
        if not any(self.shop_out.values()) and not any(self.committee):
            self.town_signal = [0.0] * self.n_towns
            self.town_industry_news = np.zeros((self.n_towns, self.n_industries))
            return
        share = self.town_share
        for t in range(self.n_towns):
            formed = share[t] >= self.committee_share and not self.committee[t]
            dissolved = share[t] == 0 and self.committee[t]
            self.committee[t] = (self.committee[t] or formed) and not dissolved
        sending = np.array(
            [
                min(self.means[t] / self.linked[t], 1.0) if self.committee[t] else 0.0
                for t in range(self.n_towns)
            ]
        )
        signal = self.communication * (self.links @ (sending * np.array(share)))
        by_industry = np.array(
            [
                [self.town_industry_share[t, i] for i in range(self.n_industries)]
                for t in range(self.n_towns)
            ]
        )
        news = self.communication * (self.links @ (sending[:, None] * by_industry))
        self.town_industry_news = np.minimum(news, 1.0)
        for t in range(self.n_towns):
            self.means[t] += self.means_growth if self.committee[t] else 0.0
        self.town_signal = [min(float(s), 1.0) for s in signal]

    def strikers_by_enterprise(self) -> list[int]:
        return [self.ent_out[e] for e in range(self.n_enterprises)]
