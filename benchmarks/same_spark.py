"""The 1989 wave's spark moved to another industry: does the quiet come from the mechanism?

    python benchmarks/same_spark.py [--seeds 3] [--set KEY=VALUE ...]

kuzbass-1989's wave starts with three brigades of a Mezhdurechensk mine's face shop on
10 July 1989. This runs the same scenario with the same spark (three brigades, same day) in
each of three places: that mine, the West Siberian plant's open-hearth shop, the Novokuznetsk
rail depot. Everything else is as in the scenario (spontaneous walk-outs included). Printed:
each industry's peak share on strike to 15 August 1989, seed by seed, and per spark place how
many seeds the struck industry went past half its workers.

If steel stays quiet only because the spark fell in a mine, a spark in the steel plant would
take steel out as it takes coal out. Where steel stays quiet with the spark in its own plant,
its quiet comes from the decision (a huge plant a few brigades cannot take, the stake) and not
from where the scenario put the spark.
"""

from __future__ import annotations

import argparse
import datetime as dt

import mutualdep
from mutualdep.evidence.facts import peak_share
from mutualdep.scenario import parse_set

PLACES = {
    "coal": ("Mezhdurechensk mine 1", "face"),
    "steel": ("West Siberian Metallurgical Complex", "open-hearth"),
    "rail": ("Novokuznetsk rail depot", "depot"),
}
UNTIL = dt.date(1989, 8, 15)


def peaks(overrides: dict, place: str, seed: int) -> dict[str, float]:
    """Each industry's peak share on strike with the wave's spark in ``place``."""
    enterprise, shop = PLACES[place]
    spark = {"date": dt.date(1989, 7, 10), "enterprise": enterprise, "shop": shop, "brigades": 3}
    sc = mutualdep.load_scenario("kuzbass-1989", {**overrides, "sparks": [spark]})
    r = mutualdep.run(sc, seed=seed, until=UNTIL)
    return {k: peak_share(r, k) for k in r.enterprises["industry"].unique().sort()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = ap.parse_args()
    overrides = parse_set(args.set)
    for place in PLACES:
        past_half = 0
        for seed in range(args.seeds):
            peak = peaks(overrides, place, seed)
            past_half += peak.get(place, 0.0) > 0.5
            shown = ", ".join(f"{k} {v:.4f}" for k, v in sorted(peak.items()))
            print(f"spark in {place:5s} seed {seed}: peak share {shown}", flush=True)
        print(f"spark in {place}: {place} past half its workers in {past_half}/{args.seeds} seeds")


if __name__ == "__main__":
    main()
