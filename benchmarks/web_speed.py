"""How fast the web app's model side is: one simulated day of kuzbass-1989 at scale 10 with the
snapshot the page draws (target under 100 ms), and a full year at full size with live progress
(target under 20 s). Prints figures; asserts nothing.

    PYTHONPATH=src python benchmarks/web_speed.py
"""

from __future__ import annotations

import time

import numpy as np

import mutualdep
from mutualdep.web.live import snapshot


def main() -> None:
    sim = mutualdep.Simulation(mutualdep.load_scenario("kuzbass-1989", {"scale": 10}), 0)
    per_day = []
    while not sim.done:
        t = time.perf_counter()
        sim.step(1)
        snapshot(sim)
        per_day.append(time.perf_counter() - t)
    ms = 1000 * np.array(per_day)
    wave = ms[190:200]  # 10-19 July, the busiest days
    print(
        f"kuzbass-1989 scale=10: one day + snapshot: median {np.median(ms):.1f} ms, "
        f"95th percentile {np.percentile(ms, 95):.1f} ms, max {ms.max():.1f} ms, "
        f"July wave mean {wave.mean():.1f} ms (target < 100 ms)"
    )
    sc = mutualdep.load_scenario("kuzbass-1989")
    t0 = time.perf_counter()
    sim = mutualdep.Simulation(sc, 0)
    frames = 0
    while not sim.done:
        sim.step(7)  # a frame a week, as the page plays with 7 days per frame
        snap = snapshot(sim)
        frames += 1
        if frames % 13 == 0:
            print(f"  {snap.date}: {snap.striking:,} of {snap.employed:,} on strike", flush=True)
    total = time.perf_counter() - t0
    print(
        f"kuzbass-1989 full size ({sc.total_workers():,} workers): a year with a snapshot a "
        f"week in {total:.1f} s (target < 20 s)"
    )


if __name__ == "__main__":
    main()
