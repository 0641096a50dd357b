"""Scenarios: TOML files validated against a typed schema.

A scenario names the world (occupations, industries with their shops, regions, towns,
enterprises, trading partners), the historical sparks and reforms, and one parameter section
per mechanism. Every section rejects unknown keys. A scenario may say ``extends = "other"``
(a built-in name or a path relative to the file) and override parts of it: tables merge key
by key, arrays of tables are replaced whole. ``--set a.b=VALUE`` overrides take TOML literals.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import os
import stat
import tomllib
import types
import typing
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from mutualdep.errors import InputError

Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNeg = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]
PositiveInt = Annotated[int, Field(gt=0)]
MonthDay = Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]

LISTS = ("housing", "car", "voucher", "daycare")

# Bounds on every value of a scenario, far beyond any real use: they keep a typo or a fuzzer's
# 1e308 from reaching the arithmetic (overflow, hangs, memory) instead of a clear error.
MAX_NUMBER = 1e6  # any float, in absolute value
MAX_INT = 10**7  # any integer (workers of one enterprise, days, brigades, thresholds)
MAX_TEXT = 10_000  # characters of any string
MAX_ITEMS = 1_000_000  # items of any list or table (thresholds are one per worker)
MAX_ENTERPRISES = 100_000  # after ``count`` expands them
MAX_DEPTH = 32  # nesting of tables and arrays in a file
MAX_FILE_BYTES = 8 * 2**20  # size of a scenario file
DATES = (dt.date(1900, 1, 1), dt.date(2100, 12, 31))


def _alternatives(annotation: Any) -> tuple[Any, ...]:
    """The types of ``A | B``, each without its ``Annotated`` constraints."""
    if typing.get_origin(annotation) is Annotated:
        return _alternatives(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return sum((_alternatives(arg) for arg in typing.get_args(annotation)), ())
    return (annotation,)


def _plain_types(annotation: Any) -> set[type]:
    return {a for a in _alternatives(annotation) if isinstance(a, type)}


def _admitted(annotation: Any, value: Any) -> tuple[set[type], list[Any]]:
    """The plain types a field admits for ``value`` (for a list, those of its items), and the
    values to check."""
    if isinstance(value, list):
        lists = [a for a in _alternatives(annotation) if typing.get_origin(a) is list]
        if lists:
            return _plain_types(typing.get_args(lists[0])[0]), value
    return _plain_types(annotation), [value]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        """A number field takes a number: pydantic alone
        would read ``true`` as 1 and "0.5" as 0.5."""
        admitted, values = _admitted(cls.model_fields[info.field_name].annotation, value)
        if admitted & {int, float} and not admitted & {bool, str}:
            for v in values:
                if isinstance(v, bool | str):
                    raise ValueError(
                        f"expected a number, not a {'boolean' if isinstance(v, bool) else 'string'}"
                    )
        if dt.date in admitted and not admitted & {int, float}:
            for v in values:  # pydantic would read 0 as 1970-01-01
                if isinstance(v, int | float) and not isinstance(v, bool):
                    raise ValueError("expected a date (YYYY-MM-DD), not a number")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _bounded(cls, value: Any) -> Any:
        """Every number finite and bounded, every date in range, every text and list bounded."""
        _check_bounds(value)
        return value


def _check_bounds(value: Any) -> None:
    if isinstance(value, bool) or value is None or isinstance(value, BaseModel):
        return
    if isinstance(value, float) and not (math.isfinite(value) and abs(value) <= MAX_NUMBER):
        raise ValueError(f"expected a finite number between -{MAX_NUMBER:g} and {MAX_NUMBER:g}")
    if isinstance(value, int) and abs(value) > MAX_INT:
        raise ValueError(f"expected an integer between -{MAX_INT:,} and {MAX_INT:,}")
    if isinstance(value, dt.date) and not DATES[0] <= value <= DATES[1]:
        raise ValueError(f"expected a date from {DATES[0]} to {DATES[1]}")
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise ValueError(f"expected at most {MAX_TEXT:,} characters, got {len(value):,}")
    if isinstance(value, list | tuple | dict):
        if len(value) > MAX_ITEMS:
            raise ValueError(f"expected at most {MAX_ITEMS:,} items, got {len(value):,}")
        for item in [*value.keys(), *value.values()] if isinstance(value, dict) else value:
            _check_bounds(item)


# --------------------------------------------------------------------------- the world


class Occupation(Strict):
    name: str = Field(description="the occupation's name, referred to by shops and privilege lists")
    base_wage: Positive = Field(description="rubles a month before coefficients and bonus")
    night_share: Share = Field(
        0.0,
        description="share of the occupation's shifts worked at night (0 to 1), paid the night "
        "premium",
    )
    danger: NonNeg = Field(0.0, description="relative exposure to fatal accidents (face work = 1)")
    retire_age: Positive = Field(
        60.0,
        description="age in years at which a worker of this occupation may retire (pension age; "
        "50 underground)",
    )


class ShopTemplate(Strict):
    kind: str = Field(
        description="the shop's kind (face, open-hearth ...), unique within the industry"
    )
    share: Positive = Field(description="share of the enterprise's workforce (normalised)")
    technology_age: NonNeg = Field(
        20.0,
        description="years since the shop's equipment was installed: capacity and breakdowns "
        "worsen with it",
    )
    pollution: Share = Field(
        0.2, description="how polluted the shop's work is (0 clean to 1 worst), a grievance"
    )
    occupations: dict[str, Positive] = Field(
        description="occupation name -> its share of the shop's posts (normalised)"
    )


class SocialProvision(Strict):
    """What an enterprise of this industry hands out, per 1,000 workers a year, before scaling."""

    housing: NonNeg = Field(10.0, description="flats handed out a year per 1,000 workers")
    car: NonNeg = Field(5.0, description="cars handed out a year per 1,000 workers")
    voucher: NonNeg = Field(
        150.0, description="holiday vouchers handed out a year per 1,000 workers"
    )
    daycare: NonNeg = Field(20.0, description="day-care places handed out a year per 1,000 workers")
    goods: NonNeg = Field(
        0.0,
        description="rubles a worker a month of goods from the enterprise's own farm and shops "
        "(food orders, coupons); 0 by default: no source gives a figure per industry, so set it "
        "only with one (goods from trading partners are given per enterprise in ``partners``)",
    )


class Industry(Strict):
    output_per_worker_year: Positive = Field(
        description="units a fully staffed worker makes a year"
    )
    unit: str = Field(
        "t", description="name of the unit of output (t, m3 ...), for readers of the tables"
    )
    price_to_cost: Positive = Field(
        1.0,
        description="administrative price over normal unit cost (coal about 0.5: sold below cost)",
    )
    material_cost_share: Share = Field(
        0.4, description="share of normal unit cost spent on materials and inputs (0 to 1)"
    )
    subsidised: bool = Field(
        False, description="whether the branch's losses are covered by a subsidy"
    )
    input_industry: str | None = Field(
        None,
        description="industry whose output this one consumes (steel eats coking coal), or none",
    )
    input_stock_days: NonNeg = Field(
        20.0, description="days of production the input stock lasts without deliveries"
    )
    deaths_per_million_units: NonNeg = Field(
        0.0, description="fatal accidents per million units of output (coal about 1 per million t)"
    )
    team_trust: Share = Field(
        0.3,
        description="how much workers of a brigade trust each other (0 to 1): lowers the private "
        "cost of acting and lets a brigade's share out count",
    )
    brigade_size: PositiveInt = Field(
        25, description="workers in a brigade (the team that walks out together), real workers"
    )
    management_capacity: Share = Field(
        0.3,
        description="the management's capacity to threaten, placate and set up committees (0 to "
        "1) for an enterprise of 5,000; it grows with size to the power 1/4",
    )
    privileged_occupations: list[str] = Field(
        [], description="occupations put on the priority line of the lists by default"
    )
    social: SocialProvision = Field(
        SocialProvision(),
        description="what the industry's enterprises hand out through their lists",
    )
    shops: list[ShopTemplate] = Field(description="the shops every enterprise of the industry has")


class Region(Strict):
    name: str = Field(description="the region's name (a basin or an oblast)")
    wage_coefficient: Positive = Field(
        1.0,
        description="regional multiplier of base pay (the north and the far east get more; 1 = "
        "none)",
    )


class Town(Strict):
    name: str = Field(description="the town's name")
    region: str = Field(description="the region the town belongs to")
    company_town: bool = Field(
        False,
        description="whether one enterprise owns the town's housing and services (recorded in "
        "the towns table)",
    )
    isolation: Share = Field(
        0.3, description="how cut off the town is (0 to 1): fewer outside jobs for a quitter"
    )
    other_employers: Share = Field(0.5, description="how easily a quitter finds other work here")
    market_access: Share = Field(
        0.2,
        description="share of the enterprise's goods in kind a worker could get outside it (town "
        "shops, market, shadow economy) at no extra cost; what he can get outside is not at stake "
        "(assumption: the sources say only that such alternatives were few); with the market "
        "mechanism on, the scope of the town's state shops at state prices",
    )
    outside_scope: dict[Literal["cooperatives", "shadow", "private_plots"], Share] = Field(
        {},
        description="channel -> share of the enterprise's goods to be had there, overriding "
        "market.CHANNEL.scope for this town (used only with the market mechanism on)",
    )
    lat: float | None = Field(
        None, ge=-90, le=90, description="latitude in degrees north, for maps (source: gazetteer)"
    )
    lon: float | None = Field(
        None, ge=-180, le=180, description="longitude in degrees east, for maps (source: gazetteer)"
    )


PARTNER_KINDS = ("state_farm", "barter", "foreign")


class Partner(Strict):
    """A horizontal contract: supplies that a stoppage can breach, on its kind's terms
    (``distribution.partner_terms``) unless it sets its own."""

    kind: Literal["state_farm", "barter", "foreign"] = Field(
        "state_farm",
        description="state_farm (food: goods only), barter (consumer goods: furniture, cars, "
        "cassette players, VCRs) or foreign (a joint-stock partner: a high standard for all)",
    )
    goods: NonNeg = Field(
        0.0, description="rubles a worker a month of goods in kind, for every worker"
    )
    car: NonNeg = Field(0.0, description="extra cars per 1,000 workers a year (not a state farm)")
    housing: NonNeg = Field(
        0.0, description="extra flats per 1,000 workers a year (not a state farm)"
    )
    breach_days: PositiveInt | None = Field(
        None,
        description="stoppage days in a month that breach it (default: its kind's, "
        "distribution.partner_terms)",
    )
    suspension_months: PositiveInt | None = Field(
        None,
        description="months a breached contract stops its supplies (default: its kind's; a "
        "foreign partner's contract ends for good)",
    )

    @model_validator(mode="after")
    def _farm_supplies_food(self) -> Partner:
        if self.kind == "state_farm" and (self.car or self.housing):
            raise ValueError("a state_farm supplies food (goods) only: expected car and housing 0")
        return self


class Enterprise(Strict):
    name: str = Field(
        description="the enterprise's name (with count > 1, the stem of 'name 1', 'name 2' ...)"
    )
    industry: str = Field(description="the industry it belongs to")
    town: str = Field(description="the town it stands in")
    workers: PositiveInt = Field(description="real workers at the start (each, when count > 1)")
    count: PositiveInt = Field(1, description="build this many alike, named 'name 1', 'name 2' ...")
    shop_technology_age: dict[str, NonNeg] = Field(
        {},
        description="shop kind -> years of its equipment, overriding the industry's shop template",
    )
    social_scale: NonNeg = Field(
        1.0, description="its social infrastructure relative to the industry's norm (1 = the norm)"
    )
    distribution: Literal["privileged", "single_line"] | None = Field(
        None, description="its list rule, privileged or single_line (default: distribution.rule)"
    )
    published: bool | None = Field(
        None, description="whether it publishes who got what (default: distribution.published)"
    )
    privileged_occupations: list[str] | None = Field(
        None, description="occupations on its priority line (default: its industry's)"
    )
    management_capacity: Share | None = Field(
        None, description="its management's capacity (0 to 1), overriding the size-based value"
    )
    partners: list[Partner] = Field(
        [], description="horizontal contracts supplying goods, cars or flats"
    )
    joint_stock: bool = Field(
        False,
        description="a miners' joint-stock company with its foreign partner (one Kuzbass mine's "
        "elected leader found one; source: the comparative study): needs a foreign partner",
    )


class Link(Strict):
    """A strike-committee link between two towns, beyond the default regional links."""

    a: str = Field(description="one town of the link")
    b: str = Field(description="the other town")
    weight: NonNeg = Field(
        1.0,
        description="strength of the committees' link between the two towns (same-region links "
        "weigh same_region_weight)",
    )


class Spark(Strict):
    """A dated incident where one brigade walks out (the historical start of a wave)."""

    date: dt.date = Field(description="the day of the walk-out")
    enterprise: str = Field(description="the enterprise where it happens")
    shop: str | None = Field(
        None, description="the shop kind that walks out (default: the first shop)"
    )
    brigades: PositiveInt = Field(1, description="number of brigades that walk out")


class Reform(Strict):
    date: dt.date = Field(description="the day it takes effect")
    kind: Literal[
        "self_financing",
        "shop_cost_accounting",
        "openness",
        "publish_distribution",
        "single_line",
        "price_liberalisation",
        "wage_change",
        "strike_fund",
        "privatisation",
        "closure",
        "labour_surplus",
        "welfare_takeover",
        "market_opening",
    ] = Field(description="which reform (what each does: src/mutualdep/mechanisms/reforms.py)")
    industry: str | None = Field(None, description="only this industry (default: everyone)")
    enterprise: str | None = Field(None, description="only this enterprise (default: everyone)")
    value: float = Field(
        0.0,
        description="the reform's size, in the unit its kind says (a share, rubles or a "
        "multiplier)",
    )


# --------------------------------------------------------------------------- mechanisms


class ProductionParams(Strict):
    enabled: bool = Field(
        True, description="false switches this mechanism off (its daily phase is skipped)"
    )
    technology_decay: NonNeg = Field(0.006, description="capacity lost per year of technology age")
    breakdown_rate: NonNeg = Field(0.0004, description="daily breakdown chance per year of age")
    plan_tautness: Positive = Field(1.0, description="plan over expected output at normal staffing")
    normal_staffing: Share = Field(0.97, description="share of posts filled that planners assume")
    ratchet: NonNeg = Field(0.03, description="plan increase after a year the plan was met")
    storm_days: int = Field(
        10, ge=0, description="last days of a quarter in which a shop behind plan storms"
    )
    storm_boost: NonNeg = Field(
        0.15, description="extra output while storming, a share of normal output"
    )
    storm_quality_loss: Share = Field(
        0.1,
        description="share of a storming shop's output that is defective: it counts towards the "
        "plan but sells for nothing (assumption; the field study: defective steel is sent back "
        "through the furnaces)",
    )
    storm_accident_factor: NonNeg = Field(
        1.0, description="extra breakdown and accident rate while storming (1 = doubled)"
    )


class MoneyParams(Strict):
    enabled: bool = Field(
        True, description="false switches this mechanism off (its daily phase is skipped)"
    )
    social_share_of_profit: Share = Field(
        0.3, description="share of profit paid into the social fund under self-financing"
    )
    social_cost_per_worker: Positive = Field(
        40.0, description="rubles a month the social fund needs per worker"
    )


class PayParams(Strict):
    enabled: bool = Field(
        True, description="false switches this mechanism off (its daily phase is skipped)"
    )
    night_premium: NonNeg = Field(
        0.4, description="extra pay for night shifts, a share of base pay"
    )
    bonus_share: NonNeg = Field(0.3, description="shop bonus as share of base, paid if plan met")
    saving_rate: Share = Field(0.1, description="share of monthly pay saved")
    skill_premium: NonNeg = Field(
        0.3, description="extra pay per unit of skill above average, a share of base pay"
    )


class ListValues(Strict):
    """Rubles a unit is worth to a worker."""

    housing: NonNeg = Field(20000.0, description="rubles a flat is worth to a worker")
    car: NonNeg = Field(5000.0, description="rubles a car is worth to a worker")
    voucher: NonNeg = Field(150.0, description="rubles a holiday voucher is worth to a worker")
    daycare: NonNeg = Field(1200.0, description="rubles a day-care place is worth to a worker")


class ListWaits(Strict):
    """Years a worker who leaves would wait afresh elsewhere (the municipal line for a flat)."""

    housing: NonNeg = Field(
        20.0, description="years a leaver would wait afresh for a flat (the municipal line)"
    )
    car: NonNeg = Field(8.0, description="years a leaver would wait afresh for a car")
    voucher: NonNeg = Field(1.0, description="years a leaver would wait afresh for a voucher")
    daycare: NonNeg = Field(
        2.0, description="years a leaver would wait afresh for a day-care place"
    )


class ListDays(Strict):
    """Month-day of each list's yearly allocation."""

    housing: MonthDay = Field(
        "12-01", description="month-day (MM-DD) of the yearly housing allocation"
    )
    car: MonthDay = Field("06-01", description="month-day (MM-DD) of the yearly car allocation")
    voucher: MonthDay = Field(
        "05-01", description="month-day (MM-DD) of the yearly voucher allocation"
    )
    daycare: MonthDay = Field(
        "09-01", description="month-day (MM-DD) of the yearly day-care allocation"
    )


