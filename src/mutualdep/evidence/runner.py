"""Run the facts over seeded replications and judge them seed by seed.

Facts that share a scenario (and overrides and stop date) share its runs. The runs go through
the experiment machinery: each is a `RunTask` whose metrics are the facts' (``fact:NAME``),
executed by the sweeps' executors and recorded in an experiment catalog, so an interrupted
`mutualdep evidence` resumes where it stopped and its runs can be queried like a sweep's.

A fact passes when at least PASS_SHARE of its seeds fall inside the target; a seed that could
not be measured (NaN) counts as outside. The mean is shown with its t interval (clipped to
[0, 1] for shares) and the share inside with its Wilson interval. A fact whose seeds split
into two clumps is flagged bimodal: the mean of such a fact describes no seed.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy import stats

from mutualdep.errors import InputError
from mutualdep.evidence.facts import FACTS, KINDS, Fact
from mutualdep.experiments.catalog import Catalog, PlannedRun
from mutualdep.experiments.executors import LocalPool
from mutualdep.experiments.models import MutualdepModel
from mutualdep.experiments.progress import RunProgress
from mutualdep.experiments.runs import RunTask, execute
from mutualdep.experiments.sweep import execute_runs, fingerprint
from mutualdep.outputs import write_files

PASS_SHARE = 0.8
# Bimodal: with at least BIMODAL_MIN_SEEDS seeds, the widest gap between neighbouring sorted
# values spans more than half their range and leaves more than a fifth of the seeds each side.
BIMODAL_MIN_SEEDS = 5


@dataclass
class FactResult:
    name: str
    kind: str
    mechanism: str
    claim: str
    scenario: str
    source: str
    low: float
    high: float
    n: int
    values: list[float]
    inside: float
    inside_low: float
    inside_high: float
    mean: float
    ci_low: float
    ci_high: float
    bimodal: bool
    bimodality_coefficient: float
    passed: bool


def select(only: str | None = None, fast: bool = False) -> list[Fact]:
    return [f for f in FACTS if (not fast or f.fast) and (only is None or only in f.name)]


def plan_runs(
    facts: list[Fact], reps: int
) -> tuple[list[list[Fact]], list[dict], list[PlannedRun], list[RunTask]]:
    """Groups of facts sharing runs (one point each), the points, planned runs and their
    tasks, seeds 1..reps."""
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in facts:
        groups[fact.run_key].append(fact)
    model = MutualdepModel()
    points, runs, tasks = [], [], []
    for p, group in enumerate(groups.values()):
        first = group[0]
        scenario = model.resolve(first.scenario, first.overrides, Path.cwd())
        points.append(
            {
                "scenario": first.scenario,
                "overrides": json.dumps(first.run_key[1]),
                "until": str(first.until),
            }
        )
        metrics = tuple(dict.fromkeys(f.metric_name for f in group))
        for r in range(reps):
            run = PlannedRun(p * reps + r, p, r, r + 1)
            runs.append(run)
            tasks.append(
                RunTask(run.run_id, "mutualdep", scenario, run.seed, first.until, metrics, ())
            )
    return list(groups.values()), points, runs, tasks


def run_evidence(
    reps: int = 20,
    workers: int | None = None,
    only: str | None = None,
    fast: bool = False,
    progress: bool = True,
    facts: list[Fact] | None = None,
    runs_dir: Path | None = None,
) -> list[FactResult]:
    """Run (or resume) every selected fact over seeds 1..reps and judge it.

    The catalog goes to `runs_dir` (default runs/evidence-<fingerprint>, so the same command
    resumes and a different selection starts its own folder).
    """
    facts = facts if facts is not None else select(only, fast)
    groups, points, runs, tasks = plan_runs(facts, reps)
    spec = {"reps": reps, "facts": [f.name for f in facts]}
    fp = fingerprint(spec, [t.scenario for t in tasks[::reps]])
    folder = runs_dir if runs_dir is not None else Path("runs") / f"evidence-{fp[:12]}"
    if (folder / "catalog.duckdb").exists() and Catalog.open(folder).info()["fingerprint"] != fp:
        raise InputError(
            f"--runs {folder}: holds the runs of another selection of facts, --reps or "
            "scenario files; give another folder (or none, for one named by the selection)"
        )
    catalog = Catalog.open_or_create(
        folder,
        name="evidence",
        kind="evidence",
        spec=spec,
        fingerprint=fp,
        columns={"scenario": "VARCHAR", "overrides": "VARCHAR", "until": "VARCHAR"},
        metrics=list(dict.fromkeys(f.metric_name for f in facts)),
        tables=[],
        points=points,
        runs=runs,
    )
    pending = set(catalog.pending())
    todo = [t for t in tasks if t.run_id in pending]
    with RunProgress(progress, "evidence", len(tasks), len(tasks) - len(todo)) as bar:
        if workers == 1:  # in this process: what the tests and a debugger want
            for task in todo:
                catalog.record([execute(task)])
                bar.advance()
        elif todo:
            with LocalPool(workers or 2) as pool:
                execute_runs(catalog, pool, todo, lambda _: bar.advance())
    failed = catalog.query("SELECT run_id, error FROM runs WHERE status <> 'done'")
    if len(failed):
        raise RuntimeError(
            f"{len(failed)} evidence run(s) failed, e.g. run {failed['run_id'][0]}: "
            f"{failed['error'][0]} (catalog {catalog.folder})"
        )
    values = catalog.query(
        "SELECT r.point, m.metric, m.value FROM runs r JOIN metrics m USING (run_id) "
        "ORDER BY r.point, r.seed"
    )
    by_metric: dict[tuple[int, str], list[float]] = defaultdict(list)
    for point, metric, value in values.iter_rows():
        by_metric[point, metric].append(math.nan if value is None else float(value))
    point_of = {f.name: p for p, group in enumerate(groups) for f in group}
    return [judge(f, by_metric[point_of[f.name], f.metric_name]) for f in facts]


def wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """The Wilson score interval of a share k/n (always inside [0, 1])."""
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def sarle(x: np.ndarray) -> float:
    """Sarle's bimodality coefficient (sample skewness and excess kurtosis); above 5/9 hints at
    two modes. NaN for fewer than four values or no spread."""
    n = len(x)
    if n < 4 or np.ptp(x) == 0:
        return math.nan
    g = stats.skew(x, bias=False)
    k = stats.kurtosis(x, bias=False)
    return float((g * g + 1) / (k + 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))))


def is_bimodal(x: np.ndarray) -> bool:
    """Two clumps: the widest gap between sorted neighbours spans over half the range, with at
    more than a fifth of the seeds on each side."""
    n = len(x)
    if n < BIMODAL_MIN_SEEDS or np.ptp(x) == 0:
        return False
    s = np.sort(x)
    gaps = np.diff(s)
    i = int(gaps.argmax())
    return bool(gaps[i] > 0.5 * np.ptp(s) and min(i + 1, n - i - 1) > 0.2 * n)


def judge(fact: Fact, vals: list[float]) -> FactResult:
    x = np.array(vals, float)
    finite = x[np.isfinite(x)]
    n = len(finite)
    k = int(((finite >= fact.low) & (finite <= fact.high)).sum())
    inside = k / len(x) if len(x) else math.nan
    mean = float(finite.mean()) if n else math.nan
    half = (
        float(stats.t.ppf(0.975, n - 1) * finite.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan
    )
    ci_low, ci_high = mean - half, mean + half
    if fact.share:
        ci_low, ci_high = max(ci_low, 0.0), min(ci_high, 1.0)
    return FactResult(
        name=fact.name,
        kind=fact.kind,
        mechanism=fact.mechanism,
        claim=fact.claim,
        scenario=fact.scenario,
        source=fact.source,
        low=fact.low,
        high=fact.high,
        n=n,
        values=[float(v) for v in x],
        inside=inside,
        inside_low=wilson(k, len(x))[0],
        inside_high=wilson(k, len(x))[1],
        mean=mean,
        ci_low=ci_low,
        ci_high=ci_high,
        bimodal=is_bimodal(finite),
        bimodality_coefficient=sarle(finite),
        passed=bool(len(x) > 0 and inside >= PASS_SHARE),
    )


def fmt(x: float) -> str:
    if not math.isfinite(x):
        return "n/a"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.2f}"


# What the start of each report file says, so that a rerun replaces only its own files.
SIGNATURES = {"evidence.md": "# Evidence: the model against the record", "evidence.json": '"facts"'}


def pct(x: float) -> str:
    return "n/a" if not math.isfinite(x) else f"{100 * x:.0f}%"


KIND_TITLES = {
    "calibration": "Calibration targets (fitted: a pass shows the fit, not the model)",
    "validation": "Validation facts (targeted by no calibration: the out-of-sample evidence)",
    "check": "Checks (inputs passed through, and the thesis's counterfactuals)",
}


def markdown(results: list[FactResult], reps: int) -> str:
    lines = [
        f"# Evidence: the model against the record ({reps} replications per fact)",
        "",
        f"A fact passes when at least {pct(PASS_SHARE)} of its seeds fall inside the target "
        "(a seed that cannot be measured counts as outside). Beside that share: its 95% Wilson "
        "interval, the mean over seeds with its 95% t interval (clipped to [0, 1] for shares), "
        "and a flag when the seeds split into two clumps (the mean then describes no seed).",
    ]
    for kind in KINDS:
        rows = [r for r in results if r.kind == kind]
        if not rows:
            continue
        lines += [
            "",
            f"## {KIND_TITLES[kind]}",
            "",
            "| fact | claim | target | seeds inside [95% CI] | mean [95% CI] | bimodal | result |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in rows:
            lines.append(
                f"| `{r.name}` | {r.claim} ({r.source}; `{r.scenario}`; {r.mechanism}) "
                f"| {fmt(r.low)} to {fmt(r.high)} "
                f"| {pct(r.inside)} of {len(r.values)} [{pct(r.inside_low)}, {pct(r.inside_high)}] "
                f"| {fmt(r.mean)} [{fmt(r.ci_low)}, {fmt(r.ci_high)}] "
                f"| {'**yes**' if r.bimodal else 'no'} | {'pass' if r.passed else '**fail**'} |"
            )
        passed = sum(r.passed for r in rows)
        lines += ["", f"{passed} of {len(rows)} {kind} facts pass."]
    return "\n".join(lines) + "\n"


def _json_safe(x):
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, list):
        return [_json_safe(v) for v in x]
    return x


def write_reports(results: list[FactResult], reps: int, out: Path) -> tuple[Path, Path]:
    """Write evidence.md and evidence.json into the folder ``out`` (which may hold other
    files), replacing only earlier evidence files."""
    facts = [{k: _json_safe(v) for k, v in asdict(r).items()} for r in results]
    folder = write_files(
        out,
        {
            "evidence.md": markdown(results, reps),
            "evidence.json": json.dumps(
                {"reps": reps, "pass_share": PASS_SHARE, "facts": facts}, indent=2
            ),
        },
        SIGNATURES,
    )
    return folder / "evidence.md", folder / "evidence.json"
