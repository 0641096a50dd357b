"""Throughput of one simulated year: the default scenario, and 1M workers with every mechanism on.

    python benchmarks/throughput.py [--json] [--seed 1] [--workers 1M]

Each case runs in a fresh process with every thread pool pinned to one thread (one core).
Printed per case: start-up (world build, shared state, mechanism set-up), the day loop, table
building and the whole run; worker-days per second of the day loop (and of the whole run);
peak memory per worker, measured as the growth of the process's peak resident set size
(``ru_maxrss``) over its resident set just before the run, divided by the workers at the start
(so it counts the worker columns, every temporary of the day loop, the recorder and the final
tables; it does not count the interpreter and the imported libraries). Then the performance targets,
each marked met or not.
"""

from __future__ import annotations

import argparse
import json

from _bench import fmt_rate, machine, measure, parse_size

TARGETS = (
    # (label, case, figure, comparison, limit)
    ("default scenario, one year < 15 s", "default", "total_s", "<", 15),
    (
        ">= 20M worker-days/s on one core at 1M, every mechanism on",
        "1M",
        "worker_days_per_s",
        ">=",
        20e6,
    ),
    ("<= 300 bytes/worker peak (1M)", "1M", "peak_bytes_per_worker", "<=", 300),
    ("start-up < 10 s at 1M", "1M", "startup_s", "<", 10),
)


def run_cases(seed: int, workers: int) -> dict[str, dict]:
    cases = {
        "default": {"scenario": "kuzbass-1989", "seed": seed},
        "1M": {"scenario": "kuzbass-1989", "workers": workers, "seed": seed},
    }
    return {name: measure(spec) for name, spec in cases.items()}


def check_targets(results: dict[str, dict]) -> list[dict]:
    out = []
    for label, case, key, op, limit in TARGETS:
        value = results[case][key]
        met = value < limit if op == "<" else value <= limit if op == "<=" else value >= limit
        out.append({"target": label, "value": value, "met": bool(met)})
    return out


def report(results: dict[str, dict], targets: list[dict]) -> None:
    m = machine()
    print(
        f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; Python {m['python']}, "
        f"numpy {m['numpy']}; one core (thread pools pinned to 1)"
    )
    for name, r in results.items():
        print(
            f"\n{name}: {r['scenario']}, {r['workers']:,} workers, {r['enterprises']} enterprises, "
            f"{r['days']} days; mechanisms on: {len(r['mechanisms_on'])}/11"
        )
        print(f"  start-up            {r['startup_s']:8.2f} s")
        print(f"  day loop            {r['loop_s']:8.2f} s")
        print(f"  tables              {r['tables_s']:8.2f} s")
        print(f"  one simulated year  {r['total_s']:8.2f} s (whole run)")
        print(
            f"  worker-days/s       {fmt_rate(r['worker_days_per_s']):>8} (day loop); "
            f"{fmt_rate(r['worker_days_per_s_total'])} (whole run)"
        )
        print(
            f"  peak memory         {r['peak_bytes_per_worker']:8.0f} bytes/worker "
            f"(ru_maxrss growth {r['peak_rss_delta_bytes'] / 2**20:.0f} MiB)"
        )
    print("\ntargets:")
    for t in targets:
        v = t["value"]
        shown = fmt_rate(v) + " wd/s" if v > 1e5 else f"{v:.1f}"
        print(f"  [{'met' if t['met'] else 'NOT met'}] {t['target']}: {shown}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", default="1M", help="size of the large case (default 1M)")
    args = parser.parse_args(argv)
    results = run_cases(args.seed, parse_size(args.workers))
    targets = check_targets(results)
    if args.json:
        print(json.dumps({"machine": machine(), "results": results, "targets": targets}, indent=1))
    else:
        report(results, targets)


if __name__ == "__main__":
    main()
