"""The full model against an older commit of itself, side by side in one benchmark run.

    git worktree add /tmp/base <commit>
    python benchmarks/speed_vs_base.py /tmp/base [--workers 1M] [--rounds 2] [--seed 1]

Runs kuzbass-1989 scaled to ``--workers`` with every mechanism on, one simulated year, in fresh
one-core processes, alternating this tree's code and the old commit's (``BASE/src``) for
``--rounds`` rounds, so that both meet the same load on a shared machine. Printed: each run's
day loop and whole run in seconds, the median of each, and this tree over the old one (the
issue allows at most 1.3).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
from pathlib import Path

from _bench import _command, one_core_env, parse_size

HERE = Path(__file__).resolve().parent


def measure_with(src: Path, spec: dict) -> dict:
    env = one_core_env()
    env["PYTHONPATH"] = str(src)
    out = subprocess.run(_command(spec), env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"measuring {spec} with {src} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base", type=Path, help="a worktree of the old commit")
    ap.add_argument("--workers", default="1M")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    spec = {"scenario": "kuzbass-1989", "workers": parse_size(args.workers), "seed": args.seed}
    trees = {"base": args.base / "src", "this": HERE.parent / "src"}
    runs: dict[str, list[dict]] = {k: [] for k in trees}
    for i in range(args.rounds):
        for name, src in trees.items():
            r = measure_with(src, spec)
            runs[name].append(r)
            print(
                f"round {i + 1} {name}: {r['workers']:,} workers, day loop {r['loop_s']:.2f} s, "
                f"whole run {r['total_s']:.2f} s",
                flush=True,
            )
    med = {
        k: {f: statistics.median(r[f] for r in v) for f in ("loop_s", "total_s")}
        for k, v in runs.items()
    }
    for f in ("loop_s", "total_s"):
        ratio = med["this"][f] / med["base"][f]
        print(
            f"median {f}: base {med['base'][f]:.2f} s, this {med['this'][f]:.2f} s, "
            f"ratio {ratio:.2f} ({'within' if ratio <= 1.3 else 'OVER'} the 1.3 allowed)"
        )


if __name__ == "__main__":
    main()