class LabourResponseParams(Strict):
    """How much an enterprise acquires and hands out (``LabourResponse``, distribution.py):
    flats built or bought, cars, vouchers, day-care places, goods from its own farm and from
    trading partners, and so the privileged places among them, rise with the labour it lacks and
    fall when labour is plentiful, a raise only as far as its social fund pays. Off by default:
    no source gives the size of the response, and on it changes every built-in's allocations
    (docs/distribution.md has the measured effect)."""

    enabled: bool = Field(
        False,
        description="true scales each enterprise's acquisitions by its labour need (off: the "
        "industry's provision as planned, tables identical to a run without it)",
    )
    vacancy_effect: NonNeg = Field(
        5.0,
        description="acquisitions multiply by 1 + vacancy_effect x (vacancy rate - "
        "reference_vacancy) + quit_effect x (quit rate - reference_quit_rate): 5 = each point "
        "of posts vacant above the reference adds 5 percent (assumption)",
    )
    quit_effect: NonNeg = Field(
        0.5,
        description="the same for the yearly quit rate over the last 12 months: 0.5 = each 10 "
        "points of quits a year above the reference add 5 percent (assumption)",
    )
    reference_vacancy: Share = Field(
        0.03,
        description="vacancy rate at which an enterprise acquires as planned (calibrated: the "
        "mean of kuzbass-1989's enterprises' month ends in 1989 without the response, 0.028 "
        "over seeds 0-4)",
    )
    reference_quit_rate: NonNeg = Field(
        0.33,
        description="yearly quits over headcount at which an enterprise acquires as planned "
        "(calibrated: the mean of kuzbass-1989's enterprises in 1989 without the response, "
        "seeds 0-4)",
    )
    max_raise: NonNeg = Field(
        0.5,
        description="the most the response adds, a share of planned acquisitions, for an "
        "enterprise whose social fund is full; it scales with the fund (funding, at most 1), so "
        "a fund that self-financing starved buys nothing extra (assumption)",
    )
    max_cut: Share = Field(
        0.5,
        description="the most plentiful labour takes off, a share of planned acquisitions "
        "(assumption)",
    )


