"""The long fuzzer: thousands of mutated scenarios through `validate` and a short `run`.

    python benchmarks/fuzz.py [--cases 2000] [--workers 2] [--seed 0]

Cases come from tests/fuzzing.py (hypothesis, generate phase only, reproducible by --seed).
Each runs in a worker process with its address space limited to 4 GB, so a memory blow-up is
a MemoryError and not a killed machine; a case over 30 s is a hang (the worker is replaced).
Prints the count of each outcome and the first examples of each bad one; exits 1 if any.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import fuzzing  # noqa: E402

LIMIT_SECONDS = 30
MEMORY_BYTES = 4 * 2**30


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def generate(n: int, at: int) -> list[dict]:
    found: list[dict] = []

    @seed(at)
    @settings(
        max_examples=n,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(fuzzing.cases())
    def collect(case: dict) -> None:
        found.append(case)

    collect()
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    t0 = time.perf_counter()
    cases: list[dict] = []
    while len(cases) < args.cases:  # hypothesis stops early when it runs out of new examples
        cases += generate(args.cases - len(cases), args.seed + len(cases))
    ctx = mp.get_context("spawn")
    counts: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    pool = ctx.Pool(args.workers, initializer=_limit_memory, maxtasksperchild=100)
    pending = [(c, pool.apply_async(fuzzing.run_case, (c, LIMIT_SECONDS))) for c in cases]
    for case, job in pending:
        try:
            outcome, detail = job.get(timeout=LIMIT_SECONDS * 4)
        except mp.TimeoutError:
            outcome, detail = "hang", "worker did not answer"
        except MemoryError:
            outcome, detail = "memory", ""
        counts[outcome] += 1
        if outcome not in ("ok", "input_error") and len(examples[outcome]) < 3:
            examples[outcome].append(f"{case['sets']} {case['extra']}: {detail[-400:]}")
    pool.terminate()
    print(f"{len(cases)} cases in {time.perf_counter() - t0:.0f} s")
    for name in ("ok", "input_error", "unhelpful", *fuzzing.BAD):
        print(f"{name:12s} {counts.get(name, 0)}")
    for name, texts in examples.items():
        for text in texts:
            print(f"  {name}: {text}")
    return 1 if any(counts.get(name, 0) for name in fuzzing.BAD) else 0


if __name__ == "__main__":
    sys.exit(main())
