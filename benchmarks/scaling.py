"""Scaling: the default scenario at 10k, 100k, 1M and 10M workers, on one core and on two.

    python benchmarks/scaling.py [--json] [--sizes 10k,100k,1M,10M] [--cores 1,2] [--seed 1]

Each size is kuzbass-1989 scaled with ``mutualdep.scaling.scale_world`` (enterprise counts
multiplied, or workers per enterprise shrunk below the real size) and run for its one
simulated year, every mechanism on, in a fresh process with every thread pool pinned to one
thread (OMP, OpenBLAS, MKL, polars), so that one process uses one core.

- "1 core": one such process alone.
- "2 cores": two such processes started together (seeds s and s+1), each on its own core;
  the model itself is single-threaded, so this is what two cores buy: throughput of
  independent runs (replications, sweeps), not a faster single run. Reported as the sum of
  both runs' worker-days over the longer of their day loops.

Printed per size and core count: worker-days per second (day loop), seconds per simulated
year (the whole run: start-up, day loop, tables), start-up, peak memory per worker (growth of
the process's peak resident set size, ru_maxrss, over its size before the run, divided by the
workers at the start); then the per-phase timing table of the one-core runs (seconds per
simulated year and share of the day loop, from ``engine.run(timings=...)``), like Starsim's
loop timings.
"""

from __future__ import annotations

import argparse
import json

from _bench import fmt_rate, fmt_size, machine, measure, measure_parallel, parse_size


def run(sizes: list[int], cores: list[int], seed: int) -> dict:
    out = {"machine": machine(), "seed": seed, "results": []}
    for size in sizes:
        spec = {"scenario": "kuzbass-1989", "workers": size, "seed": seed}
        for c in cores:
            runs = [measure(spec)] if c == 1 else measure_parallel(spec, c)
            loop = max(r["loop_s"] for r in runs)
            out["results"].append(
                {
                    "size": size,
                    "cores": c,
                    "workers": runs[0]["workers"],
                    "enterprises": runs[0]["enterprises"],
                    "worker_days_per_s": sum(r["worker_days"] for r in runs) / loop,
                    "worker_days_per_s_per_run": [r["worker_days_per_s"] for r in runs],
                    "seconds_per_year": max(r["total_s"] for r in runs) * 365.25 / runs[0]["days"],
                    "startup_s": max(r["startup_s"] for r in runs),
                    "cpu_s": [r["cpu_s"] for r in runs],
                    "peak_bytes_per_worker": max(r["peak_bytes_per_worker"] for r in runs),
                    "peak_rss_delta_mib": max(r["peak_rss_delta_bytes"] for r in runs) / 2**20,
                    "phases": runs[0]["phases"] if c == 1 else None,
                    "loop_s": loop,
                }
            )
    return out


def report(out: dict) -> None:
    m = out["machine"]
    print(
        f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} "
        f"GiB; Python {m['python']}, numpy {m['numpy']}"
    )
    print("kuzbass-1989 scaled, one simulated year, every mechanism on; one thread per process\n")
    print(
        f"{'workers':>8} {'cores':>5} {'worker-days/s':>14} {'s/sim-year':>11} {'start-up s':>11} "
        f"{'peak B/worker':>14} {'peak MiB':>9}"
    )
    for r in out["results"]:
        print(
            f"{fmt_size(r['size']):>8} {r['cores']:>5} {fmt_rate(r['worker_days_per_s']):>14} "
            f"{r['seconds_per_year']:11.1f} {r['startup_s']:11.2f} "
            f"{r['peak_bytes_per_worker']:14.0f} "
            f"{r['peak_rss_delta_mib']:9.0f}"
        )
    one = [r for r in out["results"] if r["cores"] == 1]
    if not one:
        return
    phases = sorted(
        {p for r in one for p in r["phases"]},
        key=lambda p: -sum(r["phases"].get(p, 0) for r in one),
    )
    print("\nper-phase timings, one core: seconds per simulated year (share of the day loop)")
    print(f"{'phase':18}" + "".join(f"{fmt_size(r['size']):>16}" for r in one))
    for p in phases:
        cells = []
        for r in one:
            sec = r["phases"].get(p, 0.0)
            total = sum(r["phases"].values())
            cells.append(f"{sec:9.2f} ({100 * sec / total:3.0f}%)")
        print(f"{p:18}" + "".join(f"{c:>16}" for c in cells))
    print(f"{'total':18}" + "".join(f"{sum(r['phases'].values()):9.2f}       " for r in one))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument("--sizes", default="10k,100k,1M,10M")
    parser.add_argument("--cores", default="1,2")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    cores = [int(c) for c in args.cores.split(",")]
    out = run(sizes, cores, args.seed)
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        report(out)


if __name__ == "__main__":
    main()
