"""Measure one run in this process and print one JSON line (used by the benchmark scripts).

    python benchmarks/_measure.py '{"scenario": "kuzbass-1989", "workers": 1000000, "seed": 1}'

Run it in a fresh process (the scripts do) so that the peak-memory figure is this run's alone,
and set the thread variables (OMP_NUM_THREADS ...) in its environment before it starts.

Figures:

- ``startup_s``: world build, shared state, mechanism set-up and recorder (the Simulation's
  ``build_seconds``);
- ``loop_s``: the day loop (``Simulation.run``); ``tables_s``: turning the recorder's arrays
  into polars tables (``Simulation.result``); ``total_s``: the three together; ``cpu_s``: the
  process's CPU time over them, ``loop_cpu_s`` over the day loop alone (checks on wall times
  when the machine is shared);
- ``worker_days``: employed workers summed over the simulated days (the run's ``worker_days``);
  ``worker_days_per_s``: worker_days / loop_s; ``worker_days_per_s_total``: / total_s;
- ``peak_rss_delta_bytes``: the process's peak resident set size (``ru_maxrss``) at the end,
  less the resident set size just before the run started (after imports and scenario loading);
  ``peak_bytes_per_worker``: that delta over the workers at the start;
- ``phases``: seconds per phase (``Simulation.run(timings=...)``), plus ``record``.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time


def current_rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def measure(spec: dict) -> dict:
    import mutualdep
    from mutualdep.scaling import scale_world

    scenario = mutualdep.load_scenario(
        spec.get("scenario", "kuzbass-1989"), spec.get("overrides") or None
    )
    if spec.get("workers"):
        scenario = scale_world(scenario, workers=int(spec["workers"]))
    sections = (
        "production",
        "money",
        "pay",
        "distribution",
        "labour_market",
        "grievance",
        "collective_action",
        "spread",
        "management",
        "state",
        "reforms",
    )
    enabled = [name for name in sections if getattr(scenario, name).enabled]
    rss0 = current_rss()
    timings: dict[str, float] = {}
    t0, c0 = time.perf_counter(), time.process_time()
    sim = mutualdep.Simulation(scenario, seed=int(spec.get("seed", 1)))
    c1 = time.process_time()
    sim.run(timings=timings)
    loop_cpu = time.process_time() - c1
    result = sim.result()
    total, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    info = result.info
    loop = info["wall_seconds"] - info["build_seconds"]
    workers = info["workers_start"]
    return {
        "scenario": scenario.name,
        "workers": workers,
        "agents": info.get("agents_start", workers),
        "days": info["days"],
        "enterprises": len(result.enterprises),
        "mechanisms_on": enabled,
        "startup_s": info["build_seconds"],
        "loop_s": loop,
        "tables_s": total - info["wall_seconds"],
        "total_s": total,
        "cpu_s": cpu,
        "loop_cpu_s": loop_cpu,
        "worker_days": info["worker_days"],
        "worker_days_per_s": info["worker_days"] / loop,
        "worker_days_per_s_total": info["worker_days"] / total,
        "peak_rss_delta_bytes": peak - rss0,
        "peak_bytes_per_worker": (peak - rss0) / workers,
        "phases": timings,
        "threads": {k: os.environ.get(k) for k in THREAD_VARS},
    }


THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "POLARS_MAX_THREADS")


if __name__ == "__main__":
    print(json.dumps(measure(json.loads(sys.argv[1]))))
