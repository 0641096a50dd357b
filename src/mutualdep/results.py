"""Recording and the output tables.

The recorder fills preallocated (days x enterprises) arrays from the shared counters each day;
worker-level means (pay, in kind, grievance, dependence) are refreshed on the calendar days
they can change (month boundaries). At the end everything becomes tidy polars tables:

- ``enterprises``, ``shops``, ``towns``: one row per place
- ``enterprise_days``: one row per enterprise per day (the public contract's columns, plus
  ``retired`` and ``output``)
- ``enterprise_months``: output, plan, revenue, wage bill, profit, subsidy, social funding
- ``shop_months``: headcount, plan fulfilment, bonus paid, mean pay and grievance per shop
- ``events``: date, kind, enterprise, shop, detail
- ``turnover``: flows by month, enterprise, cause, age band and family
- ``workforce``: employed workers, and those on the housing line, by month, enterprise, age band
  and family (the denominators)
- ``allocations``: units by date, enterprise, list, occupation and privileged class, mean wait
- ``shop_days``: strikers per shop per day, only where some were out
- ``moves``: moves by month, from and to enterprise and industry, and why: a job seeker taken
  on after he quit or was fired (with his mean wait in days), or a move inside an enterprise
  to a privileged job for a flat and back to his trade (wait 0)
- ``job_seekers``: seekers per town at each month start, with how long they have waited
- ``unions``: members of each union (none, official, independent) per enterprise at each month
  start, whether that union distributes there, and the in-kind rubles a month handed out
  through it (institutions; empty when they are off)
- ``sanctions``: one row per worker per sanction management carried out: date, worker id,
  enterprise, shop, occupation, kind (management.SANCTIONS), whether he was an initiator, and
  ``workers``, the real workers the row stands for
- ``ownership``: each enterprise's owner and control (``shared_state.CONTROL``) on the first
  day and at every change: date, enterprise, control, previous, cause

``Result.save(dir)`` writes Parquet files and ``run.json`` into a temporary folder and renames
it into place when complete; it replaces only a run folder mutualdep wrote.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from mutualdep.errors import InputError
from mutualdep.outputs import write_folder
from mutualdep.shared_state import (
    AGE_BANDS,
    CAUSES,
    CONTROL,
    FAMILY,
    MOVE_REASONS,
    SANCTIONS,
    UNIONS,
    decode_turnover,
    family_code,
    group_mean,
)
from mutualdep.world import HOUSING, NOT_ON_LIST, World

_DAILY_INT = ("workers", "striking", "quits", "hires", "fired", "retired")
_DAILY_FLOAT = (
    "plan_fulfilment",
    "wage_mean",
    "inkind_mean",
    "grievance_mean",
    "dependence_mean",
    "output",
)
_MONTHLY = ("output", "plan", "revenue", "wage_bill", "profit", "subsidy", "funding")
_SHOP_MONTHLY = ("workers", "plan_fulfilment", "bonus_paid", "wage_mean", "grievance_mean")


class Recorder:
    # the group fields the tables come from (checked like a mechanism's, tests/test_declarations)
    reads = (
        "enterprises.fired",
        "enterprises.funding",
        "enterprises.hires",
        "enterprises.month_output",
        "enterprises.month_plan",
        "enterprises.output",
        "enterprises.plan_fulfilment",
        "enterprises.profit",
        "enterprises.quits",
        "enterprises.retired",
        "enterprises.revenue",
        "enterprises.shock",
        "enterprises.subsidy",
        "enterprises.wage_bill",
        "shops.bonus_paid",
        "shops.month_fulfilment",
        "shops.striking",
        "shops.workers",
    )

    def __init__(self, world: World, n_days: int):
        self.world = world
        self.n_days = n_days
        n_ent = world.n_enterprises
        self.daily = {k: np.zeros((n_days, n_ent), np.int32) for k in _DAILY_INT}
        self.daily |= {k: np.zeros((n_days, n_ent), np.float32) for k in _DAILY_FLOAT}
        self.monthly: dict[str, list[np.ndarray]] = {k: [] for k in _MONTHLY}
        self.month_days: list[int] = []
        self.shop_months: dict[str, list[np.ndarray]] = {k: [] for k in _SHOP_MONTHLY}
        self.workforce: list[tuple[int, np.ndarray]] = []
        self.shop_rows: list[tuple[int, np.ndarray, np.ndarray]] = []
        self.means = np.zeros((4, n_ent))
        self.recorded = 0  # days recorded so far; the tables cover these

    def _refresh_means(self) -> None:
        w, world = self.world.workers, self.world
        emp = world.employed()
        ent = w.enterprise[: w.n][emp]
        # group_mean of each column (bincount sums float32
        # weights as float64, as astype(float) would)
        counts = np.maximum(np.bincount(ent, minlength=world.n_enterprises), 1)
        for i, col in enumerate((w.wage, w.inkind, w.grievance, w.dependence)):
            self.means[i] = (
                np.bincount(ent, weights=col[: w.n][emp], minlength=world.n_enterprises) / counts
            )

    def record(self, world: World, day: int) -> None:
        d, ents = self.daily, world.enterprises
        cal = world.calendar
        self.recorded = day + 1
        if day == 0 or cal.month_start[day] or cal.month_end[day]:
            self._refresh_means()
        if day == 0 or cal.month_start[day]:
            self.workforce.append((day, _workforce_counts(world, day)))
        n_ent = world.n_enterprises
        d["workers"][day] = np.bincount(
            world.shop_enterprise, weights=world.shops.workers, minlength=n_ent
        )
        d["striking"][day] = np.bincount(
            world.shop_enterprise, weights=world.shops.striking, minlength=n_ent
        )
        for k in ("quits", "hires", "fired", "retired"):
            d[k][day] = getattr(ents, k)
        d["plan_fulfilment"][day] = ents.plan_fulfilment
        d["output"][day] = ents.output
        d["wage_mean"][day] = self.means[0]
        d["inkind_mean"][day] = self.means[1]
        d["grievance_mean"][day] = np.clip(self.means[2] + ents.shock, 0, 1)
        d["dependence_mean"][day] = self.means[3]
        if world.scenario.output.shop_days and world.shops.striking.any():
            shops = np.flatnonzero(world.shops.striking)
            self.shop_rows.append((day, shops, world.shops.striking[shops].copy()))
        if cal.month_end[day]:
            self.month_days.append(day)
            for k, v in (
                ("output", ents.month_output),
                ("plan", ents.month_plan),
                ("revenue", ents.revenue),
                ("wage_bill", ents.wage_bill),
                ("profit", ents.profit),
                ("subsidy", ents.subsidy),
                ("funding", ents.funding),
            ):
                self.monthly[k].append(np.asarray(v, float).copy())
            self._record_shops(world)

    def _record_shops(self, world: World) -> None:
        w = world.workers
        emp = world.employed()
        shop = w.shop[: w.n][emp]
        for k, v in (
            ("workers", world.shops.workers),
            ("plan_fulfilment", world.shops.month_fulfilment),
            ("bonus_paid", world.shops.bonus_paid),
            ("wage_mean", group_mean(shop, w.wage[: w.n][emp].astype(float), world.n_shops)),
            (
                "grievance_mean",
                group_mean(shop, w.grievance[: w.n][emp].astype(float), world.n_shops),
            ),
        ):
            self.shop_months[k].append(np.asarray(v).copy())

    def result(self, seed: int, wall_seconds: float, build_seconds: float) -> Result:
        world = self.world
        s = world.scenario
        cal = world.calendar
        n_days, n_ent = self.recorded, world.n_enterprises
        dates = np.datetime64(cal.start) + np.arange(n_days).astype("timedelta64[D]")
        ent_days = pl.DataFrame(
            {
                "date": np.repeat(dates, n_ent),
                "enterprise": np.tile(np.arange(n_ent, dtype=np.int32), n_days),
                **{k: v[:n_days].ravel() for k, v in self.daily.items()},
            }
        ).with_columns(pl.col("date").cast(pl.Date))
        tables = {
            "enterprises": self._enterprises(),
            "shops": self._shops(),
            "towns": pl.DataFrame(
                {
                    "town": np.arange(world.n_towns, dtype=np.int32),
                    "name": world.town_names,
                    "region": [world.region_names[r] for r in world.town_region],
                    "company_town": world.town_company,
                    "isolation": world.town_isolation,
                    "lat": pl.Series([t.lat for t in s.towns], dtype=pl.Float64),
                    "lon": pl.Series([t.lon for t in s.towns], dtype=pl.Float64),
                }
            ),
            "enterprise_days": ent_days,
            "enterprise_months": self._months(n_ent, cal),
            "shop_months": self._shop_months(cal),
            "workforce": self._workforce(cal),
            "events": _frame(
                [(cal.date(d), k, e, sh, det) for d, k, e, sh, det in world.records.events],
                {
                    "date": pl.Date,
                    "kind": pl.String,
                    "enterprise": pl.Int32,
                    "shop": pl.Int32,
                    "detail": pl.String,
                },
            ),
            "turnover": _turnover(world),
            "allocations": _frame(
                [
                    (cal.date(d), e, lst, occ, priv, c, m)
                    for d, e, lst, occ, priv, c, m in world.records.allocations
                ],
                {
                    "date": pl.Date,
                    "enterprise": pl.Int32,
                    "list": pl.String,
                    "occupation": pl.String,
                    "privileged": pl.Boolean,
                    "count": pl.Int64,
                    "wait_years_mean": pl.Float64,
                },
            ),
            "shop_days": self._shop_days(cal),
            "moves": _moves(world),
            "job_seekers": _job_seekers(world),
            "unions": _unions(world),
            "sanctions": _sanctions(world),
            "ownership": _frame(
                [
                    (cal.date(d), e, CONTROL[c], CONTROL[prev], cause)
                    for d, e, c, prev, cause in world.records.ownership
                ],
                {
                    "date": pl.Date,
                    "enterprise": pl.Int32,
                    "control": pl.String,
                    "previous": pl.String,
                    "cause": pl.String,
                },
            ),
        }
        if world.scale != 1:
            tables = to_real_workers(tables, world.scale)
        end = cal.date(n_days - 1)
        info = {
            "scenario": s.name,
            "seed": seed,
            "version": _version(),
            "start": str(cal.start),
            "end": str(end),
            "days": n_days,
            "workers_start": int(world.ent_workers_start.sum()) * world.scale,
            "worker_days": int(self.daily["workers"][:n_days].sum(dtype=np.int64)) * world.scale,
            "scale": world.scale,
            "agents_start": int(world.ent_workers_start.sum()),
            "wall_seconds": round(wall_seconds, 3),
            "build_seconds": round(build_seconds, 3),
            "column_bytes_per_worker": round(world.workers.nbytes() / max(world.workers.n, 1), 1),
        }
        return Result(scenario=s, info=info, tables=tables)

    def _enterprises(self) -> pl.DataFrame:
        world = self.world
        return pl.DataFrame(
            {
                "enterprise": np.arange(world.n_enterprises, dtype=np.int32),
                "name": world.enterprise_names,
                "industry": [world.industry_names[i] for i in world.ent_industry],
                "town": [world.town_names[t] for t in world.ent_town],
                "region": [world.region_names[r] for r in world.ent_region],
                "workers_start": world.ent_workers_start,
                "shops": np.bincount(world.shop_enterprise, minlength=world.n_enterprises),
            }
        )

    def _shops(self) -> pl.DataFrame:
        world = self.world
        return pl.DataFrame(
            {
                "shop": np.arange(world.n_shops, dtype=np.int32),
                "enterprise": world.shop_enterprise,
                "kind": [world.shop_kinds[k] for k in world.shop_kind],
                "technology_age": world.shop_tech_age,
                "workers_start": world.shop_target,
            }
        )

    def _months(self, n_ent: int, cal) -> pl.DataFrame:
        n_m = len(self.month_days)
        dates = [cal.date(d).replace(day=1) for d in self.month_days]
        return pl.DataFrame(
            {
                "date": pl.Series(np.repeat(np.array(dates, dtype="datetime64[D]"), n_ent)).cast(
                    pl.Date
                ),
                "enterprise": np.tile(np.arange(n_ent, dtype=np.int32), n_m),
                **{k: (np.concatenate(v) if v else np.zeros(0)) for k, v in self.monthly.items()},
            }
        )

    def _workforce(self, cal) -> pl.DataFrame:
        n_ent = self.world.n_enterprises
        cells = n_ent * len(AGE_BANDS) * len(FAMILY)
        code = np.arange(cells)
        family, rest = code % len(FAMILY), code // len(FAMILY)
        band, ent = rest % len(AGE_BANDS), rest // len(AGE_BANDS)
        return pl.DataFrame(
            {
                "date": pl.Series(
                    np.repeat(
                        np.array([cal.date(d) for d, _ in self.workforce], dtype="datetime64[D]"),
                        cells,
                    )
                ).cast(pl.Date),
                "enterprise": np.tile(ent.astype(np.int32), len(self.workforce)),
                "age_band": np.tile(np.array(AGE_BANDS)[band], len(self.workforce)),
                "family": np.tile(np.array(FAMILY)[family], len(self.workforce)),
                "workers": np.concatenate([c[0] for _, c in self.workforce]),
                "on_housing_list": np.concatenate([c[1] for _, c in self.workforce]),
            }
        )

    def _shop_months(self, cal) -> pl.DataFrame:
        n_shop, n_m = self.world.n_shops, len(self.month_days)
        dates = [cal.date(d).replace(day=1) for d in self.month_days]
        return pl.DataFrame(
            {
                "date": pl.Series(np.repeat(np.array(dates, dtype="datetime64[D]"), n_shop)).cast(
                    pl.Date
                ),
                "shop": np.tile(np.arange(n_shop, dtype=np.int32), n_m),
                **{
                    k: (np.concatenate(v) if v else np.zeros(0))
                    for k, v in self.shop_months.items()
                },
            }
        )

    def _shop_days(self, cal) -> pl.DataFrame:
        if not self.shop_rows:
            return pl.DataFrame(schema={"date": pl.Date, "shop": pl.Int32, "striking": pl.Int64})
        days = np.concatenate([np.full(len(s), d) for d, s, _ in self.shop_rows])
        return pl.DataFrame(
            {
                "date": pl.Series(np.datetime64(cal.start) + days.astype("timedelta64[D]")).cast(
                    pl.Date
                ),
                "shop": np.concatenate([s for _, s, _ in self.shop_rows]).astype(np.int32),
                "striking": np.concatenate([c for _, _, c in self.shop_rows]).astype(np.int64),
            }
        )


def _workforce_counts(world: World, day: int) -> tuple[np.ndarray, np.ndarray]:
    """Employed workers, and those on the housing line, per (enterprise, age band, family)."""
    w = world.workers
    idx = np.flatnonzero(world.employed())
    code = family_code(world, day, idx)
    cells = world.n_enterprises * len(AGE_BANDS) * len(FAMILY)
    on_list = (w.applied[HOUSING, idx] != NOT_ON_LIST).astype(float)
    return (
        np.bincount(code, minlength=cells).astype(np.int64),
        np.bincount(code, weights=on_list, minlength=cells).astype(np.int64),
    )


# Columns that sum over agents (headcounts, strikers, flows, output, money, units handed out):
# with ``scale`` workers an agent they are multiplied back to real workers; shares, means and
# rates are left as they are.
EXTENSIVE = {
    "enterprises": ("workers_start",),
    "shops": ("workers_start",),
    "enterprise_days": ("workers", "striking", "quits", "hires", "fired", "retired", "output"),
    "enterprise_months": ("output", "plan", "revenue", "wage_bill", "profit", "subsidy"),
    "shop_months": ("workers",),
    "workforce": ("workers", "on_housing_list"),
    "turnover": ("count",),
    "allocations": ("count",),
    "shop_days": ("striking",),
    "moves": ("count",),
    "job_seekers": ("seeking",),
    "unions": ("members", "handed_out"),
}


def to_real_workers(tables: dict[str, pl.DataFrame], scale: int) -> dict[str, pl.DataFrame]:
    """The tables with every extensive column
    (``EXTENSIVE``) multiplied by ``scale``, same dtypes."""
    out = dict(tables)
    for name, columns in EXTENSIVE.items():
        frame = out.get(name)
        if frame is None:
            continue
        present = [c for c in columns if c in frame.columns]
        out[name] = frame.with_columns([(pl.col(c) * scale).cast(frame.schema[c]) for c in present])
    return out


def _turnover(world: World) -> pl.DataFrame:
    schema = {
        "date": pl.Date,
        "enterprise": pl.Int32,
        "cause": pl.String,
        "age_band": pl.String,
        "family": pl.String,
        "count": pl.Int64,
    }
    frame = turnover_frame(world.records.turnover, schema)
    return (
        frame.group_by(["date", "enterprise", "cause", "age_band", "family"], maintain_order=True)
        .agg(pl.col("count").sum())
        .sort(["date", "enterprise", "cause", "age_band", "family"])
    )


def _month_dates(month: np.ndarray) -> pl.Series:
    # month index m is (year - 1900) x 12 + month - 1; numpy months count from 1970-01
    dates = (np.asarray(month, np.int64) - 70 * 12).astype("datetime64[M]").astype("datetime64[D]")
    return pl.Series(dates).cast(pl.Date)


def _moves(world: World) -> pl.DataFrame:
    """Seekers hired, from the enterprise they left to the one that took them, by reason."""
    parts = world.records.moves
    n_ent = world.n_enterprises
    month = np.concatenate([np.full(len(c), m, np.int64) for m, c, _, _ in parts] or [[]])
    code = np.concatenate([c for _, c, _, _ in parts] or [[]]).astype(np.int64)
    count = np.concatenate([n for _, _, n, _ in parts] or [[]]).astype(np.int64)
    waits = np.concatenate([w for _, _, _, w in parts] or [[]]).astype(np.float64)
    cause, pair = code % len(MOVE_REASONS), code // len(MOVE_REASONS)
    src, dst = pair // n_ent, pair % n_ent
    industries = np.array(world.industry_names, dtype=object)
    frame = pl.DataFrame(
        {
            "date": _month_dates(month),
            "from_enterprise": pl.Series(src, dtype=pl.Int32),
            "to_enterprise": pl.Series(dst, dtype=pl.Int32),
            "from_industry": pl.Series(industries[world.ent_industry[src]], dtype=pl.String),
            "to_industry": pl.Series(industries[world.ent_industry[dst]], dtype=pl.String),
            "reason": pl.Series(np.array(MOVE_REASONS, dtype=object)[cause], dtype=pl.String),
            "count": count,
            "wait_days": waits,
        }
    )
    keys = ["date", "from_enterprise", "to_enterprise", "from_industry", "to_industry", "reason"]
    return (
        frame.group_by(keys, maintain_order=True)
        .agg(pl.col("count").sum(), pl.col("wait_days").sum())
        .with_columns(wait_days_mean=pl.col("wait_days") / pl.col("count"))
        .drop("wait_days")
        .sort(keys)
    )


def _job_seekers(world: World) -> pl.DataFrame:
    """Seekers per town at each month start and the mean days they have waited so far."""
    parts = world.records.seekers
    n_towns = world.n_towns
    counts = np.concatenate([c for _, c, _ in parts] or [[]]).astype(np.int64)
    waits = np.concatenate([w for _, _, w in parts] or [[]]).astype(np.float64)
    return pl.DataFrame(
        {
            "date": _month_dates(np.repeat([m for m, _, _ in parts], n_towns)),
            "town": pl.Series(np.tile(np.arange(n_towns), len(parts)), dtype=pl.Int32),
            "seeking": counts,
            "wait_days_mean": np.where(counts > 0, waits / np.maximum(counts, 1), 0.0),
        }
    )


def _unions(world: World) -> pl.DataFrame:
    """Members by union and enterprise at each month start, and what each union hands out."""
    parts = world.records.unions
    n_ent, n_u = world.n_enterprises, len(UNIONS)
    members = np.concatenate([m.ravel() for _, m, _, _ in parts] or [[]]).astype(np.int64)
    union = np.tile(np.arange(n_u), n_ent * len(parts))
    distributes = np.concatenate(
        [(d[:, None] == np.arange(n_u)) & (d[:, None] != 0) for _, _, d, _ in parts] or [[]]
    ).ravel()
    handed = np.concatenate(
        [np.where(d[:, None] == np.arange(n_u), h[:, None], 0.0) for _, _, d, h in parts] or [[]]
    ).ravel()
    return pl.DataFrame(
        {
            "date": _month_dates(np.repeat([m for m, _, _, _ in parts], n_ent * n_u)),
            "enterprise": pl.Series(
                np.tile(np.repeat(np.arange(n_ent), n_u), len(parts)), dtype=pl.Int32
            ),
            "union": pl.Series(np.array(UNIONS, dtype=object)[union], dtype=pl.String),
            "members": members,
            "distributes": pl.Series(distributes, dtype=pl.Boolean),
            "handed_out": pl.Series(handed, dtype=pl.Float64),
        }
    )


def turnover_frame(parts: list[tuple[int, np.ndarray, np.ndarray]], schema: dict) -> pl.DataFrame:
    """Rows from labour_market's compact turnover records: (month index, codes, counts), coded
    by ``shared_state.turnover_codes``."""
    if not parts:
        return _frame([], schema)
    month = np.concatenate([np.full(len(codes), m, np.int64) for m, codes, _ in parts])
    code = np.concatenate([codes for _, codes, _ in parts]).astype(np.int64)
    count = np.concatenate([counts for _, _, counts in parts]).astype(np.int64)
    ent, cause, band, family = decode_turnover(code)
    return pl.DataFrame(
        {
            "date": _month_dates(month),
            "enterprise": pl.Series(ent, dtype=pl.Int32),
            "cause": np.array(CAUSES)[cause],
            "age_band": np.array(AGE_BANDS)[band],
            "family": np.array(FAMILY)[family],
            "count": count,
        },
        schema=schema,
    )


def _sanctions(world: World) -> pl.DataFrame:
    rows = world.records.sanctions
    sizes = [len(r[3]) for r in rows]

    def column(i: int, dtype) -> np.ndarray:
        parts = [np.asarray(r[i]) for r in rows]
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)

    days = np.repeat(np.array([r[0] for r in rows], np.int64), sizes)
    return pl.DataFrame(
        {
            "date": pl.Series(
                np.datetime64(world.calendar.start) + days.astype("timedelta64[D]")
            ).cast(pl.Date),
            "worker": column(3, np.int64),
            "enterprise": np.repeat(np.array([r[2] for r in rows], np.int32), sizes),
            "shop": column(4, np.int32),
            "occupation": np.array(world.occupation_names, dtype=object)[column(5, np.int64)]
            if rows
            else np.zeros(0, str),
            "kind": np.array(SANCTIONS)[np.repeat(np.array([r[1] for r in rows], np.int64), sizes)]
            if rows
            else np.zeros(0, str),
            "initiator": column(6, bool),
            "workers": np.full(sum(sizes), world.scale, np.int64),
        },
        schema={
            "date": pl.Date,
            "worker": pl.Int64,
            "enterprise": pl.Int32,
            "shop": pl.Int32,
            "occupation": pl.String,
            "kind": pl.String,
            "initiator": pl.Boolean,
            "workers": pl.Int64,
        },
    )


def _frame(rows: list[tuple], schema: dict) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema, orient="row")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mutualdep")
    except PackageNotFoundError:
        return "0+unknown"


@dataclass
class Result:
    """The tables of one run, as polars DataFrames, with the run's description."""

    scenario: object
    info: dict
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)

    def __getattr__(self, name: str) -> pl.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def __repr__(self) -> str:
        i = self.info
        names = ", ".join(self.tables)
        return (
            f"Result({i.get('scenario')!r}, seed={i.get('seed')}, {i.get('start')} to "
            f"{i.get('end')}, {len(self.tables)} tables: {names})"
        )

    def _repr_html_(self) -> str:
        """A notebook's view: the run in one line, then each table's size and columns."""
        i = self.info
        rows = "".join(
            f"<tr><td><code>{html.escape(name)}</code></td><td>{frame.height:,}</td>"
            f"<td>{html.escape(', '.join(frame.columns))}</td></tr>"
            for name, frame in self.tables.items()
        )
        return (
            f"<p><b>{html.escape(str(i.get('scenario')))}</b>, seed {i.get('seed')}, "
            f"{i.get('start')} to {i.get('end')} ({i.get('days')} days, "
            f"{i.get('workers_start', 0):,} workers at the start)</p>"
            f"<table><tr><th>table</th><th>rows</th><th>columns</th></tr>{rows}</table>"
        )

    def save(self, directory: str | Path) -> Path:
        """Write every table as Parquet plus run.json, atomically, replacing only an earlier run
        folder (see ``mutualdep.outputs``)."""

        def fill(tmp: Path) -> None:
            for name, frame in self.tables.items():
                frame.write_parquet(tmp / f"{name}.parquet")
            run_json = {**self.info, "scenario": self.scenario.model_dump(mode="json")}
            (tmp / "run.json").write_text(json.dumps(run_json, indent=2, default=str))

        return write_folder(directory, "run", fill)


def load_result(folder: str | Path) -> Result:
    """A run saved by ``Result.save``: its tables, its description and its resolved scenario."""
    from mutualdep.scenario import Scenario

    folder = Path(folder)
    run_json = folder / "run.json"
    if not run_json.is_file():
        raise InputError(f"{folder}: expected a saved run (a folder with run.json), found none")
    try:
        info = json.loads(run_json.read_text())
        scenario = Scenario.model_validate(info["scenario"])
    except (ValueError, KeyError, TypeError) as err:
        raise InputError(f"{run_json}: expected a saved run's description ({err})") from None
    info["scenario"] = scenario.name
    tables = {p.stem: pl.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}
    return Result(scenario=scenario, info=info, tables=tables)
