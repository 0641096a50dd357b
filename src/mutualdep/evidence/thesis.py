"""The thesis as a decomposition: what keeps steel quiet, channel by channel, and what moves
the miners.

Each channel is one arrangement in which the steel plants differ from the mines. "Off" gives
the steel plants the mines' arrangement in that channel; "alone" gives them the mines'
arrangement in every channel but that one. For the miners, a channel "on" gives the mines
the steel plants' arrangement in it. Every configuration runs over the same seeds through the
evidence runner (catalog, executors, verdicts per seed).

    python -m mutualdep.evidence.thesis --reps 5 --scale 10 --out docs/thesis.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mutualdep.evidence.facts import JULY_1989, Fact, peak_share, steel_plantwide_share
from mutualdep.evidence.runner import FactResult, fmt, pct, run_evidence
from mutualdep.scenario import load_scenario

SCENARIO = "kuzbass-1989"
STRIKES = 0.3  # a plant "strikes" when this share of its workers is out on one day
LIST_KINDS = ("housing", "car", "voucher", "daycare")


def _industry(sc: Any, name: str) -> Any:
    return sc.industries[name]


def _places(donor: Any, target: str) -> dict[str, Any]:
    out = {f"industries.{target}.social.{k}": getattr(donor.social, k) for k in LIST_KINDS}
    out[f"industries.{target}.privileged_occupations"] = list(donor.privileged_occupations)
    return out


def _size(sc: Any, donor: str, target: str) -> dict[str, Any]:
    """Management capacity and brigades as the donor's; the target's big enterprises split into
    units of the donor's mean size (so one boss faces a donor-sized workforce)."""
    d = _industry(sc, donor)
    out: dict[str, Any] = {
        f"industries.{target}.management_capacity": d.management_capacity,
        f"industries.{target}.brigade_size": d.brigade_size,
    }
    donor_sizes = [e.workers for e in sc.enterprises if e.industry == donor]
    unit = round(sum(donor_sizes) / len(donor_sizes))
    for i, e in enumerate(sc.enterprises):
        if e.industry == target:
            n = max(1, round(e.workers * e.count / unit))
            out[f"enterprises.{i}.workers"] = round(e.workers * e.count / n)
            out[f"enterprises.{i}.count"] = n
            for j, spark in enumerate(sc.sparks):  # a line merged into one keeps its sparks
                if n == 1 < e.count and spark.enterprise.startswith(f"{e.name} "):
                    out[f"sparks.{j}.enterprise"] = e.name
    return out


def _pay(sc: Any, donor: str, target: str) -> dict[str, Any]:
    """The target's own trades paid at the donor's rates, best-paid to best-paid."""

    def trades(industry: str) -> list[tuple[int, Any]]:
        names = {o for shop in _industry(sc, industry).shops for o in shop.occupations} - {
            o
            for other in sc.industries
            if other != industry
            for shop in _industry(sc, other).shops
            for o in shop.occupations
        }
        return sorted(
            ((i, o) for i, o in enumerate(sc.occupations) if o.name in names),
            key=lambda io: -io[1].base_wage,
        )

    rates = [o.base_wage for _, o in trades(donor)]
    return {
        f"occupations.{i}.base_wage": rates[min(k, len(rates) - 1)]
        for k, (i, _) in enumerate(trades(target))
    }


def channels(sc: Any, donor: str, target: str) -> dict[str, dict[str, Any]]:
    """Overrides giving `target`'s enterprises `donor`'s arrangement, one channel at a time."""
    d = _industry(sc, donor)
    sanctions = {"collective_action.sanction": 0.0, "management.threat": 0.0}
    return {
        "places in line": _places(d, target),
        "goods": {f"industries.{target}.social.goods": d.social.goods},
        "sanctions": sanctions if donor == "coal" else {},
        "team trust": {f"industries.{target}.team_trust": d.team_trust},
        "plant and management size": _size(sc, donor, target),
        "pay": _pay(sc, donor, target),
    }


def _fact(name: str, metric: Callable, metric_name: str, overrides: dict, scale: int) -> Fact:
    return Fact(
        name,
        name,
        SCENARIO,
        metric,
        STRIKES,
        1.0,
        "the thesis (decomposition)",
        kind="check",
        mechanism="decision",
        share=True,
        overrides={**overrides, "scale": scale} if scale > 1 else overrides,
        until=JULY_1989,
        metric_name=metric_name,
    )