class PartnerTerms(Strict):
    """A kind of partner's terms: the stoppage it tolerates and what a breach costs."""

    breach_days: PositiveInt = Field(description="stoppage days in a month that breach it")
    suspension_months: PositiveInt | None = Field(
        description="months a breach stops its supplies; none: the contract ends for good"
    )


class PartnerKinds(Strict):
    """Terms by kind of partner; a partner's own ``breach_days``/``suspension_months`` win."""

    state_farm: PartnerTerms = Field(
        PartnerTerms(breach_days=10, suspension_months=3),
        description="a state or collective farm: food for the canteens and food orders; its "
        "contract tolerates short stoppages, 10 days, and resumes after 3 months (assumption: "
        "the sources say only that a stoppage breaches such contracts)",
    )
    barter: PartnerTerms = Field(
        PartnerTerms(breach_days=1, suspension_months=6),
        description="barter partners (furniture, cars, cassette players, VCRs): goods for goods, "
        "broken by any stoppage day and suspended 6 months (assumption)",
    )
    foreign: PartnerTerms = Field(
        PartnerTerms(breach_days=1, suspension_months=None),
        description="a foreign joint-stock partner: any stoppage day ends the contract for good "
        "(source: the comparative study, a strike would have ended the mine's arrangement; the "
        "one day is an assumption)",
    )


class DistributionParams(Strict):
    enabled: bool = Field(
        True, description="false switches this mechanism off (its daily phase is skipped)"
    )
    rule: Literal["privileged", "single_line"] = Field(
        "privileged",
        description="privileged (a priority line for exemplary workers and favoured occupations) "
        "or single_line",
    )
    published: bool = Field(
        False,
        description="whether who got what is published (raises the sense of injustice of a "
        "privileged line)",
    )
    exemplary_share: Share = Field(
        0.05,
        description="share of workers made exemplary (first in line), growing with tenure up to "
        "2x at 16 years",
    )
    privileged_quota: Share = Field(
        0.5, description="share of units for the priority line under the privileged rule"
    )
    leakage: Share = Field(0.1, description="share of units that go to insiders never on the list")
    value: ListValues = Field(
        ListValues(), description="rubles a unit of each list is worth to a worker"
    )
    restart_wait_years: ListWaits = Field(
        ListWaits(), description="years a leaver would wait afresh elsewhere, per list"
    )
    allocation_day: ListDays = Field(
        ListDays(), description="month-day of each list's yearly allocation"
    )
    discount_rate: NonNeg = Field(
        0.1, description="yearly rate at which a worker discounts a place far down the line"
    )
    goods_horizon_months: NonNeg = Field(
        24.0,
        description="months of goods in kind management withdraws from a sanctioned worker, and "
        "that a leaver loses (assumption)",
    )
    portable_places: bool = Field(
        False,
        description="ablation: a worker keeps his place on every list when he leaves or is "
        "sanctioned, so places in line are not at stake",
    )
    portable_months: Positive = Field(
        3.0, description="months of pay a leaver or failed striker loses in cash"
    )
    own_flat_share: Share = Field(
        0.15,
        description="share of workers housed independently of the enterprise "
        "(co-operative, family)",
    )
    barracks_share: Share = Field(0.2, description="share of the unhoused in barracks/hostels")
    labour_response: LabourResponseParams = Field(
        LabourResponseParams(),
        description="acquisitions that answer the labour market: vacancies and quits raise "
        "them, plentiful labour lowers them, within the social fund",
    )
    partner_terms: PartnerKinds = Field(
        PartnerKinds(), description="trading partners' terms by kind (what a stoppage breaches)"
    )
    stoppage_cost: bool = Field(
        False,
        description="a worker deciding to strike counts, as a certain cost, the partner goods a "
        "stoppage of collective_action.expected_days would cut off (for the suspension, or "
        "goods_horizon_months when it ends the contract), less what his town supplies; off by "
        "default to keep the calibrated scenarios (assumption, after the source: a strike would "
        "have ended the joint-stock mine's arrangement)",
    )


class LabourMarketParams(Strict):
    enabled: bool = Field(
        True, description="false switches this mechanism off (its daily phase is skipped)"
    )
    quit_rate: NonNeg = Field(0.012, description="monthly quit hazard of a reference worker")
    young_factor: NonNeg = Field(2.5, description="quit hazard multiplier for workers under 30")
    single_factor: NonNeg = Field(
        1.8, description="quit hazard multiplier for single workers (married = 1)"
    )
    children_factor: NonNeg = Field(
        0.5, description="quit hazard multiplier for workers with children (married = 1)"
    )
    stake_effect: NonNeg = Field(1.0, description="how much a year's wage of stake damps quitting")
    grievance_effect: NonNeg = Field(
        1.0, description="quits multiply by 1 + grievance_effect x grievance"
    )
    pay_effect: NonNeg = Field(
        1.5, description="quits multiply, and hiring divides, by exp(pay_effect x pay shortfall)"
    )
    fill_rate: Share = Field(0.04, description="share of vacancies filled a day (labour shortage)")
    privilege_vacancy: Share = Field(
        0.08, description="vacancy rate at which managers privilege an occupation"
    )
    retire_rate: Share = Field(
        0.1, description="monthly chance that a worker past retirement age retires"
    )
    fire_rate: NonNeg = Field(0.0005, description="monthly disciplinary firing hazard")
    rehire: bool = Field(
        True,
        description="quitters and dismissed workers seek work in their town and fill its "
        "vacancies before new entrants, highest pay first, never at the enterprise they left; "
        "off, they stay seekers and vacancies go to entrants (assumption)",
    )
    transfer_rate: Share = Field(
        0.02,
        description="monthly chance a worker on the housing line in an unprivileged job (a cook, "
        "a teacher) takes a privileged job in a shop of his enterprise with vacancies, keeping "
        "his place in line, to get his flat sooner (assumption)",
    )
    return_rate: Share = Field(
        0.1,
        description="monthly chance such a worker, once housed, asks to go back to his trade; "
        "his shop boss lets him go with chance 1 - vacancy rate / privilege_vacancy, never "
        "when short by privilege_vacancy or more (assumption)",
    )
    outside_pay_effect: NonNeg = Field(
        0.0,
        description="quits multiply by exp(outside_pay_effect x pull), pull = the best pay of "
        "another industry with vacancies in his town over his own, less 1, capped at 1: the "
        "move from steel to the mines for the wage. 0 by default (assumption): at 0.7 steel's "
        "quits double in mining towns and its July 1989 participation rises from about 0.6 to "
        "0.85 (kuzbass-1989, 3 seeds), against the sources",
    )


