"""The facts the model must reproduce, each a metric of a run against a target from the sources.

A fact names a scenario (with optional overrides), a metric computed from one run's tables, a
target interval and where the target comes from. Each fact is of one kind:

- ``calibration``: a target that a calibration file (or a hand setting named in the scenario's
  provenance) was fitted to; its pass shows the fit, not the model.
- ``validation``: a figure no calibration may target (enforced by ``mutualdep calibrate`` and a
  test over calibration/*.toml); the out-of-sample evidence.
- ``check``: an internal check (a figure the inputs set by construction, or a counterfactual of
  the thesis); neither of the above.

A fact passes when at least ``PASS_SHARE`` of its seeds fall inside the target (see runner.py).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import polars as pl

from mutualdep.results import Result

KINDS = ("calibration", "validation", "check")
# Mechanisms of the model brief that facts are filed under.
MECHANISMS = (
    "production",
    "money",
    "pay",
    "lists",
    "labour market",
    "decision",
    "spread",
    "management response",
    "state response",
)
# A strike "lasts" only on days with at least this share of the group out: a handful of
# stragglers does not make a strike week.
REAL_SHARE_OUT = 0.1


@dataclass(frozen=True)
class Fact:
    name: str
    claim: str
    scenario: str
    metric: Callable[[Result], float]
    low: float
    high: float
    source: str
    kind: Literal["calibration", "validation", "check"] = field(kw_only=True)
    mechanism: str = field(kw_only=True)
    share: bool = field(default=False, kw_only=True)  # the metric is a share: intervals in [0, 1]
    overrides: dict = field(default_factory=dict)
    until: dt.date | None = None
    fast: bool = False  # part of the quick subset run by the test suite
    # The registry metric a run computes for this fact (default fact:NAME); lets analyses build
    # facts of their own (thesis.py, robustness.py) from metrics a worker process knows.
    metric_name: str = field(default="", kw_only=True)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"fact {self.name}: kind {self.kind!r} not one of {KINDS}")
        if not self.metric_name:
            object.__setattr__(self, "metric_name", f"fact:{self.name}")
        if self.mechanism not in MECHANISMS:
            raise ValueError(f"fact {self.name}: mechanism {self.mechanism!r} not in {MECHANISMS}")

    @property
    def run_key(self) -> tuple:
        """Facts with the same key share runs."""
        return (
            self.scenario,
            tuple(sorted((k, repr(v)) for k, v in self.overrides.items())),
            self.until,
        )

    def measure(self, result: Result) -> float:
        """The metric of one run; NaN when the run has nothing to measure (no strike, no flat)."""
        try:
            return float(self.metric(result))
        except (KeyError, ZeroDivisionError, IndexError, TypeError):
            return math.nan


# ------------------------------------------------------------------ helpers over tables


def _days(result: Result, industry: str | None = None, region: str | None = None) -> pl.DataFrame:
    places = result.enterprises.select("enterprise", "industry", "region", "town", "name")
    days = result.enterprise_days.join(places, on="enterprise")
    if industry is not None:
        days = days.filter(pl.col("industry") == industry)
    if region is not None:
        days = days.filter(pl.col("region") == region)
    return days


def _daily_total(result: Result, industry: str, region: str | None = None) -> pl.DataFrame:
    return (
        _days(result, industry, region)
        .group_by("date")
        .agg(pl.col("striking").sum(), pl.col("workers").sum())
        .sort("date")
    )


def _first_strike(result: Result, industry: str, region: str | None = None) -> dt.date | None:
    out = _daily_total(result, industry, region).filter(pl.col("striking") > 0)
    return out["date"].min() if len(out) else None


def days_to_most_mines(result: Result, region: str = "Kuzbass", share: float = 0.8) -> float:
    """Days from the first coal strike in the region until ``share`` of its mines are closed
    (half their workers or more out on the same day)."""
    days = _days(result, "coal", region)
    n_mines = days["enterprise"].n_unique()
    first = _first_strike(result, "coal", region)
    closed = (
        days.filter(pl.col("striking") >= 0.5 * pl.col("workers"))
        .group_by("date")
        .len()
        .filter(pl.col("len") >= share * n_mines)
    )
    if first is None or len(closed) == 0:
        return float("inf")
    return float((closed["date"].min() - first).days)


def strikers_on(
    result: Result,
    day_offset: int,
    industry: str = "coal",
    region: str | None = "Kuzbass",
    town: str | None = None,
) -> float:
    """Strikers ``day_offset`` days after the first strike of the industry in the region."""
    first = _first_strike(result, industry, region)
    if first is None:
        return 0.0
    days = _days(result, industry, region)
    if town is not None:
        days = days.filter(pl.col("town") == town)
    on = first + dt.timedelta(days=day_offset)
    return float(days.filter(pl.col("date") == on)["striking"].sum())


def towns_out_by(result: Result, day_offset: int, region: str = "Kuzbass") -> float:
    """Towns of the region (besides the first) with striking miners within ``day_offset`` days."""
    first = _first_strike(result, "coal", region)
    if first is None:
        return 0.0
    days = _days(result, "coal", region).filter(
        (pl.col("striking") > 0) & (pl.col("date") <= first + dt.timedelta(days=day_offset))
    )
    return float(days["town"].n_unique() - 1)


def _runs_out(totals: pl.DataFrame) -> list[int]:
    """Lengths of the unbroken runs of days with at least REAL_SHARE_OUT of the group out."""
    out = (totals["striking"] >= REAL_SHARE_OUT * totals["workers"]).to_numpy()
    edges = np.flatnonzero(np.diff(np.concatenate(([0], out.astype(int), [0]))))
    return list(edges[1::2] - edges[::2])


def strike_length(result: Result, region: str | None) -> float:
    """Days in the longest unbroken run with a real share of the region's miners out."""
    return float(max(_runs_out(_daily_total(result, "coal", region)), default=0))


