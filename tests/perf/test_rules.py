"""The strike rules' array code against per-worker and per-brigade loops, on a world mid-strike."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

import mutualdep
from mutualdep.mechanisms.management import workers_of
from mutualdep.shared_state import enterprise_counts
from mutualdep.world import EMPLOYED


def scalar_prospect(world, ca) -> list[float]:
    """q per enterprise with Python numbers: the largest of its own share out and its
    industry's shares in its town and region, over its removal bar, to prospect_curve."""
    if not ca.p.gain_in_own_enterprise:
        return [1.0] * world.n_enterprises
    ent_out, ent_all = enterprise_counts(world)
    out, all_ = {}, {}
    for e in range(world.n_enterprises):
        ind = int(world.ent_industry[e])
        for key in (
            ("town", int(world.ent_town[e]), ind),
            ("region", int(world.ent_region[e]), ind),
        ):
            out[key] = out.get(key, 0) + int(ent_out[e])
            all_[key] = all_.get(key, 0) + int(ent_all[e])
    q = []
    for e in range(world.n_enterprises):
        ind = int(world.ent_industry[e])
        y = int(ent_out[e]) / max(int(ent_all[e]), 1)
        for key in (
            ("town", int(world.ent_town[e]), ind),
            ("region", int(world.ent_region[e]), ind),
        ):
            y = max(y, out[key] / max(all_[key], 1))
        bar = float(world.enterprises.removal_share[e])
        q.append(min(y / bar, 1.0) ** ca.p.prospect_curve if bar > 0 else 1.0)
    return q


def test_participation_equals_a_per_brigade_loop(striking_world_fixture):
    """What each brigade sees, recomputed brigade by
    brigade from head counts with Python numbers."""
    world, phases = striking_world_fixture
    ca = phases["collective_action"]
    assert world.shops.striking.sum() > 0 and world.towns.signal.any()
    x = ca.participation(world)
    w_shop, w_ent, w_town, w_region = ca.weights
    a = world.scenario.spread.industry_affinity
    ent_out = [0] * world.n_enterprises
    ent_all = [0] * world.n_enterprises
    for s in range(world.n_shops):
        ent_out[world.shop_enterprise[s]] += int(world.shops.striking[s])
        ent_all[world.shop_enterprise[s]] += int(world.shops.workers[s])

    def share(place_of, place, industry=None):
        out = sum(
            ent_out[e]
            for e in range(world.n_enterprises)
            if place_of[e] == place and (industry is None or world.ent_industry[e] == industry)
        )
        all_ = sum(
            ent_all[e]
            for e in range(world.n_enterprises)
            if place_of[e] == place and (industry is None or world.ent_industry[e] == industry)
        )
        return out / max(all_, 1)

    for b in range(world.n_brigades):
        s = world.brigade_shop[b]
        e = world.shop_enterprise[s]
        t, r, i = world.ent_town[e], world.ent_region[e], world.ent_industry[e]
        trust = world.industry_trust[i]
        town = (
            a * share(world.ent_town, t, i)
            + (1 - a) * share(world.ent_town, t)
            + world.towns.signal[t]
        )
        region = a * share(world.ent_region, r, i) + (1 - a) * share(world.ent_region, r)
        want = max(
            trust * (world.brigades.striking[b] / max(world.brigades.workers[b], 1)),
            w_shop * (world.shops.striking[s] / max(world.shops.workers[s], 1)),
            w_ent * (ent_out[e] / max(ent_all[e], 1)),
            w_town * min(town, 1.0),
            w_region * region,
        )
        assert x[b] == want, b


def test_decision_numbers_equal_scalar_arithmetic(striking_world_fixture):
    """Each worker's win, cost, sanction chance and threshold from his own numbers, one at a
    time, as the module docstring states them."""
    world, phases = striking_world_fixture
    ca = phases["collective_action"]
    p, w = ca.p, world.workers
    idx = np.flatnonzero(world.employed())
    assert world.enterprises.threat.any() and world.enterprises.committee.any()
    win, cost = ca.coefficients(world, idx)
    s_ent = ca.sanction_chance(world)
    ent_out, ent_all = enterprise_counts(world)
    reach = world.scenario.management.sanction_reach
    for e in range(world.n_enterprises):
        full = min(
            float(world.enterprises.enforce[e]) * (1 + float(world.enterprises.threat[e])), 1.0
        )
        y = ent_out[e] / max(ent_all[e], 1)
        want = full * min(1.0, reach * world.ent_capacity[e] / y) if y > 0 else full
        assert s_ent[e] == want
    theta = ca.thresholds_of(world, idx)
    q = scalar_prospect(world, ca)
    assert min(q) < 1  # the gain won in the own enterprise is on and weighs somewhere
    for k in range(0, len(idx), 7):
        i, e = idx[k], w.enterprise[idx[k]]
        benefit = (
            (float(w.grievance[i]) + float(world.enterprises.shock[e]))
            * p.win_value
            * (1 - float(world.enterprises.committee[e]))
        )
        trust = float(world.industry_trust[world.ent_industry[e]])
        rho = float(w.risk[i]) * (1 - p.trust_effect * trust)
        assert math.isclose(win[k], benefit, rel_tol=1e-12)
        assert math.isclose(cost[k], rho + float(w.pay_cost[i]), rel_tol=1e-12)
        risk = s_ent[e] * float(w.at_risk[i])
        certain = rho + float(w.pay_cost[i])
        belief = float(world.regions.belief[world.ent_region[e]])
        denom = (benefit * q[e] + risk) * belief
        needed = (risk + certain) / denom if denom > 0 else math.inf
        want = needed ** (1.0 / p.success_curve)
        assert theta[k] == want or math.isclose(theta[k], want, rel_tol=1e-12), (i, want)


