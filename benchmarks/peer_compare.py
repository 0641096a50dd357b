"""mutualdep's core strike rules against the same rules written the ordinary way in Mesa 3.

    python benchmarks/peer_compare.py [--scenario kuzbass-1989] [--seed 1] [--days 30]
                                      [--workers N] [--repeats 5] [--json]

Both run in this one process, one thread, from the same state: the scenario's world run with
every mechanism up to the eve of its dated spark (spontaneous sparks off), then frozen except
for the core rules (see peers/state.py). For ``--days`` days from the spark, mutualdep runs its
own code (``CollectiveAction._strike_round`` then ``Spread.step``; thresholds kept between days
and renewed where their inputs change, as in every run) and Mesa runs one Agent per employed
worker (peers/mesa_strike.py) with the thresholds exported from the world. Printed: seconds per
simulated day for each, the speed ratio (target >= 200x), and the check that strikers per
enterprise per day agree (tolerance: exactly equal; the rule is deterministic given the
thresholds). For comparison, mutualdep is run a second time from a fresh eve with every
threshold computed again every day (work the Mesa peer never does).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "POLARS_MAX_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from peers.mesa_strike import StrikeModel  # noqa: E402
from peers.state import export, prepare, run_mutualdep  # noqa: E402


def compare(scenario: str, seed: int, days: int, workers: int | None, md_repeats: int = 5) -> dict:
    eve = prepare(scenario, seed, workers)
    data = export(eve, days)
    n_agents = len(data["ids"])

    t0 = time.perf_counter()
    model = StrikeModel(data, seed=seed)
    mesa_build = time.perf_counter() - t0
    mesa_traj = np.zeros((days, model.n_enterprises), np.int64)
    t0 = time.perf_counter()
    for i in range(days):
        model.step()
        mesa_traj[i] = model.strikers_by_enterprise()
    mesa_seconds = time.perf_counter() - t0

    md_traj, md_seconds = run_mutualdep(eve, days)
    # the array run takes a fraction of a second, so a burst of other work on a shared machine
    # can double it; run it again from fresh eves and keep the median (Mesa's minute-long run
    # averages such bursts out by itself)
    repeats = [md_seconds]
    for _ in range(md_repeats - 1):
        again, seconds = run_mutualdep(prepare(scenario, seed, workers), days)
        assert np.array_equal(again, md_traj), "the same eve gave another trajectory"
        repeats.append(seconds)
    md_seconds = float(np.median(repeats))
    renewing_traj, renewing_seconds = run_mutualdep(
        prepare(scenario, seed, workers), days, renew_all=True
    )
    diff = np.abs(md_traj - mesa_traj)
    return {
        "scenario": scenario,
        "seed": seed,
        "workers": n_agents,
        "enterprises": int(model.n_enterprises),
        "spark_date": str(eve.world.calendar.date(eve.spark_day)),
        "days": days,
        "prepare_s": eve.prepare_seconds,
        "mesa_build_s": mesa_build,
        "mesa_s_per_day": mesa_seconds / days,
        "mutualdep_s_per_day": md_seconds / days,
        "mutualdep_repeats_s_per_day": [x / days for x in repeats],
        "speed_ratio": mesa_seconds / md_seconds,
        "mutualdep_renew_all_s_per_day": renewing_seconds / days,
        "speed_ratio_renew_all": mesa_seconds / renewing_seconds,
        "identical": bool(
            np.array_equal(md_traj, mesa_traj) and np.array_equal(renewing_traj, mesa_traj)
        ),
        "max_abs_difference": int(diff.max()) if diff.size else 0,
        "cells_different": int((diff > 0).sum()),
        "peak_strikers": int(md_traj.sum(axis=1).max()),
        "enterprises_struck": int((md_traj.max(axis=0) > 0).sum()),
        "strikers_by_day": md_traj.sum(axis=1).tolist(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="kuzbass-1989")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument(
        "--workers", type=int, default=None, help="scale the scenario to this many workers"
    )
    parser.add_argument(
        "--repeats", type=int, default=5, help="array runs to take the median of (default 5)"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    r = compare(args.scenario, args.seed, args.days, args.workers, max(1, args.repeats))
    if args.json:
        print(json.dumps(r, indent=1))
        return 0 if r["identical"] else 1
    print(
        f"{r['scenario']} seed {r['seed']}: {r['workers']:,} "
        f"employed workers, {r['enterprises']} enterprises; "
        f"spark on {r['spark_date']}, {r['days']} days of strike and spread rules, one thread"
    )
    print(
        f"  state on the eve of the spark (mutualdep, all mechanisms): {r['prepare_s']:.1f} s; "
        f"Mesa agents built in {r['mesa_build_s']:.1f} s"
    )
    print(f"  Mesa 3 (one Agent per worker): {r['mesa_s_per_day'] * 1e3:9.1f} ms per simulated day")
    print(
        "  mutualdep (arrays):            "
        f"{r['mutualdep_s_per_day'] * 1e3:9.2f} ms per simulated day (median of "
        f"{len(r['mutualdep_repeats_s_per_day'])}: "
        + ", ".join(f"{x * 1e3:.2f}" for x in r["mutualdep_repeats_s_per_day"])
        + ")"
    )
    print(
        f"  speed ratio: {r['speed_ratio']:.0f}x (target >= 200x: "
        f"{'met' if r['speed_ratio'] >= 200 else 'NOT met'})"
    )
    print(
        f"  mutualdep with every threshold computed again every day: "
        f"{r['mutualdep_renew_all_s_per_day'] * 1e3:.2f} "
        f"ms per day, {r['speed_ratio_renew_all']:.0f}x"
    )
    print(
        f"  strikers per enterprise per day (tolerance: exactly equal): "
        f"{'identical' if r['identical'] else 'DIFFERENT'}"
        + (
            ""
            if r["identical"]
            else f" ({r['cells_different']} cells, largest gap {r['max_abs_difference']})"
        )
    )
    print(
        f"  peak strikers {r['peak_strikers']:,}; enterprises "
        f"that struck {r['enterprises_struck']}; "
        f"strikers by day: {r['strikers_by_day'][:10]} ..."
    )
    return 0 if r["identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
