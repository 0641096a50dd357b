"""Day-loop speed of the live source against a reference copy, measured side by side.

    git worktree add --detach /tmp/base d4e8cf8      # the reference, e.g. before a refactor
    python benchmarks/side_by_side.py /tmp/base/src [--workers 1M] [--rounds 3] [--seed 1]

Each round runs the same case (kuzbass-1989 scaled to ``--workers``, one simulated year,
every mechanism on) once with the reference's package and once with the live one, each in a
fresh one-core process (``_measure.py``), alternating which goes first so that a drift in the
machine's load falls on both. Printed: every run's day loop (wall and CPU seconds), the
medians, and the live/reference ratio of the medians with whether it is within ``--tolerance``
(5% by default). On a shared machine the CPU-time ratio is the steadier figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from _bench import HERE, one_core_env, parse_size

LIVE = HERE.parent / "src"


def measure_with(src: Path, spec: dict) -> dict:
    env = one_core_env()
    env["PYTHONPATH"] = str(src)
    out = subprocess.run(
        [sys.executable, str(HERE / "_measure.py"), json.dumps(spec)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"measuring with {src} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path, help="folder holding the reference mutualdep")
    parser.add_argument("--workers", default="1M")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tolerance", type=float, default=0.05)
    args = parser.parse_args(argv)
    if not (args.reference / "mutualdep" / "__init__.py").is_file():
        print(f"{args.reference}: expected a folder holding the mutualdep package", file=sys.stderr)
        return 2
    spec = {"scenario": "kuzbass-1989", "workers": parse_size(args.workers), "seed": args.seed}
    sources = {"reference": args.reference.resolve(), "live": LIVE}
    runs: dict[str, list[dict]] = {"reference": [], "live": []}
    for i in range(args.rounds):
        order = ("reference", "live") if i % 2 == 0 else ("live", "reference")
        for name in order:
            r = measure_with(sources[name], spec)
            runs[name].append(r)
            print(
                f"round {i + 1} {name:9}: day loop {r['loop_s']:7.2f} s wall, "
                f"{r['loop_cpu_s']:7.2f} s CPU ({r['workers']:,} workers, {r['days']} days)",
                flush=True,
            )
    print(f"\nreference: {sources['reference']}\nlive:      {sources['live']}")
    ok = True
    for key, label in (("loop_s", "wall"), ("loop_cpu_s", "CPU")):
        ref = statistics.median(r[key] for r in runs["reference"])
        live = statistics.median(r[key] for r in runs["live"])
        ratio = live / ref
        within = abs(ratio - 1) <= args.tolerance
        ok &= within or key == "loop_s"
        print(
            f"median day loop ({label}): reference {ref:.2f} s, live {live:.2f} s, "
            f"live/reference {ratio:.3f} ({'within' if within else 'NOT within'} "
            f"{args.tolerance:.0%})"
        )
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