def first_strike_day_of_month(result: Result, region: str) -> float:
    first = _first_strike(result, "coal", region)
    return float(first.day) if first is not None else float("nan")


def peak_strikers(result: Result, industry: str = "coal") -> float:
    return float(_daily_total(result, industry)["striking"].max() or 0)


def peak_share(result: Result, industry: str) -> float:
    totals = _daily_total(result, industry)
    return float((totals["striking"] / totals["workers"]).max() or 0)


def steel_plantwide_share(result: Result) -> float:
    """Largest share of any steel plant's workers out on any day."""
    days = _days(result, "steel")
    return float((days["striking"] / days["workers"]).max() or 0)


def steel_shops_out_together(result: Result) -> float:
    """Most shops of one steel plant with a real share of their workers out on the same day."""
    steel_shops = result.shops.join(
        result.enterprises.filter(pl.col("industry") == "steel").select("enterprise"),
        on="enterprise",
    ).select("shop", "enterprise", "workers_start")
    out = (
        result.shop_days.join(steel_shops, on="shop")
        .filter(pl.col("striking") >= REAL_SHARE_OUT * pl.col("workers_start"))
        .group_by("date", "enterprise")
        .len()
    )
    return float(out["len"].max() or 0)


def steel_committee_share(result: Result) -> float:
    """Share of steel plants whose managers passed a committee resolution during a strike wave."""
    steel = result.enterprises.filter(pl.col("industry") == "steel")["enterprise"]
    done = result.events.filter(
        (pl.col("kind") == "committee_resolution") & pl.col("enterprise").is_in(steel)
    )
    return done["enterprise"].n_unique() / max(len(steel), 1)


def pay_ratio(result: Result, when: dt.date = dt.date(1989, 6, 30)) -> float:
    """Miners' mean pay over steelworkers' on a date before the strike."""
    days = _days(result).filter(pl.col("date") == when)
    mean = days.group_by("industry").agg(
        (pl.col("wage_mean") * pl.col("workers")).sum() / pl.col("workers").sum()
    )
    values = dict(mean.rows())
    return float(values["coal"] / values["steel"])


