"""The facts the model must reproduce, each a metric of a run against a target from the sources.

A fact names a scenario (with optional overrides), a metric computed from one run's tables, a
target interval and where the target comes from. A fact passes when the mean over
replications lies inside the target interval. The thesis ablations are facts too: they change
one arrangement (the in-kind stake) and expect the outcome to flip.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from mutualdep.results import Result


@dataclass(frozen=True)
class Fact:
    name: str
    claim: str
    scenario: str
    metric: Callable[[Result], float]
    low: float
    high: float
    source: str
    overrides: dict = field(default_factory=dict)
    until: dt.date | None = None
    fast: bool = False  # part of the quick subset run by the test suite

    @property
    def run_key(self) -> tuple:
        """Facts with the same key share runs."""
        return (
            self.scenario,
            tuple(sorted((k, repr(v)) for k, v in self.overrides.items())),
            self.until,
        )


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


def strike_length(result: Result, region: str) -> float:
    """Days in the first unbroken run of days with coal strikers in the region."""
    dates = _daily_total(result, "coal", region).filter(pl.col("striking") > 0)["date"]
    gaps = dates.diff().dt.total_days().fill_null(1).to_numpy()
    breaks = np.flatnonzero(gaps > 1)
    return float(breaks[0] if len(breaks) else len(dates))


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
    """Most shops of one steel plant with a tenth of their workers out on the same day."""
    steel_shops = result.shops.join(
        result.enterprises.filter(pl.col("industry") == "steel").select("enterprise"),
        on="enterprise",
    ).select("shop", "enterprise", "workers_start")
    out = (
        result.shop_days.join(steel_shops, on="shop")
        .filter(pl.col("striking") >= 0.1 * pl.col("workers_start"))
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
    out = _daily_total(result, "coal").filter(pl.col("striking") > 0)["date"]
    return float(((out.max() - out.min()).days + 1) / 7) if len(out) else 0.0


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

FACTS: tuple[Fact, ...] = (
    Fact(
        "wave.most_kuzbass_mines",
        "From the first town to most of the basin's mines closed within days",
        "kuzbass-1989",
        days_to_most_mines,
        2,
        8,
        "began 10 July; six days in almost all Kuzbass mines closed",
        until=JULY_1989,
    ),
    Fact(
        "wave.mezhdurechensk_day4",
        "Four days in, about 12,000 strikers at Mezhdurechensk's five mines",
        "kuzbass-1989",
        lambda r: strikers_on(r, 4, town="Mezhdurechensk"),
        8000,
        16000,
        "press reports: about 12,000 at the town's five mines",
        until=JULY_1989,
    ),
    Fact(
        "wave.kuzbass_towns_day4",
        "Four days in, strikes in at least seven other Kuzbass cities",
        "kuzbass-1989",
        lambda r: towns_out_by(r, 4),
        7,
        9,
        "press reports",
        until=JULY_1989,
    ),
    Fact(
        "wave.kuzbass_day6",
        "Six days in, 80,000-100,000 on strike in the Kuzbass",
        "kuzbass-1989",
        lambda r: strikers_on(r, 6),
        80000,
        100000,
        "press reports",
        until=JULY_1989,
    ),
    Fact(
        "wave.kuzbass_length",
        "The Kuzbass settled after about eight days (10-18 July)",
        "kuzbass-1989",
        lambda r: strike_length(r, "Kuzbass"),
        6,
        12,
        "press reports",
        until=JULY_1989,
    ),
    Fact(
        "wave.miners_total",
        "Over 400,000 miners in the first mass strike; 300,000-500,000 at the peak",
        "miners-1989",
        peak_strikers,
        300000,
        500000,
        "1990 column; press reports",
        until=JULY_1989,
    ),
    Fact(
        "wave.donbass_start",
        "The Donbass came out from about 15-17 July, through the committees",
        "miners-1989",
        lambda r: first_strike_day_of_month(r, "Donbass"),
        14,
        18,
        "press reports",
        until=JULY_1989,
    ),
    Fact(
        "wave.donbass_length",
        "The Donbass settled about 25 July: a strike of roughly ten days",
        "miners-1989",
        lambda r: strike_length(r, "Donbass"),
        7,
        14,
        "press reports",
        until=JULY_1989,
    ),
    Fact(
        "steel.no_plantwide_strike",
        "Steelworkers' plant-wide participation was nil",
        "kuzbass-1989",
        steel_plantwide_share,
        0.0,
        0.05,
        "1994 comparative study",
        until=JULY_1989,
        fast=True,
    ),
    Fact(
        "steel.shop_strikes_stay_alone",
        "Single steel shops struck without spreading",
        "kuzbass-1989",
        steel_shops_out_together,
        0,
        1,
        "1994 comparative study; 1991 field study",
    ),
    Fact(
        "steel.managers_committees",
        "Steel managers' committees backed the demands, not the strike",
        "kuzbass-1989",
        steel_committee_share,
        0.5,
        1.0,
        "1994 comparative study",
        until=JULY_1989,
    ),
    Fact(
        "pay.miners_twice_steel",
        "Miners earned almost twice what steelworkers did",
        "kuzbass-1989",
        pay_ratio,
        1.7,
        2.2,
        "1994 comparative study",
        until=dt.date(1989, 7, 1),
        fast=True,
    ),
    Fact(
        "money.coal_price_half_cost",
        "The official coal price was about half its extraction cost",
        "kuzbass-1989",
        coal_price_to_cost,
        0.45,
        0.55,
        "1990 column",
        until=dt.date(1989, 7, 1),
        fast=True,
    ),
    Fact(
        "lists.privileged_wait",
        "Privileged occupations wait about 5 years for a flat",
        "magnitogorsk",
        lambda r: housing_wait(r, privileged=True),
        4,
        6,
        "1991 field study",
    ),
    Fact(
        "lists.founders_rollers_wait",
        "Steel founders and rollers wait 10 to 15 years",
        "magnitogorsk",
        lambda r: housing_wait(r, privileged=False, occupations=("steel founder", "roller")),
        10,
        15,
        "1991 field study",
    ),
    Fact(
        "lists.magnitogorsk_share_on_lists",
        "About a quarter of Magnitogorsk households are on housing lists",
        "magnitogorsk",
        share_on_housing_list,
        0.2,
        0.3,
        "1991 field study",
    ),
    Fact(
        "labour.young_single_quit_most",
        "Young single workers quit most; married with children rarely",
        "small-town",
        quit_ratio_young_single,
        2.0,
        20.0,
        "1991 field study",
        fast=True,
    ),
    Fact(
        "labour.open_hearth_circle_bonus",
        "The old open-hearth shop lives in a vicious circle: bonus lost",
        "donetsk-steel",
        open_hearth_bonus_gap,
        0.15,
        1.0,
        "1994 comparative study",
    ),
    Fact(
        "labour.open_hearth_circle_staff",
        "... and workers leave it faster than the rest of the plant",
        "donetsk-steel",
        open_hearth_staff_loss_gap,
        0.02,
        1.0,
        "1994 comparative study",
    ),
    Fact(
        "thesis.portable_stake_steel_strikes",
        "Make the in-kind stake portable and the steel plants strike",
        "kuzbass-1989",
        lambda r: peak_share(r, "steel"),
        0.3,
        1.0,
        "the thesis (ablation)",
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
        overrides=STEEL_PACKAGE_FOR_MINERS,
        until=JULY_1989,
        fast=True,
    ),
    Fact(
        "wave1991.mines_idle",
        "At its height a quarter to a third of mines idle",
        "strike-1991",
        share_of_mines_out_at_height,
        0.25,
        0.34,
        "press reports",
    ),
    Fact(
        "wave1991.miners_out",
        "About 300,000 of some 1.2 million miners out at the height",
        "strike-1991",
        share_of_miners_out_at_height,
        0.18,
        0.32,
        "press reports",
    ),
    Fact(
        "wave1991.length",
        "The 1991 strike lasted about nine weeks (1 March to early May)",
        "strike-1991",
        longest_strike_weeks,
        7,
        11,
        "press reports",
    ),
)