class CityParams(Strict):
    """The city soviet (mechanisms/city.py): its own housing list for the people outside the
    big enterprises (teachers, doctors ...), funded by what the enterprises return. Off by
    default: only Magnitogorsk's sources give its figures."""

    enabled: bool = Field(
        False,
        description="true runs the city soviet (off: no built-in but Magnitogorsk has its figures)",
    )
    profit_share: Share = Field(
        0.06,
        description="share of the town's enterprises' profit returned to the city (source: "
        "Magnitogorsk 1989, 60 million of the works' 1 billion rubles)",
    )
    flat_share: Share = Field(
        0.10,
        description="share of the flats an enterprise builds that it passes to the city, "
        "stopped once its industry is on self-financing (source: Magnitogorsk)",
    )
    flat_cost: Positive = Field(
        20000.0, description="rubles of the city's fund a flat costs (assumption)"
    )
    staff_industries: list[str] = Field(
        ["service"], description="industries whose workers are on the city's list (assumption)"
    )
    leave_rate: Share = Field(
        0.004,
        description="monthly chance a city employee on the housing list leaves for lack of a "
        "flat (assumption, after the source: 38 of 1,205 Magnitogorsk doctors left in 1988, "
        "about 3 percent a year, mostly for lack of housing)",
    )


class UnionGoodsParams(Strict):
    """The union that holds an enterprise's lists hands out goods, vouchers and coupons to its
    own members only (mechanisms/institutions.py, distribution.py, market.py)."""

    enabled: bool = Field(
        False,
        description="true (with the institutions on): the holiday-voucher list, "
        "``goods_share`` of the enterprise's goods "
        "and ``coupon_share`` of its coupons go only to members of the union that holds the "
        "lists, and a member who leaves it goes to the back of the voucher line (source: the "
        "model brief, the official union saw its job as handing out goods; coupons are handed "
        "out by the trade union, the Komsomol and the party). Off by default: on, it moves "
        "kuzbass-1989 (docs/institutions.md gives how far)",
    )
    goods_share: Share = Field(
        0.5,
        description="share of the enterprise's goods in kind (social.goods and its partners') "
        "handed out through the union (assumption: half, the rest through shops and canteens "
        "open to every worker)",
    )
    coupon_share: Share = Field(
        1 / 3,
        description="share of the coupons the union issues (assumption: a third, one of the "
        "three issuers the sources name: the union, the Komsomol and the party)",
    )


class ScandalParams(Strict):
    """Once an enterprise's lists are published the official union sinks into scandal."""

    enabled: bool = Field(
        False,
        description="true: where the lists are published (a publication campaign, the "
        "publish_distribution reform, a won strike) official-union members leave it for none "
        "at ``rate`` a month (source: the comparative study, after the strikes delegates "
        "demanded openness about who got what, and the union sank into scandal). Off by default: "
        "on, it moves kuzbass-1989",
    )
    rate: Share = Field(
        0.05,
        description="monthly chance that an official-union member leaves it once his "
        "enterprise's lists are published (assumption: no source gives a rate)",
    )


class OfficeCommandParams(Strict):
    """A director in elected office keeps command: a won strike needs more to remove him."""

    enabled: bool = Field(
        False,
        description="true: a director who has won an elected office is removed only by a won "
        "strike with ``removal_share`` of his workers out, and his workers weigh what a win "
        "could take in their enterprise against that bar (source: the comparative study, the "
        "Donetsk plant director turned the plant's largesse into a seat in parliament; "
        "directors use their position to keep command). Off by default",
    )
    removal_share: Share = Field(
        0.95,
        description="strike share at a win that removes a director in office, instead of "
        "management.removal_share (assumption: nearly the whole workforce; an office holder has "
        "allies above the enterprise)",
    )


class InstitutionsParams(Strict):
    """The enterprise's institutions as actors (mechanisms/institutions.py): the official and
    the independent union, the labour council (STK), elected or appointed shop bosses, and the
    director. Off by default: switched on, the calibrated scenarios move (docs/institutions.md
    gives how far)."""

    enabled: bool = Field(
        False,
        description="true runs the institutions (off: no union membership, no council, no "
        "elected bosses; management still removes a director after a won strike)",
    )
    reform_date: dt.date = Field(
        dt.date(1987, 7, 1),
        description="the day labour councils start to rule on privileges and shops start to "
        "elect their bosses (source: the Law on the State Enterprise of 30 June 1987; the field "
        "study: shop bosses are now elected)",
    )
    switch_rate: Share = Field(
        0.1,
        description="monthly chance that a worker who is not in the union that distributes in "
        "his enterprise leaves his union for it (for none, where no union has anything to hand "
        "out) (assumption: about half a workforce moves within half a year)",
    )
    starve_funding: Share = Field(
        0.5,
        description="social funding (1 = as planned) below which the union that holds the lists "
        "has too little to hand out to keep its members (assumption)",
    )
    council_share: Share = Field(
        0.05,
        description="share of the enterprise's workforce an occupation needs before the labour "
        "council admits it to the privileged line, whoever asks: management or a campaign "
        "(assumption: the council is elected by the collective, so large trades carry it)",
    )
    elected_share: Share = Field(
        1.0,
        description="share of shops that elect their boss once elections start (source: the "
        "field study, shop bosses are now elected)",
    )
    elected_placate: Share = Field(
        0.05,
        description="share of his shop's grievance an elected boss takes away each month "
        "(assumption, small: the field study calls the campaign speeches demagoguery)",
    )
    appointed_deter: NonNeg = Field(
        0.0,
        description="extra share of what a failed strike would take that the workers of an "
        "appointed boss's shop expect to lose (assumption: 0, management's calibrated threat "
        "already stands for the appointed hierarchy)",
    )
    new_director_capacity: Share = Field(
        0.5,
        description="a director appointed after a won strike starts with this share of the "
        "management capacity his predecessor had (assumption: the miners elected their new "
        "directors, who answered to the collective)",
    )
    office_largesse: NonNeg = Field(
        60.0,
        description="in-kind rubles a month per worker an enterprise hands out above which its "
        "director can turn the largesse into political office (assumption: between what a mine "
        "(about 20) and a steel plant (about 75) hand out in the built-in scenarios)",
    )
    office_chance: Share = Field(
        0.1,
        description="yearly chance that such a director wins an elected office (assumption, "
        "after the comparative study: the Donetsk plant director's seat in parliament)",
    )
    office_from: dt.date = Field(
        dt.date(1989, 3, 26),
        description="first day an elected office is open to a director (source: the first "
        "contested elections, to the Congress of People's Deputies, 26 March 1989)",
    )
    union_goods: UnionGoodsParams = Field(
        UnionGoodsParams(), description="what the union that holds the lists hands out"
    )
    scandal: ScandalParams = Field(
        ScandalParams(), description="the official union's scandal once the lists are published"
    )
    office_command: OfficeCommandParams = Field(
        OfficeCommandParams(), description="a director in elected office keeps command"
    )


class OwnershipParams(Strict):
    """Ownership and control (mechanisms/ownership.py): state-owned; employee-owned with
    management in control; employee-owned under workers' control; a joint-stock company with a
    foreign partner. On by default and neutral where nothing is privatised or joint-stock."""

    enabled: bool = Field(
        True, description="false switches this mechanism off (its daily phase is skipped)"
    )
    control_share: Share = Field(
        0.5,
        description="share of an employee-owned enterprise's workers out at the peak of a won "
        "strike for it to turn formal ownership into workers' control (assumption: a majority; "
        "source for the move itself: the comparative study, strikes can turn formal ownership "
        "into real control)",
    )
    control_chance: Share = Field(
        1.0,
        description="chance such a won strike hands control to the workers (assumption)",
    )
    workers_capacity: Share = Field(
        0.5,
        description="management's capacity under workers' control, as a share of what it was: "
        "elected directors answer to the collective (assumption; source: striking miners removed "
        "their directors and gained control over their workplaces)",
    )
    workers_pay: NonNeg = Field(
        0.1,
        description="pay rise (share of base pay) an enterprise under workers' control grants "
        "itself (assumption; source: the miners' wages later outran inflation)",
    )
    management_pay: NonNeg = Field(
        0.0,
        description="pay rise at privatisation under management control (assumption: none; "
        "directors keep command and the privileged rule, so nothing else changes)",
    )