def coal_price_to_cost(result: Result) -> float:
    """Revenue over cost of the coal mines, summed over the months before the strike."""
    coal = result.enterprises.filter(pl.col("industry") == "coal")["enterprise"].to_list()
    months = result.enterprise_months.filter(
        pl.col("enterprise").is_in(coal) & (pl.col("date") < dt.date(1989, 7, 1))
    )
    revenue = months["revenue"].sum()
    return float(revenue / (revenue - months["profit"].sum()))


def housing_wait(
    result: Result, privileged: bool | None = None, occupations: tuple[str, ...] = ()
) -> float:
    """Mean years waited by those who got a flat (insiders excluded)."""
    rows = result.allocations.filter(
        (pl.col("list") == "housing") & (pl.col("occupation") != "insider")
    )
    if privileged is not None:
        rows = rows.filter(pl.col("privileged") == privileged)
    if occupations:
        rows = rows.filter(pl.col("occupation").is_in(list(occupations)))
    total = rows["count"].sum()
    return float((rows["wait_years_mean"] * rows["count"]).sum() / total) if total else float("nan")


def share_on_housing_list(result: Result) -> float:
    """Share of households (workers) on the housing line at the last month start."""
    last = result.workforce.filter(pl.col("date") == pl.col("date").max())
    return float(last["on_housing_list"].sum() / max(last["workers"].sum(), 1))


def quit_ratio_young_single(result: Result) -> float:
    """Quit rate of single workers under 25 over that of 35-44s with children."""
    quits = (
        result.turnover.filter(pl.col("cause") == "quit")
        .group_by("age_band", "family")
        .agg(pl.col("count").sum())
    )
    stock = result.workforce.group_by("age_band", "family").agg(pl.col("workers").sum())
    rate = dict(
        ((a, f), q / s)
        for a, f, q, s in stock.join(quits, on=["age_band", "family"])
        .select("age_band", "family", "count", "workers")
        .rows()
        if s
    )
    return float(
        rate.get(("<25", "single"), 0.0) / max(rate.get(("35-44", "children"), 1e-12), 1e-12)
    )


def open_hearth_bonus_gap(result: Result) -> float:
    """How much more often the open-hearth shop loses its bonus than the plant's other shops."""
    steel = result.enterprises.filter(pl.col("industry") == "steel")["enterprise"]
    shops = result.shops.filter(pl.col("enterprise").is_in(steel)).select("shop", "kind")
    months = result.shop_months.join(shops, on="shop")
    withheld = months.group_by(pl.col("kind") == "open-hearth").agg(
        (~pl.col("bonus_paid").cast(pl.Boolean)).mean()
    )
    values = dict(withheld.rows())
    return float(values[True] - values[False])


def open_hearth_staff_loss_gap(result: Result) -> float:
    """Headcount lost over the year by the open-hearth
    shop minus the plant's other shops (shares)."""
    steel = result.enterprises.filter(pl.col("industry") == "steel")["enterprise"]
    shops = result.shops.filter(pl.col("enterprise").is_in(steel)).select("shop", "kind")
    months = result.shop_months.join(shops, on="shop").sort("date")
    keep = months.group_by(pl.col("kind") == "open-hearth").agg(
        1
        - pl.col("workers").filter(pl.col("date") == pl.col("date").max()).sum()
        / pl.col("workers").filter(pl.col("date") == pl.col("date").min()).sum()
    )
    values = dict(keep.rows())
    return float(values[True] - values[False])


def share_of_mines_out_at_height(result: Result) -> float:
    """Share of mines idle (half their workers or more out) on the day most were idle."""
    days = _days(result, "coal")
    n_mines = days["enterprise"].n_unique()
    idle = days.filter(pl.col("striking") >= 0.5 * pl.col("workers")).group_by("date").len()
    return float((idle["len"].max() or 0) / max(n_mines, 1))


