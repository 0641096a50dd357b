"""Robustness of the coal-steel contrast over the model's assumptions: Morris screening over
every assumption, then Sobol indices over the ones that matter most.

The space: every number of the scenario tagged "assumption" in its provenance sidecar, plus
the documented schema defaults of the behaviour sections the file does not set (which the
scenario pages call assumptions). Numbers are grouped (an industry's parameter over its shops,
one tag's pattern over the towns ...) and each group is scaled by one multiplier in
[1 - SPREAD, 1 + SPREAD]; a group that is invalid above 1 (shares) is capped at 1, integers
are rounded.
Sizes (workers, counts) and the shares that must sum to one are left out: the thesis table
varies size on purpose.

The contrast holds at a point when the miners strike (peak share out at least 0.3) and no
steel plant does (no plant over 5% out on any day); the Morris and Sobol indices are of the
margin, the miners' peak share minus the largest steel plant's.

    python -m mutualdep.evidence.robustness --trajectories 4 --sobol-n 32 --out docs/robustness.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

from mutualdep import provenance
from mutualdep.errors import InputError
from mutualdep.evidence.facts import JULY_1989, Fact, peak_share, steel_plantwide_share
from mutualdep.evidence.runner import fmt, pct, run_evidence, wilson
from mutualdep.scenario import load_scenario

SCENARIO = "kuzbass-1989"
SPREAD = 0.5
COAL_STRIKES = 0.3
STEEL_QUIET = 0.05
DEFAULT_SECTIONS = ("collective_action", "management", "distribution", "spread", "state")


def _group(path: str, pattern: str) -> str | None:
    parts = path.split(".")
    sizes = parts[0] == "enterprises" and parts[-1] in ("workers", "count")
    if sizes or parts[-1] == "share" or "occupations" in parts[2:]:
        return None
    if parts[0] == "industries":
        if parts[2] == "shops":
            return f"industries.{parts[1]}.shops.*.{parts[-1]}"
        if parts[2] == "social":
            return f"industries.{parts[1]}.social.*"
        return path
    return pattern


def space(scale: int) -> dict[str, dict[str, float]]:
    """group -> {override key: base value}."""
    data = provenance.raw(SCENARIO)
    groups: dict[str, dict[str, float]] = {}
    for path, (value, tag) in provenance.table(SCENARIO).items():
        group = _group(path, tag.pattern) if tag.kind == "assumption" else None
        if group is not None and value:
            groups.setdefault(group, {})[provenance.override_key(data, path)] = value
    sc = load_scenario(SCENARIO, {"scale": scale} if scale > 1 else {})
    for section in DEFAULT_SECTIONS:
        for key, value in getattr(sc, section).model_dump().items():
            dotted = f"{section}.{key}"
            set_in_file = key in data.get(section, {})
            if isinstance(value, int | float) and not isinstance(value, bool) and value:
                if not set_in_file:
                    groups[f"default {dotted}"] = {dotted: value}
    return groups


def overrides(
    groups: dict[str, dict[str, float]], multipliers: dict[str, float], capped: set[str]
) -> dict:
    out: dict[str, Any] = {}
    for group, m in multipliers.items():
        for key, base in groups[group].items():
            v = base * m
            if group in capped and base <= 1:
                v = min(v, 1.0)
            out[key] = max(1, round(v)) if isinstance(base, int) and base >= 1 else float(v)
    return out


def _valid(over: dict[str, Any]) -> bool:
    try:
        load_scenario(SCENARIO, over)
    except InputError:
        return False
    return True


def valid_groups(
    groups: dict[str, dict[str, float]], scale: int
) -> tuple[list[str], set[str], list[str]]:
    """Groups whose range gives valid scenarios; those that must be capped at 1 (shares, found
    by trying the top of the range uncapped); those left out as invalid even so."""
    ok, capped, bad = [], set(), []
    for g in groups:
        if not _valid({**overrides(groups, {g: 1 + SPREAD}, set()), "scale": scale}):
            capped.add(g)
        ends = [overrides(groups, {g: m}, capped) for m in (1 - SPREAD, 1 + SPREAD)]
        (ok if all(_valid({**e, "scale": scale}) for e in ends) else bad).append(g)
    return ok, capped, bad


def _facts(
    label: str, multipliers: dict[str, float], groups: dict, capped: set[str], scale: int
) -> list[Fact]:
    over = {**overrides(groups, multipliers, capped), "scale": scale}
    common = dict(kind="check", mechanism="decision", share=True, overrides=over, until=JULY_1989)
    return [
        Fact(
            f"{label} coal",
            "miners' peak share out",
            SCENARIO,
            lambda r: peak_share(r, "coal"),
            COAL_STRIKES,
            1.0,
            "robustness",
            metric_name="peak_share_striking:coal",
            **common,
        ),
        Fact(
            f"{label} steel",
            "largest steel plant's peak share out",
            SCENARIO,
            steel_plantwide_share,
            0.0,
            STEEL_QUIET,
            "robustness",
            metric_name="fact:steel.no_plantwide_strike",
            **common,
        ),
    ]


def evaluate(
    x: np.ndarray,
    names: list[str],
    groups: dict,
    capped: set[str],
    scale: int,
    workers: int,
    runs: Path | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Margins and contrast-holds flags of each row of multipliers (seed 1)."""
    facts = []
    for i, row in enumerate(x):
        multipliers = dict(zip(names, row, strict=True))
        facts += _facts(f"point {i}", multipliers, groups, capped, scale)
    results = {r.name: r for r in run_evidence(1, workers, facts=facts, runs_dir=runs)}
    coal = np.array([results[f"point {i} coal"].mean for i in range(len(x))])
    steel = np.array([results[f"point {i} steel"].mean for i in range(len(x))])
    return coal - steel, (coal >= COAL_STRIKES) & (steel <= STEEL_QUIET)


