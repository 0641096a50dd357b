"""Does ``scale`` (one agent for several workers) keep the aggregates of the full-size run?

    python benchmarks/scale_check.py [--scenario kuzbass-1989] [--scale 10]
                                     [--seeds 1,2,3,4,5,6] [--json]

Runs the scenario at full size (scale 1) and with ``scale`` workers an agent, over the same
seeds, and compares, per industry, the seed means of:

- peak share striking: the largest daily share of the industry's workers on strike;
- quits per 1,000 workers a year: quits over the mean headcount, per year simulated;
- wage mean: the mean of enterprises' daily mean pay, weighted by their workers;
- strike days per worker: worker-days on strike over the mean headcount.

Tolerances (stated before running): peak share striking within 0.05 (absolute); quits per
1,000 within 10% (relative); wage mean within 1% (relative); strike days per worker within
0.5 days (absolute). Whether a strike wave takes off differs a lot from seed to seed, so a
difference also counts as agreement when it is within two standard errors of the difference
of the two seed means (chance alone); each line says which criterion it meets, if any. The
tables of the scaled run already count real workers (the recorder multiplies back), so both
runs are compared in the same units. Also printed: time and agents of each run.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import polars as pl

import mutualdep

TOLERANCES = {
    # metric: (kind, tolerance)
    "peak_share_striking": ("abs", 0.05),
    "quits_per_1000_year": ("rel", 0.10),
    "wage_mean": ("rel", 0.01),
    "strike_days_per_worker": ("abs", 0.5),
}


def aggregates(result) -> dict[str, dict[str, float]]:
    """Per industry: the metrics above, from the public tables."""
    days = result.enterprise_days.join(
        result.enterprises.select("enterprise", "industry"), on="enterprise"
    )
    n_days = days["date"].n_unique()
    daily = days.group_by("industry", "date").agg(
        pl.col("workers").sum(),
        pl.col("striking").sum(),
        pl.col("quits").sum(),
        (pl.col("wage_mean") * pl.col("workers")).sum().alias("wage_x_workers"),
    )
    per = (
        daily.group_by("industry")
        .agg(
            (pl.col("striking") / pl.col("workers")).max().alias("peak_share_striking"),
            (pl.col("quits").sum() / pl.col("workers").mean() * 1000 * 365.25 / n_days).alias(
                "quits_per_1000_year"
            ),
            (pl.col("wage_x_workers").sum() / pl.col("workers").sum()).alias("wage_mean"),
            (pl.col("striking").sum() / pl.col("workers").mean()).alias("strike_days_per_worker"),
        )
        .sort("industry")
    )
    return {
        row["industry"]: {k: float(row[k]) for k in TOLERANCES} for row in per.iter_rows(named=True)
    }


def run_many(scenario: str, scale: int, seeds: list[int]) -> tuple[list[dict], float, int]:
    sc = mutualdep.load_scenario(scenario, {"scale": scale})
    out, t0, agents = [], time.perf_counter(), 0
    for seed in seeds:
        result = mutualdep.run(sc, seed=seed)
        agents = result.info.get("agents_start", result.info["workers_start"])
        out.append(aggregates(result))
    return out, (time.perf_counter() - t0) / len(seeds), agents


def compare(scenario: str, scale: int, seeds: list[int]) -> dict:
    full, t_full, a_full = run_many(scenario, 1, seeds)
    scaled, t_scaled, a_scaled = run_many(scenario, scale, seeds)
    rows = []
    for industry in full[0]:
        for metric, (kind, tol) in TOLERANCES.items():
            f = np.array([r[industry][metric] for r in full])
            s = np.array([r[industry][metric] for r in scaled])
            diff = s.mean() - f.mean()
            gap = abs(diff) / max(abs(f.mean()), 1e-12) if kind == "rel" else abs(diff)
            n = len(seeds)
            se = float(np.sqrt((f.var(ddof=1) + s.var(ddof=1)) / n)) if n > 1 else 0.0
            within_tol, within_chance = bool(gap <= tol), bool(abs(diff) <= 2 * se)
            rows.append(
                {
                    "industry": industry,
                    "metric": metric,
                    "full": float(f.mean()),
                    "scaled": float(s.mean()),
                    "full_seed_sd": float(f.std(ddof=1)) if n > 1 else 0.0,
                    "se_difference": se,
                    "difference": float(diff),
                    "tolerance": f"{tol:g} {'relative' if kind == 'rel' else 'absolute'}",
                    "within_tolerance": within_tol,
                    "within_2se": within_chance,
                    "within": within_tol or within_chance,
                }
            )
    return {
        "scenario": scenario,
        "scale": scale,
        "seeds": seeds,
        "full": {"agents": a_full, "seconds_per_run": t_full},
        "scaled": {"agents": a_scaled, "seconds_per_run": t_scaled},
        "rows": rows,
        "all_within": all(r["within"] for r in rows),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="kuzbass-1989")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--seeds", default="1,2,3,4,5,6")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    r = compare(args.scenario, args.scale, [int(x) for x in args.seeds.split(",")])
    if args.json:
        print(json.dumps(r, indent=1))
        return 0
    print(
        f"{r['scenario']}: scale 1 ({r['full']['agents']:,} "
        f"agents, {r['full']['seconds_per_run']:.1f} s a run) "
        f"vs scale {r['scale']} ({r['scaled']['agents']:,} "
        f"agents, {r['scaled']['seconds_per_run']:.1f} s a run); "
        f"seeds {r['seeds']}; seed means"
    )
    print(
        f"  {'industry':10} {'metric':24} {'scale 1':>10} "
        f"{'seed sd':>8} {'scale ' + str(r['scale']):>10} "
        f"{'difference':>11} {'2 se':>8}  tolerance"
    )
    for row in r["rows"]:
        verdict = (
            "within tolerance"
            if row["within_tolerance"]
            else "within 2 se (chance)"
            if row["within_2se"]
            else "OUTSIDE"
        )
        print(
            f"  {row['industry']:10} {row['metric']:24} "
            f"{row['full']:10.3f} {row['full_seed_sd']:8.3f} "
            f"{row['scaled']:10.3f} {row['difference']:+11.3f} {2 * row['se_difference']:8.3f}  "
            f"{row['tolerance']:14} {verdict}"
        )
    print("all within tolerance" if r["all_within"] else "some metrics OUTSIDE tolerance")
    return 0


if __name__ == "__main__":
    main()