def share_of_miners_out_at_height(result: Result) -> float:
    return peak_share(result, "coal")


def longest_strike_weeks(result: Result) -> float:
    return strike_length(result, None) / 7


def _days_between_starts(result: Result, first: str, then: tuple[str, ...]) -> float:
    """Days from the first strike in region `first` to the first in any of regions `then`."""
    start = _first_strike(result, "coal", first)
    later = [d for d in (_first_strike(result, "coal", r) for r in then) if d is not None]
    return float((min(later) - start).days) if start is not None and later else math.nan


def peak_strikers_in(result: Result, region: str) -> float:
    return float(_daily_total(result, "coal", region)["striking"].max() or 0)


def towns_out_at_peak(result: Result, region: str) -> float:
    """Towns of the region with a real share of their miners out on the region's peak day."""
    totals = _daily_total(result, "coal", region)
    peak = totals["date"][int(totals["striking"].arg_max())]
    towns = (
        _days(result, "coal", region)
        .filter(pl.col("date") == peak)
        .group_by("town")
        .agg(pl.col("striking").sum(), pl.col("workers").sum())
    )
    return float((towns["striking"] >= REAL_SHARE_OUT * towns["workers"]).sum())


def back_to_work_day(result: Result, region: str) -> float:
    """Day of the month on which the region's miners were first back (under a real share out)
    after its peak."""
    totals = _daily_total(result, "coal", region)
    out = totals["striking"] >= REAL_SHARE_OUT * totals["workers"]
    if not out.any():
        return math.nan  # never out: never back
    after = totals[int(totals["striking"].arg_max()) :]
    back = after.filter(pl.col("striking") < REAL_SHARE_OUT * pl.col("workers"))["date"]
    return float(back[0].day) if len(back) else math.nan


def coal_lost_mt(result: Result, start: dt.date = dt.date(1989, 6, 1)) -> float:
    """Million tonnes of coal not mined for strikes: each mine's strikers times its output per
    worker on an ordinary June day (the month's median, clear of end-of-month storming)."""
    days = _days(result, "coal")
    june = days.filter((pl.col("date") >= start) & (pl.col("date") < dt.date(1989, 7, 1)))
    per_worker = june.group_by("enterprise").agg(
        (pl.col("output") / pl.col("workers")).median().alias("per_worker")
    )
    lost = days.join(per_worker, on="enterprise").select(
        (pl.col("striking") * pl.col("per_worker")).sum()
    )
    return float(lost.item()) / 1e6


def coal_output_mt(result: Result) -> float:
    """Coal mined over the run, million tonnes."""
    coal = result.enterprises.filter(pl.col("industry") == "coal")["enterprise"]
    return (
        float(result.enterprise_months.filter(pl.col("enterprise").is_in(coal))["output"].sum())
        / 1e6
    )


# ------------------------------------------------------------------ the facts

PORTABLE_STAKE = {
    "reforms.timeline": [{"date": dt.date(1989, 1, 1), "kind": "welfare_takeover", "value": 1.0}]
}
STEEL_PACKAGE_FOR_MINERS = {
    "industries.coal.social": {
        "housing": 40,
        "car": 10,
        "voucher": 250,
        "daycare": 35,
        "goods": 100,
    },
    "industries.coal.privileged_occupations": [
        "pipe fitter",
        "rail-transport worker",
        "machine-tool operator",
    ],
}
JULY_1989 = dt.date(1989, 8, 15)

STUDY_1994 = "1994 comparative study"
FIELD_1991 = "1991 field study"
COLUMN_1990 = "1990 column"
PRESS = "press reports of the time"


