"""Named summary metrics: one number per run, computed from the run's tables.

Experiments keep a few numbers per run instead of every daily table, so each metric has a
stable name that experiment files, the catalog and SQL queries share. A name is a base name,
optionally followed by ``:`` and arguments, e.g. ``peak_share_striking:coal`` or
``mean_wait_years:housing:steel founder``. An omitted optional argument means "all".
A metric with nothing to measure (no strike ever started, nobody allocated a flat) is NaN,
stored as NULL in the catalog.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from mutualdep.scenario import LISTS

Tables = dict[str, pl.DataFrame]

AGE_BANDS = ("<25", "25-34", "35-44", "45+")
FAMILIES = ("single", "married", "children")
MEAN_COLUMNS = ("plan_fulfilment", "wage_mean", "inkind_mean", "grievance_mean", "dependence_mean")

DEFAULT_METRICS = (
    "peak_share_striking:coal",
    "total_striking_peak:coal",
    "striker_days:coal",
    "days_to_spread:coal",
    "quits_per_1000",
)


@dataclass(frozen=True)
class Metric:
    """A metric family: the function, its arguments after the name, and the tables it reads."""

    fn: Callable[..., float]
    required: tuple[str, ...]
    optional: tuple[str, ...]
    tables: tuple[str, ...]
    doc: str

    def usage(self, name: str) -> str:
        return (
            name
            + "".join(f":<{a}>" for a in self.required)
            + "".join(f"[:<{a}>]" for a in self.optional)
        )


METRICS: dict[str, Metric] = {}


def _metric(
    name: str,
    tables: tuple[str, ...],
    required: tuple[str, ...] = (),
    optional: tuple[str, ...] = (),
):
    def register(fn: Callable[..., float]) -> Callable[..., float]:
        METRICS[name] = Metric(fn, required, optional, tables, (fn.__doc__ or "").strip())
        return fn

    return register


def parse(name: str) -> tuple[Metric, list[str]]:
    """Split a metric name into its family and arguments; ValueError says what is wrong."""
    base, *args = name.split(":")
    if base not in METRICS:
        raise ValueError(f"unknown metric {base!r} (known: {', '.join(sorted(METRICS))})")
    m = METRICS[base]
    if not len(m.required) <= len(args) <= len(m.required) + len(m.optional):
        raise ValueError(f"metric {name!r}: expected the form {m.usage(base)}")
    if any(not a for a in args):
        raise ValueError(f"metric {name!r}: empty argument after ':'")
    return m, args


def compute(name: str, tables: Tables) -> float:
    """The value of one named metric for one run's tables."""
    m, args = parse(name)
    missing = [t for t in m.tables if t not in tables]
    if missing:
        raise ValueError(
            f"metric {name!r} needs the table(s) {missing}, which the run did not produce"
        )
    return float(m.fn(tables, *args))


def check_arguments(name: str, scenario: dict) -> None:
    """Check a metric's arguments against a resolved scenario, so a typo fails before any run.

    Industries, lists, occupations, groups, columns and facts are checked; event kinds are not
    (a kind that never happens is a count of 0, not an error).
    """
    m, args = parse(name)
    names = [*m.required, *m.optional]
    known = {
        "industry": sorted(scenario.get("industries", {})),
        "list": list(LISTS),
        "occupation": sorted(o["name"] for o in scenario.get("occupations", [])),
        "group": [*AGE_BANDS, *FAMILIES],
        "column": list(MEAN_COLUMNS),
    }
    for arg_name, value in zip(names, args, strict=False):
        if arg_name == "name":
            from mutualdep.evidence.facts import FACTS

            known["name"] = sorted(f.name for f in FACTS)
        allowed = known.get(arg_name)
        if allowed is not None and value not in allowed:
            raise ValueError(
                f"metric {name!r}: unknown {arg_name} {value!r} "
                f"(expected one of: {', '.join(allowed)})"
            )


def describe() -> list[tuple[str, str]]:
    """(usage, one-line doc) for every metric family, for help texts and docs."""
    return [(m.usage(name), m.doc.splitlines()[0]) for name, m in sorted(METRICS.items())]


# --------------------------------------------------------------------------- helpers


def _enterprise_ids(tables: Tables, industry: str | None) -> pl.Series:
    ent = tables["enterprises"]
    if industry is None:
        return ent["enterprise"]
    ids = ent.filter(pl.col("industry") == industry)["enterprise"]
    if ids.is_empty():
        known = sorted(ent["industry"].unique().to_list())
        raise ValueError(f"no enterprise of industry {industry!r} (industries: {known})")
    return ids


def _days(tables: Tables, industry: str | None) -> pl.DataFrame:
    """enterprise_days restricted to one industry (or all)."""
    ids = _enterprise_ids(tables, industry)
    return tables["enterprise_days"].filter(pl.col("enterprise").is_in(ids.implode()))


def _daily_totals(tables: Tables, industry: str | None) -> pl.DataFrame:
    return (
        _days(tables, industry)
        .group_by("date")
        .agg(pl.col("workers").sum(), pl.col("striking").sum())
        .sort("date")
    )