def _share(flags: np.ndarray) -> str:
    lo, hi = wilson(int(flags.sum()), len(flags))
    return f"{pct(flags.mean())} of {len(flags)} points [{pct(lo)}, {pct(hi)}]"


def main(argv: list[str] | None = None) -> None:
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trajectories", type=int, default=4, help="Morris trajectories")
    parser.add_argument("--sobol-n", type=int, default=32, help="Sobol base sample (power of 2)")
    parser.add_argument("--top", type=int, default=6, help="factors kept for Sobol")
    parser.add_argument("--scale", type=int, default=10, help="workers per agent")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("docs/robustness.md"))
    parser.add_argument("--runs", type=Path, default=None, help="folder for the two catalogs")
    args = parser.parse_args(argv)
    runs = (lambda s: args.runs / s) if args.runs else (lambda s: None)

    groups = space(args.scale)
    names, capped, left_out = valid_groups(groups, args.scale)
    problem = {
        "num_vars": len(names),
        "names": names,
        "bounds": [[1 - SPREAD, 1 + SPREAD]] * len(names),
    }
    xm = morris_sample.sample(problem, args.trajectories, num_levels=4, seed=1)
    margin_m, holds_m = evaluate(
        xm, names, groups, capped, args.scale, args.workers, runs("morris")
    )
    mi = morris_analyze.analyze(problem, xm, margin_m, num_levels=4, seed=1)
    order = np.argsort(-np.asarray(mi["mu_star"]))
    top = [names[i] for i in order[: args.top]]

    sub = {"num_vars": len(top), "names": top, "bounds": [[1 - SPREAD, 1 + SPREAD]] * len(top)}
    xs = sobol_sample.sample(sub, args.sobol_n, calc_second_order=False, seed=1)
    margin_s, holds_s = evaluate(xs, top, groups, capped, args.scale, args.workers, runs("sobol"))
    si = sobol_analyze.analyze(sub, margin_s, calc_second_order=False, seed=1)

    command = "python -m mutualdep.evidence.robustness " + " ".join(argv or sys.argv[1:])
    lines = [
        "# Robustness of the coal-steel contrast over the assumptions",
        "",
        f"Made by `{command}` on {dt.date.today().isoformat()}: `{SCENARIO}` to 15 August 1989, "
        f"one agent per {args.scale} workers, seed 1 at every point.",
        "",
        f"The space: {len(names)} groups of numbers marked *assumption* (provenance sidecar of "
        f"`{SCENARIO}`, and the schema defaults of {', '.join(DEFAULT_SECTIONS)} that the file "
        f"does not set), each scaled by a multiplier in [{1 - SPREAD}, {1 + SPREAD}] (shares "
        f"capped at 1: {len(capped)} groups). Sizes and the mixes that sum to one are left out; "
        f"groups whose range gives an invalid scenario: {', '.join(left_out) or 'none'}.",
        "",
        f"The contrast holds at a point when the miners strike (peak share out >= "
        f"{pct(COAL_STRIKES)}) and no steel plant has more than {pct(STEEL_QUIET)} out. "
        "Indices are of the margin: the miners' peak share minus the largest steel plant's.",
        "",
        "## Where the contrast holds",
        "",
        f"- Morris sample (all {len(names)} groups varied; {args.trajectories} trajectories): "
        f"{_share(holds_m)}",
        f"- Sobol sample (the top {len(top)} varied, the rest at their values): {_share(holds_s)}",
        "",
        f"## Morris screening (the {min(15, len(names))} largest mu*)",
        "",
        "| assumption group | mu* [95% CI half-width] | mu | sigma |",
        "| --- | --- | --- | --- |",
    ]
    for i in order[:15]:
        lines.append(
            f"| `{names[i]}` | {fmt(mi['mu_star'][i])} [{fmt(mi['mu_star_conf'][i])}] "
            f"| {fmt(mi['mu'][i])} | {fmt(mi['sigma'][i])} |"
        )
    lines += [
        "",
        f"## Sobol indices of the margin over the top {len(top)} (N = {args.sobol_n}, "
        f"{len(xs)} runs)",
        "",
        "| assumption group | S1 [95% CI half-width] | ST [95% CI half-width] "
        "| contrast holds: multiplier < 1 / > 1 |",
        "| --- | --- | --- | --- |",
    ]
    for j, name in enumerate(top):
        low, high = xs[:, j] < 1, xs[:, j] >= 1
        lines.append(
            f"| `{name}` | {fmt(si['S1'][j])} [{fmt(si['S1_conf'][j])}] "
            f"| {fmt(si['ST'][j])} [{fmt(si['ST_conf'][j])}] "
            f"| {pct(holds_s[low].mean()) if low.any() else 'n/a'} / "
            f"{pct(holds_s[high].mean()) if high.any() else 'n/a'} |"
        )
    lines.append("")
    if not math.isfinite(float(np.nanmax(margin_s))):
        lines.append("Some Sobol points could not be measured.")
    args.out.write_text("\n".join(lines) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    from mutualdep.cli import exit_on_input_error

    exit_on_input_error(main)