class MarketChannel(Strict):
    """One way to get goods without the enterprise, and the list items it can stand in for."""

    scope: Share = Field(
        0.0, description="share of the enterprise's goods in kind to be had here (0 to 1)"
    )
    premium: NonNeg = Field(
        0.0,
        description="its price over the state price, less 1 (1 = twice the state price), at "
        "the start; it shrinks as the state price level rises",
    )
    housing_years: Positive | None = Field(
        None, description="years to get a flat here (none: not to be had here)"
    )
    car_years: Positive | None = Field(
        None, description="years to get a car here (none: not to be had here)"
    )
    voucher_years: Positive | None = Field(
        None, description="years to get a holiday here (none: not to be had here)"
    )
    daycare_years: Positive | None = Field(
        None, description="years to get a day-care place here (none: not to be had here)"
    )


class CouponParams(Strict):
    """Coupons handed out at the workplace by the union, the Komsomol and the party."""

    enabled: bool = Field(
        False, description="true hands out coupons (off: none, whatever ``per_worker`` says)"
    )
    per_worker: NonNeg = Field(
        0.0,
        description="coupons a month per 1 employed worker, each worth ``value`` rubles of goods "
        "(0: none; assumption, no source gives a number)",
    )
    value: NonNeg = Field(
        20.0, description="rubles of goods a coupon buys at state prices (assumption)"
    )
    leakage: Share = Field(
        0.3,
        description="share of coupons that go to workers with connections, not by need "
        "(assumption, after the field study: nobody knows to whom they go)",
    )
    connected_share: Share = Field(
        0.1,
        description="share of workers with connections to the issuers (assumption)",
    )
    black_market: bool = Field(
        False,
        description="true: the leaked coupons' goods turn up on the black market and widen "
        "the shadow economy's scope in their town by the leaked rubles over the rubles of goods "
        "in kind its enterprises hand out (source: the model brief, coupon goods turn up on the "
        "black market). Off by default: on, it moves kuzbass-1989 (docs/market.md)",
    )


class MarketParams(Strict):
    """The market outside the enterprise (mechanisms/market.py): what a worker can get without
    it, at what price, and the coupons. Off by default: the stake then counts only
    ``towns.*.market_access`` as before."""

    enabled: bool = Field(
        False,
        description="true runs the outside market (off: only towns' market_access, as before)",
    )
    cooperatives: MarketChannel = Field(
        MarketChannel(scope=0.02, premium=1.5, housing_years=8.0),
        description="cooperatives (a few before the 1988 law) and housing co-operatives, which "
        "sold flats for savings (assumption: a scarce, dear channel)",
    )
    shadow: MarketChannel = Field(
        MarketChannel(scope=0.1, premium=2.0, car_years=1.0),
        description="the shadow economy: goods and second-hand cars at black-market prices "
        "(assumption)",
    )
    private_plots: MarketChannel = Field(
        MarketChannel(scope=0.05, premium=0.0),
        description="food from a family's own plot, at the cost of its own labour (assumption)",
    )
    coupons: CouponParams = Field(CouponParams(), description="coupons at the workplace")
    liberalised_scope: Share = Field(
        0.6,
        description="scope of the state shops once prices are freed: goods appear at the new "
        "prices (assumption)",
    )


class GrievanceParams(Strict):
    enabled: bool = Field(
        True, description="false switches this mechanism off (its daily phase is skipped)"
    )
    pay: NonNeg = Field(
        0.35,
        description="weight of pay below what the worker expects (bonus, arrears and inflation "
        "included)",
    )
    danger: NonNeg = Field(0.15, description="weight of the occupation's danger")
    housing: NonNeg = Field(0.15, description="weight of living in barracks or shared housing")
    wait: NonNeg = Field(0.1, description="weight of the years already waited for a flat")
    injustice: NonNeg = Field(
        0.1,
        description="weight of injustice in distribution (leakage; privileged lines once "
        "published)",
    )
    shortage: NonNeg = Field(0.15, description="weight of the economy-wide shortage index")
    pollution: NonNeg = Field(0.1, description="weight of the shop's pollution")
    noise: NonNeg = Field(0.1, description="spread of each worker's personal grievance offset")
    accident_shock: NonNeg = Field(
        0.02, description="enterprise grievance shock per death in an accident"
    )
    shock_half_life_days: Positive = Field(
        30.0, description="days in which an enterprise's grievance shock halves"
    )
    shortage_index: list[tuple[dt.date, Share]] = Field(
        [
            (dt.date(1985, 1, 1), 0.3),
            (dt.date(1989, 1, 1), 0.7),
            (dt.date(1991, 6, 1), 0.9),
            (dt.date(1992, 6, 1), 0.5),
        ],
        description="dated series (date, level 0 to 1) of shortages of goods, stepwise",
    )


class CollectiveActionParams(Strict):
    enabled: bool = Field(
        True, description="false switches this mechanism off (its daily phase is skipped)"
    )
    thresholds: list[Annotated[int, Field(ge=0)]] | None = Field(
        None,
        description="Granovetter mode: one integer per worker, strikers needed before he joins",
    )
    win_value: NonNeg = Field(
        3000.0,
        description="rubles a fully aggrieved worker who struck gains by a win, beyond what the "
        "win brings to everyone (control over distribution, a voice in the new order, removal of "
        "bad bosses); the pay rise a protocol brings to all (state.win_raise) is not in it",
    )
    raise_months: NonNeg = Field(
        24.0,
        description="months over which a worker values the pay rise a win brings to his whole "
        "group whether or not he struck (the free-rider part; assumption)",
    )
    gain_in_own_enterprise: bool = Field(
        False,
        description="the selective gain of a win (control over distribution, a voice, bad bosses "
        "removed) is won only where the worker's own enterprise takes control "
        "(management.removal_share of it out at the win, as management carries it out), so he "
        "weighs it by (the share he expects of his enterprise out / removal_share)^prospect_curve, "
        "at most 1; false: every striker counts it in full, whoever wins (source: the "
        "comparative study, 'if every worker of a plant struck ... they could take control of "
        "distribution inside the enterprise'). Off in the schema; on in kuzbass-1989 and the "
        "scenarios built on it, where wave-1989 is fitted with it (docs/decision.md)",
    )
    prospect_curve: Positive = Field(
        1.0,
        description="with gain_in_own_enterprise, the share of the selective gain a worker's own "
        "enterprise can deliver is (share out / removal_share)^prospect_curve: 1 makes it grow "
        "in proportion to the share out up to the bar, below 1 the first strikers count most "
        "(assumption; its own exponent, apart from success_curve, because the chance the strike "
        "wins and the chance one's own enterprise takes control are different things)",
    )
    prospect_town_share: Share = Field(
        0.0,
        description="with gain_in_own_enterprise, weight of the share of all his town's workers "
        "out (every industry) in the share of his own enterprise a worker expects out; 0: only "
        "his own industry's share counts, workers in the same position take the same side "
        "(assumption; steel's quiet in the miners' wave hinges on it, docs/decision.md)",
    )
    expected_days: NonNeg = Field(14.0, description="expected length of a strike, days")
    strike_fund: Share = Field(0.0, description="share of lost pay the fund replaces")
    savings_cushion: Share = Field(
        0.5, description="share of lost strike pay that savings covering it in full would soften"
    )
    sanction: Share = Field(
        0.3,
        description="chance workers expect that management carries out its sanctions after a "
        "failed strike, before they have seen it do so (their prior; assumption)",
    )
    sanction_learning: Share = Field(
        0.5,
        description="how far one failed strike seen in the town moves that expectation towards "
        "what management did (sanctions carried out or not; assumption)",
    )
    hidden_anger: Share = Field(
        0.5,
        description="share of his grievance a fully dependent worker keeps to himself where voice "
        "is not tolerated; openness narrows the gap (assumption)",
    )
    risk_mean: Positive = Field(
        200.0, description="mean private cost of acting (fear, effort), rubles"
    )
    risk_sd: NonNeg = Field(0.8, description="log-scale spread of the private cost of acting")
    trust_effect: Share = Field(
        0.5, description="share of the private cost that full team trust removes"
    )
    success_curve: Positive = Field(
        0.5,
        description="P(success) = belief x participation^success_curve; "
        "below 1 the first strikers count most",
    )
    belief: Share = Field(0.6, description="initial belief that a general strike wins")
    stay_factor: Positive = Field(
        0.6, description="strikers stay while participation >= this x threshold"
    )
    spark_rate: NonNeg = Field(
        0.0, description="daily chance of a spontaneous walk-out per aggrieved shop"
    )
    spark_grievance: Share = Field(
        0.6, description="shop grievance (0 to 1) above which spontaneous walk-outs can happen"
    )


