"""The decision to strike, measured: thresholds on the eve of the 1989 wave and peak shares.

    python benchmarks/decision_check.py [--seeds 10] [--set KEY=VALUE ...] [--skip-runs]

Prints, for steelworkers and miners of kuzbass-1989 on 14 July 1989 (seed 1), the distribution
of the participation each would need to see before joining (his threshold) with nobody out
yet and with his whole enterprise out, the share whose threshold is above 1 (who could not
join even if everyone around him struck), and the share who would be better off if their whole
enterprise struck than if none did; then each industry's peak share on strike over ``--seeds``
seeds of the whole year.
"""

from __future__ import annotations

import argparse
import datetime as dt

import numpy as np
import polars as pl

import mutualdep
from mutualdep.engine import Simulation
from mutualdep.scenario import parse_set


def thresholds(overrides: dict) -> None:
    sc = mutualdep.load_scenario("kuzbass-1989", overrides)
    sim = Simulation(sc, 1).run(until=dt.date(1989, 7, 13))
    w = sim.world
    ca = next(p for p in sim.phases if p.name == "collective_action")
    ids = np.flatnonzero(w.employed())
    ind = w.ent_industry[w.workers.enterprise[ids]]
    none_out = ca.thresholds_of(w, ids, out_share=np.zeros(w.n_enterprises))
    all_out = ca.thresholds_of(w, ids, out_share=np.ones(w.n_enterprises))
    better = ca.value_of_all_striking(w, ids) > 0
    for name in ("steel", "coal"):
        here = ind == w.industry_names.index(name)
        for label, th in (("nobody out", none_out[here]), ("all out", all_out[here])):
            q = np.quantile(th, [0.1, 0.25, 0.5, 0.75, 0.9])
            print(
                f"{name:5s} {label:10s}: share above 1 {np.mean(th > 1):.3f}; "
                f"quantiles 10/25/50/75/90% {np.round(q, 3).tolist()}"
            )
        print(f"{name:5s} better off if all struck: {better[here].mean():.3f}")


def peaks(overrides: dict, seeds: int) -> None:
    sc = mutualdep.load_scenario("kuzbass-1989", overrides)
    rows = []
    for seed in range(seeds):
        r = mutualdep.run(sc, seed=seed)
        ed = r.enterprise_days.join(r.enterprises.select("enterprise", "industry"), on="enterprise")
        by_day = ed.group_by("date", "industry").agg(
            pl.col("striking").sum() / pl.col("workers").sum()
        )
        peak = dict(by_day.group_by("industry").agg(pl.col("striking").max()).iter_rows())
        rows.append(peak)
        print(seed, {k: round(v, 3) for k, v in sorted(peak.items())}, flush=True)
    for name in ("steel", "coal"):
        v = np.array([r[name] for r in rows])
        print(f"{name}: peak share mean {v.mean():.3f}, min {v.min():.3f}, max {v.max():.3f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("--skip-runs", action="store_true")
    args = ap.parse_args()
    overrides = parse_set(args.set)
    thresholds(overrides)
    if not args.skip_runs:
        peaks(overrides, args.seeds)


if __name__ == "__main__":
    main()