def configurations(scale: int) -> list[Fact]:
    sc = load_scenario(SCENARIO)
    to_steel = {k: v for k, v in channels(sc, "coal", "steel").items() if v}
    to_coal = {k: v for k, v in channels(sc, "steel", "coal").items() if v}
    steel = ("fact:steel.no_plantwide_strike", steel_plantwide_share)
    coal = ("peak_share_striking:coal", lambda r: peak_share(r, "coal"))

    def merged(keys: list[str], table: dict[str, dict]) -> dict[str, Any]:
        return {k: v for key in keys for k, v in table[key].items()}

    facts = [
        _fact("steel: as is", steel[1], steel[0], {}, scale),
        _fact("steel: all off", steel[1], steel[0], merged(list(to_steel), to_steel), scale),
    ]
    for c in to_steel:
        facts.append(_fact(f"steel: {c} off", steel[1], steel[0], to_steel[c], scale))
        others = [k for k in to_steel if k != c]
        facts.append(
            _fact(f"steel: {c} alone", steel[1], steel[0], merged(others, to_steel), scale)
        )
    facts.append(_fact("miners: as is", coal[1], coal[0], {}, scale))
    facts.append(_fact("miners: all on", coal[1], coal[0], merged(list(to_coal), to_coal), scale))
    for c in to_coal:
        facts.append(_fact(f"miners: {c} on", coal[1], coal[0], to_coal[c], scale))
    return facts


def _cell(r: FactResult) -> str:
    return f"{fmt(r.mean)} [{fmt(r.ci_low)}, {fmt(r.ci_high)}]; {pct(r.inside)}"


def markdown(results: dict[str, FactResult], reps: int, scale: int, command: str) -> str:
    steel_channels = [n[7:-4] for n in results if n.startswith("steel: ") and n.endswith(" off")]
    steel_channels = [c for c in steel_channels if c != "all"]
    coal_channels = [n[8:-3] for n in results if n.startswith("miners: ") and n.endswith(" on")]
    coal_channels = [c for c in coal_channels if c != "all"]
    lines = [
        "# The thesis, channel by channel",
        "",
        f"Made by `{command}` on {dt.date.today().isoformat()}: `{SCENARIO}` to 15 August 1989, "
        f"one agent per {scale} workers, seeds 1-{reps}.",
        "",
        "A channel is an arrangement in which the steel plants differ from the mines. *Off*: the "
        "steel plants get the mines' arrangement in that channel only. *Alone*: they get the "
        "mines' arrangement in every other channel, keeping only this one. Cells: the largest "
        "share of any steel plant's workers out on one day, mean over seeds [95% interval]; "
        f"then the share of seeds in which a plant struck (at least {pct(STRIKES)} out).",
        "",
        "Channels: places in line (flats, cars, vouchers, day care and the privileged "
        "occupations), goods, sanctions (a failed striker's chance of losing his stake and the "
        "managers' threat; set to zero, as the mines have no separate value), team trust, plant "
        "and management size (management capacity, brigade size, plants split into mine-sized "
        "units), pay (the plants' trades at the miners' rates).",
        "",
        "| channel | steel with this channel off | steel with this channel alone |",
        "| --- | --- | --- |",
        f"| (none: as is) | {_cell(results['steel: as is'])} | |",
    ]
    for c in steel_channels:
        lines.append(
            f"| {c} | {_cell(results[f'steel: {c} off'])} | {_cell(results[f'steel: {c} alone'])} |"
        )
    lines += [
        f"| (all off: steel arranged like the mines) | {_cell(results['steel: all off'])} | |",
        "",
        "## What moves the miners",
        "",
        "*On*: the mines get the steel plants' arrangement in that channel. Cells: the peak "
        "share of miners out, mean [95% interval]; share of seeds with at least "
        f"{pct(STRIKES)} out.",
        "",
        "| channel | miners with steel's arrangement in it |",
        "| --- | --- |",
        f"| (none: as is) | {_cell(results['miners: as is'])} |",
    ]
    for c in coal_channels:
        lines.append(f"| {c} | {_cell(results[f'miners: {c} on'])} |")
    lines.append(f"| (all on: mines arranged like steel) | {_cell(results['miners: all on'])} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--scale", type=int, default=10, help="workers per agent")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("docs/thesis.md"))
    parser.add_argument("--runs", type=Path, default=None, help="catalog folder")
    args = parser.parse_args(argv)
    facts = configurations(args.scale)
    results = run_evidence(
        reps=args.reps, workers=args.workers, facts=facts, runs_dir=args.runs, progress=True
    )
    command = "python -m mutualdep.evidence.thesis " + " ".join(argv or sys.argv[1:])
    args.out.write_text(markdown({r.name: r for r in results}, args.reps, args.scale, command))
    print(f"written to {args.out}")


if __name__ == "__main__":
    from mutualdep.cli import exit_on_input_error

    exit_on_input_error(main)