class CampaignsParams(Strict):
    """Campaigns over the rules of distribution (mechanisms/campaigns.py)."""

    enabled: bool = Field(
        True, description="false switches this mechanism off (its daily phase is skipped)"
    )
    value: NonNeg = Field(
        1500.0,
        description="rubles a changed rule is worth to a fully aggrieved supporter "
        "(assumption: half the strike's win_value, a rule and not pay)",
    )
    voice_sanction: Share = Field(
        0.3,
        description="chance a campaigner loses his in-kind stake where voice is not tolerated "
        "(x (1 - openness); assumption: the strike's sanction)",
    )
    effort: NonNeg = Field(
        0.3,
        description="share of his private cost of acting a campaign carries "
        "(assumption: meetings and petitions, not a stoppage)",
    )
    min_share: Share = Field(
        0.3,
        description="share of a claim's supporters who must take part for it to be pressed "
        "(assumption)",
    )


class SpreadParams(Strict):
    enabled: bool = Field(
        True, description="false switches this mechanism off (its daily phase is skipped)"
    )
    shop: NonNeg = Field(1.0, description="weight of the share out in the worker's own shop")
    enterprise: NonNeg = Field(1.0, description="weight of the share out in his enterprise")
    town: NonNeg = Field(
        1.0, description="weight of the share out in his town (plus the committees' signal)"
    )
    region: NonNeg = Field(1.0, description="weight of the share out in his region")
    industry_affinity: Share = Field(
        0.5,
        description="weight a worker gives his own industry's share out in town and region "
        "(rest: all workers)",
    )
    ties: NonNeg = Field(
        1.0,
        description="weight of the share of a worker's personal ties on strike in what he sees",
    )
    ties_shop: int = Field(
        2, ge=0, description="personal ties per worker to workmates in other shops (assumption)"
    )
    ties_town: int = Field(
        2,
        ge=0,
        description="personal ties per worker to neighbours and kin in other enterprises of his "
        "town (assumption)",
    )
    committee_share: Share = Field(0.2, description="town strike share at which a committee forms")
    communication: NonNeg = Field(0.6, description="fax, duplicators, typewriters: signal strength")
    industry_news: Share = Field(
        1.0,
        description="weight of the committees' news of his own industry out in other towns in "
        "the share a worker expects of his enterprise out (q, with gain_in_own_enterprise); "
        "0: he reads it only from his own town and region (assumption)",
    )
    means_start: NonNeg = Field(
        3.0,
        description="linked towns a new committee's means (a typewriter, a telephone) reach "
        "(assumption)",
    )
    means_growth: NonNeg = Field(
        0.5,
        description="linked towns a committee's means reach more each day it sits: duplicators, "
        "fax machines (assumption)",
    )
    local_needs_chance: Share = Field(
        0.1,
        description="chance a committee lets a striking enterprise that supplies its own town "
        "keep producing for local needs (assumption; 1991: some mines did)",
    )
    local_needs_share: Share = Field(
        0.3,
        description="share of such an enterprise's strikers who keep producing (assumption)",
    )
    same_region_weight: NonNeg = Field(
        1.0, description="committee link weight between two towns of the same region"
    )
    cross_region_weight: NonNeg = Field(
        0.1, description="committee link weight between towns of different regions"
    )
    links: list[Link] = Field([], description="extra committee links between named towns")


class ManagementParams(Strict):
    enabled: bool = Field(
        True, description="false switches this mechanism off (its daily phase is skipped)"
    )
    threat: NonNeg = Field(
        0.5,
        description="extra chance of sanctions a full-capacity manager announces while strikes "
        "are near (the leaflet listing what participants would lose)",
    )
    sanction_reach: Share = Field(
        0.2,
        description="share of its workforce a full-capacity management can strike off its lists "
        "after a failed strike: initiators first, then strikers in the order they walked out "
        "(assumption)",
    )
    placate_rate: Share = Field(
        0.05, description="daily chance per unit capacity of buying off a striking shop"
    )
    placate_effect: Share = Field(
        0.3, description="share of a placated shop's grievance that falls away"
    )
    committee_rate: Share = Field(
        0.2, description="daily chance per unit capacity of a managers' committee"
    )
    committee_effect: Share = Field(
        0.4, description="share of the win's value the committee promises"
    )
    fire_initiators: Share = Field(
        0.5, description="chance per unit capacity that a failed strike's initiators are fired"
    )
    removal_share: Share = Field(0.8, description="strike share at a win that removes the director")


class StateParams(Strict):
    """The regime's answer to strikes (mechanisms/state.py)."""

    enabled: bool = Field(
        True, description="false switches this mechanism off (its daily phase is skipped)"
    )
    openness: Share = Field(
        0.7,
        description="the regime's tolerance of voice at the start (0 to 1): concessions up, "
        "repression down",
    )
    answer_rate: Share = Field(
        0.35,
        description="daily chance the regime takes up a region's strike at full pressure "
        "(calibrated: the old concede_rate x openness, the daily chance of a protocol)",
    )
    army_reluctance: Share = Field(
        0.8,
        description="chance a crackdown fails because soldiers refuse to fire "
        "(assumption, after the 1990 column: those who fired became pariahs)",
    )
    crackdown_belief: Share = Field(
        0.3,
        description="the regime's initial expectation that a crackdown succeeds (assumption)",
    )
    concession_cost: NonNeg = Field(
        0.3,
        description="what a protocol costs the regime, in units of a region at full pressure "
        "(assumption)",
    )
    repression_cost: NonNeg = Field(
        1.0,
        description="cost of a successful crackdown at full openness, same units (assumption)",
    )
    failure_cost: NonNeg = Field(
        2.0,
        description="cost of a failed crackdown (retribution, then a protocol anyway), same units "
        "(assumption)",
    )
    arrest_share: Share = Field(
        0.05, description="share of strikers besides the initiators arrested (assumption)"
    )
    dismissal_share: Share = Field(
        0.1, description="share of the other strikers dismissed after a crackdown (assumption)"
    )
    arrest_days: int = Field(
        15,
        ge=0,
        description="days an arrested striker is held (not employed, not hireable) before he is "
        "released as a job seeker (assumption: the Soviet administrative arrest of up to 15 days)",
    )
    min_days: int = Field(3, ge=0, description="days a region must be out before the state answers")
    full_share: Positive = Field(
        0.3, description="share of a region's workers out that is full pressure"
    )
    win_raise: NonNeg = Field(0.1, description="pay rise won by a protocol")
    offer_months: NonNeg = Field(
        12.0,
        description="months of the raise a striker counts when he weighs a protocol "
        "(assumption: a year, the horizon over which it was expected to be kept)",
    )
    holdout_value: NonNeg = Field(
        3000.0,
        description="rubles a fully aggrieved striker hopes to win by holding out against a "
        "protocol, beyond it (assumption: the default win_value the acceptance rule was built "
        "with). Not the decision's win_value: what a win brings only to those who acted is "
        "delivered when the enterprise accepts and management acts on its won strike",
    )
    accept_share: Share = Field(
        0.5,
        description="share of an enterprise's strikers for a protocol at which it goes back "
        "(assumption: a mass meeting's majority)",
    )
    win_relief: Share = Field(0.5, description="grievance relieved by a protocol")
    learning: Share = Field(
        0.3,
        description="how much a protocol raises (or repression lowers) the belief that strikes win",
    )
    truce_days: int = Field(
        90, ge=0, description="days an enterprise stays at work after it settles or is repressed"
    )


class ReformsParams(Strict):
    enabled: bool = Field(
        True, description="false switches this mechanism off (its daily phase is skipped)"
    )
    timeline: list[Reform] = Field([], description="the dated reforms, in any order")


class OutputParams(Strict):
    shop_days: bool = Field(
        True, description="whether to write the shop_days table (strikers per shop and day)"
    )


class PopulationParams(Strict):
    """Who the workers are when they are made (world.add_workers). All are assumptions of the
    model's author, set to give a plausible heavy-industry workforce; none is calibrated."""

    male_share: Share = Field(0.85, description="share of men (assumption)")
    initial_age_exponent: Positive = Field(
        1.3,
        description="a starting worker's age is 18 + 42 u ^ this (u uniform): above 1, the "
        "workforce leans young (assumption)",
    )
    entrant_age_exponent: Positive = Field(
        2.0,
        description="a hire's age is 18 + 20 u ^ this: most entrants are young (assumption)",
    )
    car_line_share: Share = Field(
        0.4, description="share of workers on the car waiting list (assumption)"
    )
    daycare_share: Share = Field(
        0.4,
        description="share of parents of young children who already have a day-care place "
        "(assumption)",
    )
    starting_grievance: Share = Field(
        0.3, description="grievance before the first month's is computed (assumption)"
    )