def plant_waits(name: str, plant: str, scenario: str, kind: str) -> tuple[Fact, Fact]:
    """The comparative study's two waits for a flat at one steel plant: about 5 years for the
    privileged occupations, 10 to 15 for steel founders and rollers (``name`` prefixes both)."""
    return (
        Fact(
            f"{name}privileged_wait",
            f"Privileged occupations wait about 5 years for a flat ({plant})",
            scenario,
            lambda r: housing_wait(r, privileged=True),
            4,
            6,
            STUDY_1994,
            kind=kind,
            mechanism="lists",
        ),
        Fact(
            f"{name}founders_rollers_wait",
            f"Steel founders and rollers wait 10 to 15 years ({plant})",
            scenario,
            lambda r: housing_wait(r, privileged=False, occupations=("steel founder", "roller")),
            10,
            15,
            STUDY_1994,
            kind=kind,
            mechanism="lists",
        ),
    )


FACTS: tuple[Fact, ...] = (
    # ------------------------------------------------ the 1989 wave, fitted on the Kuzbass
    Fact(
        "wave.most_kuzbass_mines",
        "From the first town to most of the basin's mines closed within days",
        "kuzbass-1989",
        days_to_most_mines,
        2,
        8,
        f"{PRESS}: began 10 July; six days in almost all Kuzbass mines closed",
        kind="calibration",
        mechanism="spread",
        until=JULY_1989,
    ),
    Fact(
        "wave.mezhdurechensk_day4",
        "Four days in, about 12,000 strikers at Mezhdurechensk's five mines",
        "kuzbass-1989",
        lambda r: strikers_on(r, 4, town="Mezhdurechensk"),
        8000,
        16000,
        f"{PRESS}: about 12,000 at the town's five mines",
        kind="calibration",
        mechanism="decision",
        until=JULY_1989,
    ),
    Fact(
        "wave.kuzbass_towns_day4",
        "Four days in, strikes in at least seven other Kuzbass cities",
        "kuzbass-1989",
        lambda r: towns_out_by(r, 4),
        7,
        9,
        PRESS,
        kind="validation",
        mechanism="spread",
        until=JULY_1989,
    ),
    Fact(
        "wave.kuzbass_day6",
        "Six days in, 80,000-100,000 on strike in the Kuzbass",
        "kuzbass-1989",
        lambda r: strikers_on(r, 6),
        80000,
        100000,
        PRESS,
        kind="calibration",
        mechanism="spread",
        until=JULY_1989,
    ),
    Fact(
        "wave.kuzbass_length",
        "The Kuzbass settled after about eight days (10-18 July)",
        "kuzbass-1989",
        lambda r: strike_length(r, "Kuzbass"),
        6,
        12,
        f"{PRESS} (days with at least a tenth of the basin's miners out)",
        kind="calibration",
        mechanism="state response",
        until=JULY_1989,
    ),
    # ------------------------------------------------ ... validated on the other basins
    Fact(
        "wave.donbass_start",
        "The Donbass came out from about 15-17 July, through the committees",
        "miners-1989",
        lambda r: first_strike_day_of_month(r, "Donbass"),
        14,
        18,
        PRESS,
        kind="calibration",
        mechanism="spread",
        until=JULY_1989,
    ),
    Fact(
        "wave.donbass_length",
        "The Donbass settled about 25 July: a strike of roughly ten days",
        "miners-1989",
        lambda r: strike_length(r, "Donbass"),
        7,
        14,
        f"{PRESS} (days with at least a tenth of the basin's miners out)",
        kind="validation",
        mechanism="state response",
        until=JULY_1989,
    ),
    Fact(
        "wave.other_coalfields_after_donbass",
        "Karaganda and Vorkuta came out within days of the Donbass",
        "union-1989",
        lambda r: _days_between_starts(r, "Donbass", ("Karaganda", "Pechora")),
        0,
        7,
        PRESS,
        kind="validation",
        mechanism="spread",
    ),
    Fact(
        "union.miners_peak",
        "Over 400,000 miners struck; 300,000-500,000 at the peak, of about 1.2 million",
        "union-1989",
        peak_strikers,
        300000,
        500000,
        f"{STUDY_1994} (over 400,000); {PRESS} (300,000-500,000 at the peak)",
        kind="validation",
        mechanism="spread",
    ),
    Fact(
        "union.kuzbass_peak",
        "About 180,000 Kuzbass miners out at the peak",
        "union-1989",
        lambda r: peak_strikers_in(r, "Kuzbass"),
        150000,
        210000,
        PRESS,
        kind="validation",
        mechanism="decision",
    ),
    Fact(
        "union.kuzbass_cities_at_peak",
        "... in nine cities",
        "union-1989",
        lambda r: towns_out_at_peak(r, "Kuzbass"),
        8,
        10,
        f"{PRESS} (towns with at least a tenth of their miners out on the peak day)",
        kind="validation",
        mechanism="spread",
    ),
    Fact(
        "union.donbass_peak",
        "About 200,000 Donbass miners went back to work ...",
        "union-1989",
        lambda r: peak_strikers_in(r, "Donbass"),
        150000,
        250000,
        PRESS,
        kind="validation",
        mechanism="decision",
    ),
    Fact(
        "union.donbass_back",
        "... around 25 July (day of July the basin was back under a tenth out)",
        "union-1989",
        lambda r: back_to_work_day(r, "Donbass"),
        23,
        28,
        PRESS,
        kind="validation",
        mechanism="state response",
    ),
    Fact(
        "union.coal_lost",
        "Some 6 million tonnes of coal lost to the strike",
        "union-1989",
        coal_lost_mt,
        4,
        8,
        PRESS,
        kind="validation",
        mechanism="production",
    ),
    Fact(
        "union.coal_output_1989",
        "Soviet coal output 740 Mt in 1989 (772 Mt in 1988)",
        "union-1989",
        coal_output_mt,
        720,
        760,
        f"{PRESS}; the output per miner is set from the same figure, so a check",
        kind="check",
        mechanism="production",
    ),
    # ------------------------------------------------ steel's quiet: the thesis, fitted nowhere
    Fact(
        "steel.no_plantwide_strike",
        "Steelworkers' plant-wide participation was nil",
        "kuzbass-1989",
        steel_plantwide_share,
        0.0,
        0.05,
        STUDY_1994,
        kind="validation",
        mechanism="decision",
        share=True,
        until=JULY_1989,
        fast=True,
    ),
    Fact(
        "steel.union_no_plantwide_strike",
        "... at none of the Union's steel plants in the mining towns",
        "union-1989",
        steel_plantwide_share,
        0.0,
        0.05,
        STUDY_1994,
        kind="validation",
        mechanism="decision",
        share=True,
    ),
    Fact(
        "steel.single_shops_strike",
        "Single steel shops struck, without spreading (exactly one shop out at a time)",
        "kuzbass-1989",
        steel_shops_out_together,
        1,
        1,
        f"{STUDY_1994}; {FIELD_1991}",
        kind="validation",
        mechanism="spread",
    ),
    Fact(
        "steel.managers_committees",
        "Steel managers' committees backed the demands, not the strike",
        "kuzbass-1989",
        steel_committee_share,
        0.5,
        1.0,
        STUDY_1994,
        kind="validation",
        mechanism="management response",
        share=True,
        until=JULY_1989,
    ),
    # ------------------------------------------------ pay and money: set from the sources
    Fact(
        "pay.miners_twice_steel",
        "Miners earned almost twice what steelworkers did (base rates set by hand to it)",
        "kuzbass-1989",
        pay_ratio,
        1.7,
        2.2,
        STUDY_1994,
        kind="calibration",
        mechanism="pay",
        until=dt.date(1989, 7, 1),
        fast=True,
    ),
    Fact(
        "pay.donbass_miners_twice_steel",
        "... and in the Donbass, whose base rates were not set to it",
        "donbass-1989",
        pay_ratio,
        1.7,
        2.2,
        STUDY_1994,
        kind="validation",
        mechanism="pay",
        until=dt.date(1989, 7, 1),
        fast=True,
    ),
    Fact(
        "money.coal_price_half_cost",
        "The official coal price was about half its extraction cost (an input, so a check)",
        "kuzbass-1989",
        coal_price_to_cost,
        0.45,
        0.55,
        STUDY_1994,
        kind="check",
        mechanism="money",
        until=dt.date(1989, 7, 1),
        fast=True,
    ),
    # ------------------------------------- lists: fitted at West Siberia, validated at Donetsk
    *plant_waits("lists.", "West Siberian plant", "west-siberian-steel", "calibration"),
    *plant_waits("lists.donetsk_", "Donetsk plant", "donetsk-steel", "validation"),
    Fact(
        "lists.magnitogorsk_share_on_lists",
        "About a quarter of Magnitogorsk households are on housing lists",
        "magnitogorsk",
        share_on_housing_list,
        0.2,
        0.3,
        FIELD_1991,
        kind="calibration",
        mechanism="lists",
        share=True,
    ),
    Fact(
        "lists.magnitogorsk_wait",
        "... and the average wait is about 15 years",
        "magnitogorsk",
        lambda r: housing_wait(r, privileged=False),
        12,
        18,
        FIELD_1991,
        kind="validation",
        mechanism="lists",
    ),
    # ------------------------------------------------ labour market and the vicious circle
    Fact(
        "labour.young_single_quit_most",
        "Young single workers quit most; married with children rarely",
        "small-town",
        quit_ratio_young_single,
        2.0,
        20.0,
        STUDY_1994,
        kind="validation",
        mechanism="labour market",
        fast=True,
    ),
    Fact(
        "labour.open_hearth_circle_bonus",
        "The old open-hearth shop lives in a vicious circle: bonus lost",
        "donetsk-steel",
        open_hearth_bonus_gap,
        0.15,
        1.0,
        STUDY_1994,
        kind="calibration",
        mechanism="production",
        share=True,
    ),
    Fact(
        "labour.open_hearth_circle_staff",
        "... and workers leave it faster than the rest of the plant",
        "donetsk-steel",
        open_hearth_staff_loss_gap,
        0.02,
        1.0,
        STUDY_1994,
        kind="calibration",
        mechanism="labour market",
    ),
    # ------------------------------------------------ the thesis as counterfactuals (checks)
    Fact(
        "thesis.portable_stake_steel_strikes",
        "Make the in-kind stake portable and the steel plants strike",
        "kuzbass-1989",
        lambda r: peak_share(r, "steel"),
        0.3,
        1.0,
        "the thesis (ablation)",
        kind="check",
        mechanism="decision",
        share=True,
        overrides=PORTABLE_STAKE,
        until=JULY_1989,
        fast=True,
    ),
    Fact(
        "thesis.steel_package_miners_quiet",
        "Give miners a steel-like in-kind package and the strike fails",
        "kuzbass-1989",
        lambda r: peak_share(r, "coal"),
        0.0,
        0.1,
        "the thesis (ablation)",
        kind="check",
        mechanism="decision",
        share=True,
        overrides=STEEL_PACKAGE_FOR_MINERS,
        until=JULY_1989,
        fast=True,
    ),
    # ------------------------------------------------ fit 1989, validate 1991
    Fact(
        "wave1991.mines_idle",
        "At its height a quarter to a third of mines idle",
        "strike-1991",
        share_of_mines_out_at_height,
        0.25,
        0.34,
        PRESS,
        kind="validation",
        mechanism="spread",
        share=True,
    ),
    Fact(
        "wave1991.miners_out",
        "About 300,000 of some 1.2 million miners out at the height",
        "strike-1991",
        share_of_miners_out_at_height,
        0.18,
        0.32,
        PRESS,
        kind="validation",
        mechanism="decision",
        share=True,
    ),
    Fact(
        "wave1991.length",
        "The 1991 strike lasted about nine weeks (1 March to early May)",
        "strike-1991",
        longest_strike_weeks,
        7,
        11,
        f"{PRESS} (weeks with at least a tenth of the miners out)",
        kind="validation",
        mechanism="state response",
    ),
)
