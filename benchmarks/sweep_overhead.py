"""Sweep runner overhead and throughput on the small-town scenario (prints figures only).

    python benchmarks/sweep_overhead.py                  # both parts, about 8 minutes on 2 cores
    python benchmarks/sweep_overhead.py --big-runs 0     # only the 200-run overhead part

Part 1, overhead: a 200-run sweep of small-town (one year, 1989) with 1 worker and with 2.
"Own time" is the sum over runs of the seconds inside the model's run call, as recorded in the
catalog. Overhead = wall x workers / own time - 1: everything else the runner does (validating
and resolving scenarios, starting workers, shipping tasks and results, metrics, Parquet, DuckDB).
Target: <= 5%.

Part 2, throughput: a 1,000-run sweep of the same one-year, 10,000-worker scenario on 2 workers.
Target: under 10 minutes.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from mutualdep.experiments.sweep import run_sweep

EXPERIMENT = """
name = "{name}"
scenario = "small-town"
[[factors]]
key = "collective_action.strike_fund"
low = 0.0
high = 0.45
steps = 10
[replications]
count = {reps}
[outputs]
metrics = ["peak_share_striking:coal", "total_striking_peak:coal", "striker_days:coal",
           "days_to_spread:coal", "quits_per_1000", "quits_per_1000:<25", "mean_wait_years:housing",
           "peak_share_striking:steel"]
tables = ["enterprise_days"]
"""


def sweep(folder: Path, name: str, runs: int, workers: int) -> tuple[float, float, int]:
    """(wall seconds, summed own seconds, runs done) of one fresh sweep."""
    path = folder / f"{name}.toml"
    path.write_text(EXPERIMENT.format(name=name, reps=runs // 10))
    t0 = time.perf_counter()
    catalog = run_sweep(path, folder / name, workers=workers, progress=True)
    wall = time.perf_counter() - t0
    own, done = catalog.query(
        "SELECT sum(seconds), count(*) FILTER (WHERE status = 'done') FROM runs"
    ).row(0)
    return wall, own, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=200, help="runs in the overhead sweeps (multiple of 10)"
    )
    parser.add_argument(
        "--big-runs", type=int, default=1000, help="runs in the throughput sweep (0: skip)"
    )
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for workers in (1, 2):
            wall, own, done = sweep(folder, f"overhead-{workers}w", args.runs, workers)
            overhead = wall * workers / own - 1
            print(
                f"overhead, {done} runs, {workers} worker(s): "
                f"wall {wall:.1f} s, own time {own:.1f} s "
                f"({own / done:.3f} s a run), overhead {overhead:+.1%} (target <= 5%)"
            )
        if args.big_runs:
            wall, own, done = sweep(folder, "throughput", args.big_runs, 2)
            print(
                f"throughput, {done} runs of small-town (10,000 workers, 365 days), 2 workers: "
                f"wall {wall / 60:.2f} min (target < 10 min), {done / wall * 60:.0f} runs/min, "
                f"overhead {wall * 2 / own - 1:+.1%}"
            )


if __name__ == "__main__":
    main()