class Scenario(Strict):
    name: str = Field(description="the scenario's name (names the default output folder)")
    description: str = Field(
        "",
        description="one paragraph on what the scenario is; the first line is listed by "
        "mutualdep scenarios",
    )
    extends: str | None = Field(
        None,
        description="a built-in name or file this scenario starts from (tables merge key by key)",
    )
    combine: list[str] = Field(
        [],
        description="scenarios whose places (regions, towns, enterprises, sparks) are added to "
        "this one's",
    )
    start: dt.date = Field(description="first simulated day")
    end: dt.date = Field(description="last simulated day")
    scale: PositiveInt = Field(
        1,
        description="real workers one agent stands for: each enterprise gets workers / scale "
        "agents (at least one) and brigades brigade_size / scale; the output tables count real "
        "workers (headcounts, strikers, flows, output, money and allocations multiplied back by "
        "scale)",
    )
    occupations: list[Occupation] = Field(description="the occupations, their pay and danger")
    industries: dict[str, Industry] = Field(
        description="industry name -> its output, prices, shops and social provision"
    )
    regions: list[Region] = Field(description="the regions")
    towns: list[Town] = Field(description="the towns")
    enterprises: list[Enterprise] = Field(description="the enterprises")
    sparks: list[Spark] = Field([], description="dated walk-outs that start a wave")
    production: ProductionParams = Field(ProductionParams(), description="production and the plan")
    money: MoneyParams = Field(MoneyParams(), description="prices, profit and subsidy")
    pay: PayParams = Field(PayParams(), description="pay")
    distribution: DistributionParams = Field(
        DistributionParams(), description="waiting lists and the stake in kind"
    )
    labour_market: LabourMarketParams = Field(
        LabourMarketParams(), description="quits, hires, firings, retirements"
    )
    ownership: OwnershipParams = Field(
        OwnershipParams(), description="ownership and control of each enterprise"
    )
    city: CityParams = Field(
        CityParams(), description="the city soviet: its fund, its own housing list, its staff"
    )
    institutions: InstitutionsParams = Field(
        InstitutionsParams(),
        description="unions, the labour council, shop bosses and the director as actors",
    )
    market: MarketParams = Field(
        MarketParams(), description="the market outside the enterprise and the coupons"
    )
    grievance: GrievanceParams = Field(GrievanceParams(), description="grievance")
    collective_action: CollectiveActionParams = Field(
        CollectiveActionParams(), description="the decision to strike"
    )
    campaigns: CampaignsParams = Field(
        CampaignsParams(), description="campaigns over the rules of distribution"
    )
    spread: SpreadParams = Field(SpreadParams(), description="spread between shops and towns")
    management: ManagementParams = Field(ManagementParams(), description="management's response")
    state: StateParams = Field(StateParams(), description="the state's response")
    reforms: ReformsParams = Field(ReformsParams(), description="reforms on a timeline")
    output: OutputParams = Field(OutputParams(), description="which optional tables to write")
    population: PopulationParams = Field(
        PopulationParams(), description="who the workers are: sex, age, family, starting state"
    )

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        _check_references(self)
        return self

    def enterprise_names(self) -> list[str]:
        names: list[str] = []
        for e in self.enterprises:
            names += [e.name] if e.count == 1 else [f"{e.name} {i + 1}" for i in range(e.count)]
        return names

    def total_workers(self) -> int:
        return sum(e.workers * e.count for e in self.enterprises)


class _RefError(ValueError):
    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


def _need(key: str, value: str | None, known: set[str], what: str) -> None:
    if value is not None and value not in known:
        raise _RefError(
            key, f"expected the name of {what}, got {value!r} (known: {sorted(known)[:12]})"
        )


def _check_references(s: Scenario) -> None:
    if s.end < s.start:
        raise _RefError("end", f"expected a date on or after start {s.start}, got {s.end}")
    for key, items in (
        ("occupations", s.occupations),
        ("enterprises", s.enterprises),
        ("grievance.shortage_index", s.grievance.shortage_index),
        *((f"industries.{n}.shops", ind.shops) for n, ind in s.industries.items()),
        *(
            (f"industries.{n}.shops[{j}].occupations", shop.occupations)
            for n, ind in s.industries.items()
            for j, shop in enumerate(ind.shops)
        ),
    ):
        if not items:
            raise _RefError(key, "expected at least one entry, got none")
    if (n_enterprises := sum(e.count for e in s.enterprises)) > MAX_ENTERPRISES:
        raise _RefError(
            "enterprises",
            f"expected at most {MAX_ENTERPRISES:,} enterprises after count, got {n_enterprises:,}",
        )
    occupations = {o.name for o in s.occupations}
    regions = {r.name for r in s.regions}
    towns = {t.name for t in s.towns}
    industries = set(s.industries)
    for key, names in (
        ("occupations", [o.name for o in s.occupations]),
        ("towns", [t.name for t in s.towns]),
        ("regions", [r.name for r in s.regions]),
        ("enterprises", s.enterprise_names()),
    ):
        dup = {n for n, k in Counter(names).items() if k > 1}
        if dup:
            raise _RefError(key, f"expected unique names, {sorted(dup)} repeated")
    for name, ind in s.industries.items():
        _need(f"industries.{name}.input_industry", ind.input_industry, industries, "an industry")
        for j, shop in enumerate(ind.shops):
            for occ in shop.occupations:
                _need(
                    f"industries.{name}.shops[{j}].occupations", occ, occupations, "an occupation"
                )
        for occ in ind.privileged_occupations:
            _need(f"industries.{name}.privileged_occupations", occ, occupations, "an occupation")
    for i, t in enumerate(s.towns):
        _need(f"towns[{i}].region", t.region, regions, "a region in [[regions]]")
    if s.city.enabled:
        for name in s.city.staff_industries:
            _need("city.staff_industries", name, industries, "an industry in [industries]")
    shop_kinds = {n: {sh.kind for sh in ind.shops} for n, ind in s.industries.items()}
    for i, e in enumerate(s.enterprises):
        _need(f"enterprises[{i}].industry", e.industry, industries, "an industry in [industries]")
        _need(f"enterprises[{i}].town", e.town, towns, "a town in [[towns]]")
        for kind in e.shop_technology_age:
            _need(
                f"enterprises[{i}].shop_technology_age",
                kind,
                shop_kinds[e.industry],
                "a shop kind of its industry",
            )
        for occ in e.privileged_occupations or []:
            _need(f"enterprises[{i}].privileged_occupations", occ, occupations, "an occupation")
        if e.joint_stock and not any(pa.kind == "foreign" for pa in e.partners):
            raise _RefError(
                f"enterprises[{i}].joint_stock", "expected a partner of kind foreign, got none"
            )
    enterprises = set(s.enterprise_names())
    for i, sp in enumerate(s.sparks):
        _need(f"sparks[{i}].enterprise", sp.enterprise, enterprises, "an enterprise")
        industry = _industry_of(s, sp.enterprise)
        _need(f"sparks[{i}].shop", sp.shop, shop_kinds[industry], "a shop kind of that enterprise")
    for i, r in enumerate(s.reforms.timeline):
        _need(f"reforms.timeline[{i}].industry", r.industry, industries, "an industry")
        _need(f"reforms.timeline[{i}].enterprise", r.enterprise, enterprises, "an enterprise")
    for i, link in enumerate(s.spread.links):
        _need(f"spread.links[{i}].a", link.a, towns, "a town")
        _need(f"spread.links[{i}].b", link.b, towns, "a town")
    thresholds = s.collective_action.thresholds
    if thresholds is not None and s.scale != 1:
        raise _RefError(
            "scale", f"expected 1 with Granovetter thresholds (one per worker), got {s.scale}"
        )
    if thresholds is not None and len(thresholds) != s.total_workers():
        raise _RefError(
            "collective_action.thresholds",
            f"expected one threshold per worker ({s.total_workers()}), got {len(thresholds)}",
        )


def _industry_of(s: Scenario, enterprise_name: str) -> str:
    for e in s.enterprises:
        if enterprise_name == e.name or (e.count > 1 and enterprise_name.startswith(e.name + " ")):
            return e.industry
    raise KeyError(enterprise_name)


# --------------------------------------------------------------------------- loading


def builtin_names() -> list[str]:
    folder = resources.files("mutualdep") / "scenarios"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def builtin_summary() -> list[tuple[str, str]]:
    """(name, one-line description) for each built-in scenario."""
    out = []
    for name in builtin_names():
        data = read_toml(_builtin_path(name))
        out.append(
            (
                name,
                str(data.get("description", "")).strip().splitlines()[0]
                if data.get("description")
                else "",
            )
        )
    return out