def test_strike_round_equals_a_per_worker_loop(striking_world_fixture):
    """One day's joins and departures, decided worker by worker from the same participation,
    his personal ties and the same chances of winning and of being sanctioned."""
    world, phases = striking_world_fixture
    ca = phases["collective_action"]
    w = world.workers
    day = world.day
    before = w.striking[: w.n].copy()
    tie_before = ca.tie_out.copy(), ca.tie_last.copy()
    x = ca.participation(world)
    sparked = set(ca._sparked_brigades(world, day).tolist())
    n0 = len(world.tie_indptr) - 1
    tie_out = {}
    for i in range(n0):
        ties = world.tie_indices[world.tie_indptr[i] : world.tie_indptr[i + 1]]
        if len(ties):
            tie_out[i] = int(before[ties].sum())
    seen = {}
    for i in np.flatnonzero(world.employed()).tolist():
        s = float(x[w.brigade[i]])
        if tie_out.get(i):
            s = max(s, ca.tie_weight * (tie_out[i] / int(np.diff(world.tie_indptr)[i])))
        seen[i] = s
    hot = {int(w.enterprise[i]) for i, s in seen.items() if s > 0}
    hot |= {int(world.shop_enterprise[world.brigade_shop[b]]) for b in sparked}
    active = {e for e in hot if world.enterprises.truce_until[e] < day}
    idx = np.flatnonzero(world.employed())
    win, cost = ca.coefficients(world, idx)
    s_ent = ca.sanction_chance(world)
    full = np.minimum(world.enterprises.enforce * (1 + world.enterprises.threat), 1.0)
    q = scalar_prospect(world, ca)
    want = before.copy()
    for k, i in enumerate(idx.tolist()):
        e = int(w.enterprise[i])
        if e not in active:
            continue
        belief = float(world.regions.belief[world.ent_region[e]])
        p_win = belief * float(np.power(seen[i], ca.p.success_curve))
        risk = float(s_ent[e]) * float(w.at_risk[i])
        gain, need = p_win * (win[k] * q[e] + risk), risk + cost[k]
        alone = float(full[e]) * float(w.at_risk[i])
        if before[i]:
            want[i] = not gain < ca.stay_power * need
        elif int(w.brigade[i]) in sparked and belief * (win[k] + alone) >= alone + cost[k]:
            want[i] = True
        else:
            want[i] = gain >= need
    shop_before = world.shops.striking.copy()
    ca._strike_round(world, day)
    try:
        assert np.array_equal(w.striking[: w.n], want)
        assert np.array_equal(
            world.shops.striking, np.bincount(w.shop[: w.n][want], minlength=world.n_shops)
        )
    finally:  # leave the shared world as it was
        changed = np.flatnonzero(w.striking[: w.n] != before)
        w.striking[changed] = before[changed]
        world.shops.striking[:] = shop_before
        world.brigades.striking[:] = np.bincount(
            w.brigade[: w.n][before], minlength=world.n_brigades
        )
        ca.tie_out[:], ca.tie_last[:] = tie_before


def test_workers_of_equals_a_scan_per_enterprise(striking_world_fixture):
    world, _ = striking_world_fixture
    w = world.workers
    ents = [3, 0, 3, 5]
    got = workers_of(world, ents)
    assert sorted(got) == [0, 3, 5]
    for e in got:
        assert got[e].tolist() == np.flatnonzero(w.enterprise[: w.n] == e).tolist()
        assert (w.status[got[e]] == EMPLOYED).sum() == (
            world.employed() & (w.enterprise[: w.n] == e)
        ).sum()


def test_kept_coefficients_equal_fresh_ones_at_every_strike_round():
    """Each worker's win, cost and stake are kept between days and renewed only where their
    inputs changed; at every strike round of three years of small-town with frequent
    spontaneous strikes (committees, concessions, reprisals, hires, month starts), the kept
    numbers of every worker who decides equal a fresh computation."""
    spontaneous = (
        ("end", dt.date(1991, 12, 31)),
        ("collective_action.spark_rate", 0.01),
        ("collective_action.spark_grievance", 0.3),
        ("state.truce_days", 0),
    )
    sim = mutualdep.Simulation(mutualdep.load_scenario("small-town", dict(spontaneous)), 1)
    world = sim.world
    ca = next(p for p in sim.phases if p.name == "collective_action")
    kept_for = ca.current_coefficients
    checked = []

    def checked_coefficients(world, active):
        win, cost, at_risk = kept_for(world, active)
        deciding = np.flatnonzero(
            active[world.workers.enterprise[: world.workers.n]] & world.employed()
        )
        fresh_win, fresh_cost = ca.coefficients(world, deciding)
        assert np.array_equal(win[deciding], fresh_win), world.day
        assert np.array_equal(cost[deciding], fresh_cost), world.day
        assert np.array_equal(at_risk[deciding], world.workers.at_risk[deciding]), world.day
        checked.append((world.day, len(deciding), world.workers.n))
        return win, cost, at_risk

    ca.current_coefficients = checked_coefficients
    sim.run()
    kinds = {e[1] for e in world.records.events}
    assert {
        "shop_concession",
        "committee_resolution",
        "reprisals",
        "accident",
        "concession",
    } <= kinds
    assert len({d for d, _, _ in checked}) > 300
    assert len({n for _, _, n in checked}) > 1  # workers were hired between strike rounds