def _nan_if_none(value: float | None) -> float:
    return math.nan if value is None else float(value)


# --------------------------------------------------------------------------- strikes


@_metric("peak_share_striking", ("enterprises", "enterprise_days"), optional=("industry",))
def peak_share_striking(tables: Tables, industry: str | None = None) -> float:
    """Highest daily share of the industry's workers on strike (0 if none ever struck)."""
    d = _daily_totals(tables, industry).filter(pl.col("workers") > 0)
    return _nan_if_none((d["striking"] / d["workers"]).max())


@_metric("total_striking_peak", ("enterprises", "enterprise_days"), optional=("industry",))
def total_striking_peak(tables: Tables, industry: str | None = None) -> float:
    """Highest number of the industry's workers on strike on one day."""
    return _nan_if_none(_daily_totals(tables, industry)["striking"].max())


@_metric("striker_days", ("enterprises", "enterprise_days"), optional=("industry",))
def striker_days(tables: Tables, industry: str | None = None) -> float:
    """Worker-days lost to strikes in the industry over the run."""
    return float(_days(tables, industry)["striking"].sum())


@_metric("days_to_spread", ("enterprises", "enterprise_days"), optional=("industry",))
def days_to_spread(tables: Tables, industry: str | None = None) -> float:
    """Days from the industry's first striker until half its enterprises have had strikers.

    NaN if fewer than half of its enterprises ever struck during the run.
    """
    n = _enterprise_ids(tables, industry).len()
    first = (
        _days(tables, industry)
        .filter(pl.col("striking") > 0)
        .group_by("enterprise")
        .agg(pl.col("date").min())
        .sort("date")["date"]
    )
    needed = math.ceil(n / 2)
    if first.len() < needed:
        return math.nan
    return float((first[needed - 1] - first[0]).days)


@_metric("events", ("enterprises", "events"), required=("kind",), optional=("industry",))
def events(tables: Tables, kind: str, industry: str | None = None) -> float:
    """Number of events of a kind (strike_start, concession, repression ...) in the industry."""
    ids = _enterprise_ids(tables, industry)
    ev = tables["events"]
    return float(
        ev.filter((pl.col("kind") == kind) & pl.col("enterprise").is_in(ids.implode())).height
    )


# --------------------------------------------------------------------------- turnover and lists


@_metric("quits_per_1000", ("enterprises", "turnover"), optional=("group",))
def quits_per_1000(tables: Tables, group: str | None = None) -> float:
    """Quits over the run per 1,000 workers at the start; group is an age band or a family status.

    Age bands: <25, 25-34, 35-44, 45+; family: single, married, children.
    """
    quits = tables["turnover"].filter(pl.col("cause") == "quit")
    if group in AGE_BANDS:
        quits = quits.filter(pl.col("age_band") == group)
    elif group in FAMILIES:
        quits = quits.filter(pl.col("family") == group)
    elif group is not None:
        raise ValueError(
            f"quits_per_1000: expected an age band {AGE_BANDS} "
            f"or a family status {FAMILIES}, got {group!r}"
        )
    return (
        1000.0 * float(quits["count"].sum()) / float(tables["enterprises"]["workers_start"].sum())
    )


@_metric("mean_wait_years", ("allocations",), required=("list",), optional=("occupation",))
def mean_wait_years(tables: Tables, list_: str, occupation: str | None = None) -> float:
    """Mean years on the list of those allocated a place (housing, car, voucher, daycare).

    Units that leaked to insiders (never on the list) are left out.
    """
    a = tables["allocations"].filter(
        (pl.col("list") == list_) & (pl.col("occupation") != "insider")
    )
    if occupation is not None:
        a = a.filter(pl.col("occupation") == occupation)
    total = a["count"].sum()
    if not total:
        return math.nan
    return float((a["count"] * a["wait_years_mean"]).sum() / total)


@_metric("mean", ("enterprises", "enterprise_days"), required=("column",), optional=("industry",))
def worker_weighted_mean(tables: Tables, column: str, industry: str | None = None) -> float:
    """Worker-weighted mean over the run of an enterprise_days column (grievance_mean ...).

    Columns: plan_fulfilment, wage_mean, inkind_mean, grievance_mean, dependence_mean.
    """
    if column not in MEAN_COLUMNS:
        raise ValueError(f"mean: expected one of {MEAN_COLUMNS}, got {column!r}")
    d = _days(tables, industry)
    workers = d["workers"].sum()
    if not workers:
        return math.nan
    return float((d[column] * d["workers"]).sum() / workers)


@_metric("fact", (), required=("name",))
def fact(tables: Tables, name: str) -> float:
    """The metric of an evidence fact (see ``mutualdep
    evidence``), e.g. fact:lists.privileged_wait."""
    from types import SimpleNamespace

    from mutualdep.evidence.facts import FACTS

    by_name = {f.name: f for f in FACTS}
    if name not in by_name:
        raise ValueError(f"fact: expected one of {sorted(by_name)}, got {name!r}")
    return by_name[name].measure(SimpleNamespace(**tables))
