"""Sizes of strike episodes over many seeds: enterprises and workers drawn in.

    python benchmarks/strike_sizes.py [--scenario kuzbass-1989] [--seeds 20] [--set K=V ...]
                                      [--markdown FILE]

An episode is a maximal run of consecutive days on which someone in a region is on strike.
Its size is the number of enterprises that had strikers on any of its days and its peak, the
most workers (real workers) out on one day. Printed: every episode, then the distribution of
both sizes (quantiles, and the share of episodes within a factor 2 of the median).
"""

from __future__ import annotations

import argparse

import numpy as np
import polars as pl

import mutualdep
from mutualdep.scenario import parse_set


def episodes(result) -> list[dict]:
    ed = result.enterprise_days.join(
        result.enterprises.select("enterprise", "region"), on="enterprise"
    )
    out = []
    for (region,), rows in ed.group_by(["region"]):
        daily = rows.group_by("date").agg(pl.col("striking").sum()).sort("date")
        on = daily.filter(pl.col("striking") > 0)["date"].to_list()
        if not on:
            continue
        runs, start, prev = [], on[0], on[0]
        for d in on[1:]:
            if (d - prev).days > 1:
                runs.append((start, prev))
                start = d
            prev = d
        runs.append((start, prev))
        for a, b in runs:
            part = rows.filter((pl.col("date") >= a) & (pl.col("date") <= b))
            out.append(
                {
                    "region": region,
                    "start": a,
                    "days": (b - a).days + 1,
                    "enterprises": part.filter(pl.col("striking") > 0)["enterprise"].n_unique(),
                    "peak_workers": int(
                        part.group_by("date").agg(pl.col("striking").sum())["striking"].max()
                    ),
                }
            )
    return out


def summary(values: np.ndarray) -> str:
    q = np.quantile(values, [0.1, 0.25, 0.5, 0.75, 0.9])
    med = np.median(values)
    within = np.mean((values >= med / 2) & (values <= med * 2))
    return (
        f"min {values.min():,.0f}, 10/25/50/75/90% {', '.join(f'{x:,.0f}' for x in q)}, "
        f"max {values.max():,.0f}; within a factor 2 of the median: {within:.0%}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="kuzbass-1989")
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("--markdown", help="also write the episodes as a Markdown table here")
    args = ap.parse_args()
    sc = mutualdep.load_scenario(args.scenario, parse_set(args.set))
    rows = []
    for seed in range(args.seeds):
        for ep in episodes(mutualdep.run(sc, seed=seed)):
            rows.append({"seed": seed, **ep})
            print(rows[-1], flush=True)
    ents = np.array([r["enterprises"] for r in rows])
    peaks = np.array([r["peak_workers"] for r in rows])
    lines = [
        f"{len(rows)} episodes over {args.seeds} seeds of {args.scenario}",
        f"enterprises: {summary(ents)}",
        f"peak workers out: {summary(peaks)}",
        f"episodes of one enterprise: {np.mean(ents == 1):.0%}; "
        f"of 10 or more: {np.mean(ents >= 10):.0%}",
    ]
    print("\n".join(lines))
    if args.markdown:
        table = [
            "| seed | start | days | enterprises | peak workers out |",
            "| --- | --- | --- | --- | --- |",
        ]
        table += [
            f"| {r['seed']} | {r['start']} | {r['days']} | {r['enterprises']} "
            f"| {r['peak_workers']:,} |"
            for r in sorted(rows, key=lambda r: (r["seed"], r["start"]))
        ]
        with open(args.markdown, "w") as f:
            f.write("\n".join(["- " + x for x in lines] + [""] + table) + "\n")


if __name__ == "__main__":
    main()