def _builtin_path(name: str) -> Path:
    return Path(str(resources.files("mutualdep") / "scenarios" / f"{name}.toml"))


def _resolve_path(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    text = str(name_or_path)
    if text in builtin_names():
        return _builtin_path(text)
    path = Path(text)
    candidates = [path]
    if relative_to is not None and not path.is_absolute():
        candidates.insert(0, relative_to.parent / path)
    for candidate in candidates:
        try:
            if len(text) <= 4096 and candidate.exists():
                return candidate
        except OSError:  # a name too long, a loop of links
            pass
    raise InputError(
        f"{text[:200]}: not a built-in scenario nor an existing "
        f"file (built-ins: {', '.join(builtin_names())})"
    )


def read_toml(path: Path) -> dict[str, Any]:
    """A scenario file: a regular file of bounded size, UTF-8 TOML, not nested too deep."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{path}: expected a regular TOML file, not a folder or device")
        if info.st_size > MAX_FILE_BYTES:
            raise InputError(
                f"{path}: expected at most {MAX_FILE_BYTES:,} bytes, got {info.st_size:,}"
            )
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: expected UTF-8 text, got byte {exc.start}: 0x{raw[exc.start]:02x}"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: malformed TOML: {exc}") from None
    except RecursionError:
        raise InputError(f"{path}: expected at most {MAX_DEPTH} levels of nesting") from None
    if (key := _too_deep(data)) is not None:
        raise InputError(f"{path}: key '{key}': expected at most {MAX_DEPTH} levels of nesting")
    return data


def _too_deep(data: Any) -> str | None:
    """The first key nested deeper than MAX_DEPTH, or None (walked without recursion)."""
    stack = [(data, "", 0)]
    while stack:
        node, key, depth = stack.pop()
        if depth > MAX_DEPTH:
            return key or "<top>"
        if isinstance(node, dict):
            stack += [(v, f"{key}.{k}" if key else str(k), depth + 1) for k, v in node.items()]
        elif isinstance(node, list):
            stack += [(v, f"{key}[{i}]", depth + 1) for i, v in enumerate(node)]
    return None


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; anything else (values, arrays of tables) is replaced."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


PLACES = ("regions", "towns", "enterprises", "sparks")


def _load_raw(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """Read a file with its ``extends`` parent and ``combine`` partners resolved.

    ``combine = ["a", "b"]`` concatenates the places (regions, towns, enterprises, sparks) of
    other scenarios onto the parent's, so two basins can run together without copying them;
    anything else is taken from the parent (or the first partner) and the file's own keys.
    """
    if path.resolve() in seen:
        chain = " -> ".join(p.name for p in (*seen, path.resolve()))
        raise InputError(f"{seen[-1]}: key 'extends': expected no cycle, got {chain}")
    data = read_toml(path)
    here = (*seen, path.resolve())
    base: dict[str, Any] = {}
    parent = data.get("extends")
    if parent is not None:
        base = _load_raw(_resolve_ref(parent, path, "extends"), here)
    partners = data.get("combine", [])
    if not isinstance(partners, list):
        raise InputError(f"{path}: key 'combine': expected a list of scenario names or paths")
    for i, partner in enumerate(partners):
        other = _load_raw(_resolve_ref(partner, path, f"combine[{i}]"), here)
        for key, value in other.items():
            if key in PLACES and isinstance(value, list):
                base[key] = [*base.get(key, []), *value]
            else:
                base.setdefault(key, value)
    merged = deep_merge(base, data)
    if parent is not None:
        merged["extends"] = parent
    return merged


def _resolve_ref(ref: Any, path: Path, key: str) -> Path:
    """A built-in name or a ``.toml`` file (relative to ``path``): nothing else is read."""
    expected = f"{path}: key '{key}': expected a built-in scenario or a .toml file"
    if not isinstance(ref, str):
        raise InputError(f"{expected}, got a {type(ref).__name__}")
    if ref not in builtin_names() and not ref.endswith(".toml"):
        raise InputError(f"{expected}, got {_shown(ref)}")
    try:
        return _resolve_path(ref, relative_to=path)
    except InputError:
        raise InputError(f"{expected}, got {_shown(ref)} (no such file)") from None


def parse_value(text: str) -> Any:
    """A TOML literal (number, bool, string, date, array, inline table); a bare word is a string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
    except RecursionError:
        raise InputError(
            f"--set {text[:40]!r}...: expected at most {MAX_DEPTH} levels of nesting"
        ) from None


def parse_set(items: list[str]) -> dict[str, Any]:
    """Parse CLI ``--set KEY=VALUE`` items into a dotted-key dict."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(
                f"--set {item!r}: expected KEY=VALUE, e.g. collective_action.strike_fund=0.2"
            )
        out[key.strip()] = parse_value(value.strip())
    return out


def apply_overrides(
    data: dict[str, Any], overrides: dict[str, Any], source: str = "--set"
) -> dict[str, Any]:
    """Set dotted keys (integers index arrays) in a raw scenario dict; returns a new dict."""
    out = deep_merge(data, {})
    for dotted, value in overrides.items():
        parts = dotted.split(".")
        node: Any = out
        for depth, part in enumerate(parts[:-1]):
            here = ".".join(parts[: depth + 1])
            if isinstance(node, list):
                node = _list_item(node, part, dotted, here, source)
                continue
            child = node.get(part)
            if child is None:
                child = node[part] = {}
            elif isinstance(child, dict):
                child = node[part] = dict(child)
            elif isinstance(child, list):
                child = node[part] = [dict(x) if isinstance(x, dict) else x for x in child]
            else:
                raise InputError(f"{source}: key '{dotted}': '{here}' is a value, not a table")
            node = child
        last = parts[-1]
        if isinstance(node, list):
            index = _index(last, len(node), dotted, source)
            node[index] = value
        else:
            node[last] = value
    return out


def _index(part: str, length: int, dotted: str, source: str) -> int:
    if not (part.isascii() and part.isdigit()) or int(part) >= length:
        raise InputError(
            f"{source}: key '{dotted}': expected an index below {length}, got {part!r}"
        )
    return int(part)


def _list_item(node: list[Any], part: str, dotted: str, here: str, source: str) -> Any:
    return node[_index(part, len(node), dotted, source)]


def validate(data: dict[str, Any], source: str) -> Scenario:
    """Validate a raw dict; errors name the file, the key and what was expected. An unknown key
    is reported first (a typo also makes its right name look missing), with the closest names."""
    if (deep := _too_deep(data)) is not None:
        raise InputError(f"{source}: key '{deep}': expected at most {MAX_DEPTH} levels of nesting")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        loc = err.get("loc", ())
        key = _dotted(loc)
        if isinstance(err.get("ctx", {}).get("error"), _RefError):
            ref = err["ctx"]["error"]
            raise InputError(f"{source}: key '{ref.key}': {ref}") from None
        got = err.get("input")
        got_text = (
            ""
            if isinstance(got, dict | list)
            else f", got {str(got).lower() if isinstance(got, bool) else _shown(got)}"
        )
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(loc[-1]), _keys_at(loc[:-1]), n=3)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            msg, got_text = f"unknown key (not part of the scenario schema){hint}", ""
        elif err["type"] == "missing":
            msg = "required key is missing"
            got_text = ""
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        raise InputError(f"{source}: key '{key or '<top>'}': {msg}{got_text}{more}") from None


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _keys_at(loc: tuple[Any, ...]) -> list[str]:
    """The keys the schema allows in the table at ``loc`` (keys and indexes from the top)."""
    annotation: Any = Scenario
    for part in loc:
        model = _model_of(annotation)
        if model is not None and part in model.model_fields:
            annotation = model.model_fields[part].annotation
            continue
        containers = [a for a in _alternatives(annotation) if typing.get_origin(a) in (list, dict)]
        annotation = typing.get_args(containers[0])[-1] if containers else None
    model = _model_of(annotation)
    return list(model.model_fields) if model is not None else []


def _model_of(annotation: Any) -> type[BaseModel] | None:
    models = [
        a for a in _alternatives(annotation) if isinstance(a, type) and issubclass(a, BaseModel)
    ]
    return models[0] if models else None


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:  # a key with a line break or control character is shown quoted, on one line
            text = str(part) if str(part).isprintable() else repr(str(part))
            out += ("." if out else "") + text
    return out


def load_scenario(name_or_path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load a built-in scenario by name or a TOML file, apply dotted overrides, validate."""
    path = _resolve_path(name_or_path)
    data = _load_raw(path)
    if overrides:
        data = apply_overrides(data, overrides)
    source = str(name_or_path) if str(name_or_path) in builtin_names() else str(path)
    return validate(data, source)
