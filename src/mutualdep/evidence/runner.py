"""Run the facts over seeded replications and judge them.

Facts that share a scenario (and overrides and stop date) share its runs. Each fact's metric is
averaged over the replications; the 95% interval is the t interval of the mean. A fact passes
when the mean lies inside its target interval. Runs go to a pool of spawned processes.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy import stats

from mutualdep.evidence.facts import FACTS, Fact


@dataclass
class FactResult:
    name: str
    claim: str
    scenario: str
    source: str
    low: float
    high: float
    n: int
    mean: float
    ci_low: float
    ci_high: float
    passed: bool


def _run_group(
    scenario: str, overrides: dict, until, seed: int, names: list[str]
) -> tuple[list[str], list[float]]:
    import mutualdep

    result = mutualdep.run(mutualdep.load_scenario(scenario, overrides), seed=seed, until=until)
    by_name = {f.name: f for f in FACTS}
    values = []
    for name in names:
        try:
            values.append(float(by_name[name].metric(result)))
        except (KeyError, ZeroDivisionError, IndexError):
            values.append(float("nan"))
    return names, values


def select(only: str | None = None, fast: bool = False) -> list[Fact]:
    facts = [f for f in FACTS if (not fast or f.fast) and (only is None or only in f.name)]
    return facts


def run_evidence(
    reps: int = 20,
    workers: int | None = None,
    only: str | None = None,
    fast: bool = False,
    progress: bool = True,
    facts: list[Fact] | None = None,
) -> list[FactResult]:
    """Run every selected fact over seeds 1..reps and judge it."""
    facts = facts if facts is not None else select(only, fast)
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in facts:
        groups[fact.run_key].append(fact)
    tasks = [
        (g[0].scenario, g[0].overrides, g[0].until, seed, [f.name for f in g])
        for g in groups.values()
        for seed in range(1, reps + 1)
    ]
    values: dict[str, list[float]] = defaultdict(list)
    workers = workers or min(os.cpu_count() or 1, 2)
    bar = _bar(len(tasks)) if progress else None
    for names, vals in _execute(tasks, workers):
        for name, v in zip(names, vals, strict=True):
            values[name].append(v)
        if bar is not None:
            bar[0].advance(bar[1])
    if bar is not None:
        bar[0].stop()
    return [_judge(f, values[f.name]) for f in facts]


def _execute(tasks: list[tuple], workers: int):
    """Yield each task's (names, values): in this process for one worker, else in a pool of
    spawned processes (forking a process that already runs threads can deadlock)."""
    if workers == 1:
        for task in tasks:
            yield _run_group(*task)
        return
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn")
    ) as pool:
        futures = [pool.submit(_run_group, *task) for task in tasks]
        for future in as_completed(futures):
            yield future.result()


def _judge(fact: Fact, vals: list[float]) -> FactResult:
    x = np.array(vals, float)
    finite = x[np.isfinite(x)]
    n = len(finite)
    mean = float(finite.mean()) if n else float("nan")
    if n > 1:
        half = float(stats.t.ppf(0.975, n - 1) * finite.std(ddof=1) / math.sqrt(n))
    else:
        half = float("nan")
    passed = bool(n == len(x) and n > 0 and fact.low <= mean <= fact.high)
    return FactResult(
        fact.name,
        fact.claim,
        fact.scenario,
        fact.source,
        fact.low,
        fact.high,
        n,
        mean,
        mean - half,
        mean + half,
        passed,
    )


def _bar(total: int):
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    progress = Progress(
        TextColumn("evidence"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()
    )
    task = progress.add_task("runs", total=total)
    progress.start()
    return progress, task


def fmt(x: float) -> str:
    if not math.isfinite(x):
        return "n/a"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.2f}"


def markdown(results: list[FactResult], reps: int) -> str:
    lines = [
        f"# Evidence: the model against the record ({reps} replications per fact)",
        "",
        "| fact | claim | target | model mean [95% CI] | result |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| `{r.name}` | {r.claim} ({r.source}; "
            f"`{r.scenario}`) | {fmt(r.low)} to {fmt(r.high)} "
            f"| {fmt(r.mean)} [{fmt(r.ci_low)}, {fmt(r.ci_high)}] "
            f"| {'pass' if r.passed else '**fail**'} |"
        )
    passed = sum(r.passed for r in results)
    lines += ["", f"{passed} of {len(results)} facts pass.", ""]
    return "\n".join(lines)


def write_reports(results: list[FactResult], reps: int, out: Path) -> tuple[Path, Path]:
    """Write evidence.md and evidence.json (each to a temporary name, then renamed)."""
    out.mkdir(parents=True, exist_ok=True)
    md, js = out / "evidence.md", out / "evidence.json"
    for path, text in (
        (md, markdown(results, reps)),
        (js, json.dumps({"reps": reps, "facts": [asdict(r) for r in results]}, indent=2)),
    ):
        tmp = path.with_name(f".{path.name}.partial")
        tmp.write_text(text)
        tmp.replace(path)
    return md, js
