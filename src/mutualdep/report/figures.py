"""Every figure of mutualdep, as pure functions: tables in, a matplotlib Figure out.

The report command, `run --plot` and the web app all draw from here. The functions read polars
tables of finished runs (never a live model), build a `Figure` without pyplot (safe in threads
and servers), and state in their titles and labels the units, the number of seeds and what a
band shows. Tables from several runs carry a `run` column; a table without one is a single run.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path

import numpy as np
import polars as pl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

Tables = dict[str, pl.DataFrame]

# Events drawn on timelines: kind -> (label, marker, colour).
MARKERS = {
    "spark": ("spark (first walk-out)", "^", "#d62728"),
    "concession": ("protocol signed by the state", "*", "#2ca02c"),
    "repression": ("repression", "X", "#000000"),
    "committee_resolution": ("managers' committee resolution", "D", "#9467bd"),
}
BAND = "band: lowest to highest seed"


def new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def png(fig: Figure, dpi: int = 100) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def save(fig: Figure, path: str | Path) -> Path:
    """Write a figure atomically (a partial file is renamed only when complete)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.partial{path.suffix}")
    fig.savefig(tmp, dpi=110)
    tmp.replace(path)
    return path


def runs_of(df: pl.DataFrame) -> pl.DataFrame:
    return df if "run" in df.columns else df.with_columns(pl.lit(0).alias("run"))


def n_runs(df: pl.DataFrame) -> int:
    return runs_of(df)["run"].n_unique()


def _seeds(n: int) -> str:
    return f"{n} seed{'s' if n != 1 else ''}"


# --------------------------------------------------------------------------- strikes over time


def daily_by(tables: Tables, by: str) -> pl.DataFrame:
    """Strikers and workers per run, day and group (industry, town or region)."""
    days = runs_of(tables["enterprise_days"])
    groups = runs_of(tables["enterprises"]).select("run", "enterprise", by)
    return (
        days.join(groups, on=["run", "enterprise"])
        .group_by("run", "date", by)
        .agg(pl.col("striking").sum(), pl.col("workers").sum())
        .with_columns((100 * pl.col("striking") / pl.col("workers")).alias("share"))
        .sort(by, "date")
    )


def strike_window(daily: pl.DataFrame, pad_days: int = 10) -> tuple[dt.date, dt.date] | None:
    """First and last day with strikers, padded; None when nobody struck."""
    struck = daily.filter(pl.col("striking") > 0)["date"]
    if struck.is_empty():
        return None
    pad = dt.timedelta(days=pad_days)
    return (
        max(struck.min() - pad, daily["date"].min()),
        min(struck.max() + pad, daily["date"].max()),
    )


def _band(ax, frame: pl.DataFrame, x: str, y: str, label: str, color=None) -> None:
    """Mean line over runs with a lowest-to-highest band (no band for one run)."""
    stats = (
        frame.group_by(x)
        .agg(
            pl.col(y).mean().alias("mean"), pl.col(y).min().alias("lo"), pl.col(y).max().alias("hi")
        )
        .sort(x)
    )
    (line,) = ax.plot(stats[x].to_list(), stats["mean"].to_list(), lw=1.6, label=label, color=color)
    if n_runs(frame) > 1:
        ax.fill_between(
            stats[x].to_list(),
            stats["lo"].to_list(),
            stats["hi"].to_list(),
            alpha=0.2,
            color=line.get_color(),
            linewidth=0,
        )


def _event_marks(ax, events: pl.DataFrame | None, window: tuple[dt.date, dt.date] | None) -> bool:
    """Markers along the top of a time axis, one row per event kind; True if any was drawn."""
    if events is None or events.is_empty():
        return False
    drawn = False
    kinds = [k for k in MARKERS if k in set(events["kind"].to_list())]
    for i, kind in enumerate(kinds):
        dates = events.filter(pl.col("kind") == kind)["date"].unique().sort()
        if window is not None:
            dates = dates.filter(dates.is_between(*window))
        if dates.is_empty():
            continue
        label, marker, color = MARKERS[kind]
        ax.scatter(
            dates.to_list(),
            [1.0 - 0.045 * (i + 1)] * len(dates),
            marker=marker,
            s=40,
            color=color,
            transform=ax.get_xaxis_transform(),
            label=label,
            zorder=5,
            clip_on=False,
        )
        drawn = True
    return drawn


def participation(
    tables: Tables, by: str = "industry", prefix: str = "", zoom: bool = True
) -> Figure:
    """Share of each group's workers on strike per day (left axis) and all strikers (right).

    Lines are the mean over runs, bands the lowest to highest run; markers show sparks,
    protocols, repression and managers' committees. A second panel zooms on the weeks with
    strikes, which a year-long axis squeezes to a spike.
    """
    daily = daily_by(tables, by)
    n = n_runs(daily)
    window = strike_window(daily) if zoom else None
    events = runs_of(tables["events"]) if "events" in tables else None
    fig = new_figure(9.5, 7.5 if window else 4.5)
    axes = fig.subplots(2 if window else 1, 1, squeeze=False)[:, 0]
    total = daily.group_by("run", "date").agg(pl.col("striking").sum())
    twins = []
    for ax, span in zip(axes, (None, window), strict=False):
        part = daily if span is None else daily.filter(pl.col("date").is_between(*span))
        right = ax.twinx()
        twins.append(right)
        tot = total if span is None else total.filter(pl.col("date").is_between(*span))
        mean_total = tot.group_by("date").agg(pl.col("striking").mean()).sort("date")
        right.fill_between(
            mean_total["date"].to_list(),
            0,
            mean_total["striking"].to_list(),
            color="0.85",
            linewidth=0,
            label="all workers on strike (right axis)",
        )
        right.set_ylabel("workers on strike, all groups")
        right.set_ylim(bottom=0)
        right.yaxis.set_major_formatter(_thousands)
        ax.set_zorder(right.get_zorder() + 1)
        ax.patch.set_visible(False)
        for (group,), frame in part.group_by(by, maintain_order=True):
            _band(ax, frame, "date", "share", str(group))
        _event_marks(ax, events, span)
        ax.set_ylabel(f"share of the {by}'s workers on strike (%)")
        ax.set_xlabel("date")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        dates_axis(ax)
    handles, labels = [], []
    for a in (axes[0], twins[0]):
        h, lab = a.get_legend_handles_labels()
        handles += h
        labels += lab
    axes[0].legend(handles, labels, frameon=False, fontsize=8, ncol=2, loc="upper left")
    band = f"; {BAND}" if n > 1 else ""
    axes[0].set_title(f"{prefix}Strike participation by {by} ({_seeds(n)}{band})")
    if window:
        axes[1].set_title(f"the weeks with strikes, {window[0]} to {window[1]}", fontsize=10)
    return fig


def dates_axis(ax) -> None:
    """Short date labels that do not collide (month names, the year once)."""
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _thousands_fmt(x: float, _pos: int) -> str:
    return f"{x / 1000:g}k" if abs(x) >= 1000 else f"{x:g}"


def _ticker():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(_thousands_fmt)


_thousands = _ticker()


def town_heatmap(tables: Tables, title: str = "") -> Figure:
    """Towns by day: share of each town's workers on strike (mean over runs)."""
    daily = daily_by(tables, "town")
    n = n_runs(daily)
    window = strike_window(daily) or (daily["date"].min(), daily["date"].max())
    part = (
        daily.filter(pl.col("date").is_between(*window))
        .group_by("town", "date")
        .agg(pl.col("share").mean())
    )
    first = (
        part.with_columns(pl.when(pl.col("share") >= 1).then(pl.col("date")).alias("out"))
        .group_by("town")
        .agg(pl.col("out").min(), pl.col("share").max())
    )
    towns = first.sort("out", -pl.col("share"), nulls_last=True)["town"]
    dates = pl.date_range(*window, eager=True)
    grid = (
        pl.DataFrame({"town": towns})
        .join(pl.DataFrame({"date": dates}), how="cross")
        .join(part, on=["town", "date"], how="left")
        .fill_null(0.0)
        .sort("town", "date")
    )
    order = {t: i for i, t in enumerate(towns)}
    matrix = np.zeros((len(towns), len(dates)))
    for t, frame in grid.group_by("town"):
        matrix[order[t[0]]] = frame.sort("date")["share"].to_numpy()
    fig = new_figure(9.5, 1.6 + 0.28 * len(towns))
    ax = fig.subplots()
    x0, x1 = (np.datetime64(window[0]), np.datetime64(window[1] + dt.timedelta(days=1)))
    import matplotlib.dates as mdates

    image = ax.imshow(
        matrix,
        aspect="auto",
        cmap="Reds",
        vmin=0,
        vmax=max(1.0, float(matrix.max())),
        extent=(mdates.date2num(x0), mdates.date2num(x1), len(towns), 0),
        interpolation="nearest",
    )
    ax.xaxis_date()
    dates_axis(ax)
    ax.set_yticks(np.arange(len(towns)) + 0.5, towns.to_list(), fontsize=8)
    ax.set_xlabel("date")
    ax.set_ylabel("town (in the order they came out)")
    fig.colorbar(image, ax=ax, label="workers on strike (% of the town's)")
    ax.set_title(title or f"Strikes by town and day (mean over {_seeds(n)})")
    return fig


# --------------------------------------------------------------------------- the map of towns


def town_positions(towns: pl.DataFrame) -> dict[str, tuple[float, float]]:
    """Where to draw each town: its lon/lat if the table has them, else a fixed layout by region.

    The layout puts regions on a circle in name order and a region's towns on a small circle
    around its centre, in name order, so the same world is always drawn the same way.
    """
    if {"lat", "lon"} <= set(towns.columns) and towns["lat"].null_count() == 0:
        return {r["name"]: (float(r["lon"]), float(r["lat"])) for r in towns.iter_rows(named=True)}
    regions = sorted(towns["region"].unique().to_list())
    out = {}
    for i, region in enumerate(regions):
        angle = 2 * math.pi * i / len(regions)
        cx, cy = (3 * math.cos(angle), 3 * math.sin(angle)) if len(regions) > 1 else (0.0, 0.0)
        names = sorted(towns.filter(pl.col("region") == region)["name"].to_list())
        radius = 0.0 if len(names) == 1 else 0.35 * math.sqrt(len(names))
        for j, name in enumerate(names):
            a = 2 * math.pi * j / len(names) + 0.3
            out[name] = (cx + radius * math.cos(a), cy + radius * math.sin(a))
    return out


def _map_data(tables: Tables) -> tuple[pl.DataFrame, dict, pl.DataFrame, int]:
    daily = daily_by(tables, "town")
    n = n_runs(daily)
    towns = runs_of(tables["towns"]).filter(pl.col("run") == pl.col("run").min())
    mean = daily.group_by("town", "date").agg(pl.col("share").mean(), pl.col("workers").mean())
    return mean, town_positions(towns), towns, n


def _draw_map(ax, mean: pl.DataFrame, pos: dict, towns: pl.DataFrame, day: dt.date, vmax: float):
    today = dict(mean.filter(pl.col("date") == day).select("town", "share").iter_rows())
    size = dict(mean.group_by("town").agg(pl.col("workers").max()).iter_rows())
    biggest = max(size.values()) if size else 1
    names = list(pos)
    xy = np.array([pos[t] for t in names])
    shares = np.array([today.get(t, 0.0) for t in names])
    sizes = np.array([40 + 500 * size.get(t, 0) / biggest for t in names])
    points = ax.scatter(
        xy[:, 0], xy[:, 1], s=sizes, c=shares, cmap="Reds", vmin=0, vmax=vmax, edgecolor="0.3"
    )
    for (x, y), t, area in zip(xy, names, sizes, strict=True):
        below = -(math.sqrt(area) / 2 + 7)  # the circle's radius in points, plus a gap
        ax.annotate(
            t, (x, y), xytext=(0, below), textcoords="offset points", ha="center", fontsize=7
        )
    ax.set_title(f"{day}", fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    centre = (xy.min(axis=0) + xy.max(axis=0)) / 2
    half = (xy.max(axis=0) - xy.min(axis=0)).max() / 2 + 0.8  # the same scale on both axes
    ax.set_xlim(centre[0] - half, centre[0] + half)
    ax.set_ylim(centre[1] - half, centre[1] + half)
    return points


def _map_note(towns: pl.DataFrame) -> str:
    if "lat" in towns.columns:
        return "towns at their longitude and latitude"
    return "towns grouped by region (schematic layout, not geography)"


def spread_map(tables: Tables, day: dt.date | None = None) -> Figure:
    """Towns on a map coloured by the share on strike on one day (default: the peak day)."""
    mean, pos, towns, n = _map_data(tables)
    totals = mean.group_by("date").agg(pl.col("share").sum()).sort("share", descending=True)
    day = day or totals["date"][0]
    vmax = max(1.0, float(mean["share"].max()))
    fig = new_figure(7, 6)
    ax = fig.subplots()
    points = _draw_map(ax, mean, pos, towns, day, vmax)
    fig.colorbar(points, ax=ax, label="workers on strike (% of the town's)", shrink=0.8)
    fig.suptitle(
        f"Strikes on the map, peak day {day} (mean over {_seeds(n)});\n"
        f"circle size: town's workforce; {_map_note(towns)}",
        fontsize=10,
    )
    return fig


def spread_animation(tables: Tables, fps: int = 5, max_frames: int = 40) -> bytes:
    """An animated GIF of the spread over the strike weeks: one frame a day (or fewer)."""
    from PIL import Image

    mean, pos, towns, n = _map_data(tables)
    window = strike_window(mean.rename({"share": "striking"}), pad_days=3)
    if window is None:
        window = (mean["date"].min(), mean["date"].min())
    days = pl.date_range(*window, eager=True).to_list()
    days = days[:: max(1, math.ceil(len(days) / max_frames))]
    vmax = max(1.0, float(mean["share"].max()))
    fig = new_figure(6, 5.2)
    fig.set_dpi(70)
    ax = fig.subplots()
    points = _draw_map(ax, mean, pos, towns, days[0], vmax)
    fig.colorbar(points, ax=ax, label="workers on strike (% of the town's)", shrink=0.8)
    fig.suptitle(f"Spread of the strikes (mean over {_seeds(n)});\n{_map_note(towns)}", fontsize=9)
    fig.canvas.draw()
    fig.set_layout_engine("none")  # laid out once: the frames only recolour the towns
    names = list(pos)
    shares = {
        d: dict(f.select("town", "share").iter_rows())
        for (d,), f in mean.filter(pl.col("date").is_in(days)).group_by("date")
    }

    frames = []
    for day in days:  # one draw per frame, straight into Pillow
        today = shares.get(day, {})
        points.set_array(np.array([today.get(t, 0.0) for t in names]))
        ax.set_title(f"{day}", fontsize=10)
        fig.canvas.draw()
        frames.append(Image.fromarray(np.asarray(fig.canvas.buffer_rgba())).convert("RGB"))
    buf = io.BytesIO()
    frames[0].save(
        buf, format="GIF", save_all=True, append_images=frames[1:], duration=1000 // fps, loop=0
    )
    return buf.getvalue()


# --------------------------------------------------------------------------- lists and turnover


def waiting_times(tables: Tables) -> Figure:
    """Mean years waited by those allocated a place, by list, occupation and line
    (priority or not)."""
    a = runs_of(tables["allocations"]).filter(pl.col("occupation") != "insider")
    n = n_runs(a)
    per_run = a.group_by("run", "list", "occupation", "privileged").agg(
        ((pl.col("wait_years_mean") * pl.col("count")).sum() / pl.col("count").sum()).alias("w")
    )
    stats = per_run.group_by("list", "occupation", "privileged").agg(
        pl.col("w").mean().alias("mean"),
        pl.col("w").min().alias("lo"),
        pl.col("w").max().alias("hi"),
    )
    lists = [x for x in ("housing", "car", "daycare", "voucher") if x in set(stats["list"])]
    occupations = sorted(stats["occupation"].unique().to_list())
    fig = new_figure(10, 1.5 + 0.32 * len(occupations) * max(1, math.ceil(len(lists) / 2)))
    axes = fig.subplots(max(1, math.ceil(len(lists) / 2)), 2, squeeze=False, sharey=True).ravel()
    y = np.arange(len(occupations))
    for ax, lst in zip(axes, lists, strict=False):
        for k, (priv, label, color) in enumerate(
            ((True, "priority line", "#1f77b4"), (False, "ordinary line", "#ff7f0e"))
        ):
            s = stats.filter((pl.col("list") == lst) & (pl.col("privileged") == priv))
            d = {r["occupation"]: r for r in s.iter_rows(named=True)}
            means = np.array([d[o]["mean"] if o in d else np.nan for o in occupations])
            err = np.array(
                [
                    [d[o]["mean"] - d[o]["lo"], d[o]["hi"] - d[o]["mean"]] if o in d else [0, 0]
                    for o in occupations
                ]
            ).T
            ax.barh(
                y + (k - 0.5) * 0.4,
                means,
                0.4,
                xerr=err if n > 1 else None,
                label=label,
                color=color,
                capsize=2,
            )
        ax.set_title(f"{lst}", fontsize=10)
        ax.set_xlabel("mean wait of those allocated (years)")
        ax.grid(axis="x", alpha=0.3)
    for ax in axes[len(lists) :]:
        ax.set_visible(False)
    axes[0].set_yticks(y, occupations)
    axes[0].invert_yaxis()
    for ax in axes:
        ax.tick_params(axis="y", labelsize=8)
    fig.legend(
        *axes[0].get_legend_handles_labels(),
        loc="outside upper right",
        frameon=False,
        fontsize=8,
        ncol=2,
    )
    whiskers = "; whiskers: lowest to highest seed" if n > 1 else ""
    fig.suptitle(f"Waiting times by list, occupation and line ({_seeds(n)}{whiskers})")
    return fig


def allocations(tables: Tables) -> Figure:
    """Units handed out per list and industry, split into priority line, ordinary line, insiders."""
    a = runs_of(tables["allocations"])
    n = n_runs(a)
    ent = runs_of(tables["enterprises"]).select("run", "enterprise", "industry")
    a = a.join(ent, on=["run", "enterprise"]).with_columns(
        pl.when(pl.col("occupation") == "insider")
        .then(pl.lit("leaked to insiders"))
        .when(pl.col("privileged"))
        .then(pl.lit("priority line"))
        .otherwise(pl.lit("ordinary line"))
        .alias("line")
    )
    workers = (
        runs_of(tables["enterprises"])
        .group_by("run", "industry")
        .agg(pl.col("workers_start").sum())
    )
    per = (
        a.group_by("run", "list", "industry", "line")
        .agg(pl.col("count").sum())
        .join(workers, on=["run", "industry"])
        .with_columns((1000 * pl.col("count") / pl.col("workers_start")).alias("rate"))
        .group_by("list", "industry", "line")
        .agg(pl.col("rate").mean())
    )
    lists = [x for x in ("housing", "car", "daycare", "voucher") if x in set(per["list"])]
    industries = sorted(per["industry"].unique().to_list())
    fig = new_figure(10, 2.2 + 0.9 * math.ceil(len(lists) / 2) * max(1, len(industries) / 3))
    axes = fig.subplots(max(1, math.ceil(len(lists) / 2)), 2, squeeze=False).ravel()
    colors = {
        "priority line": "#1f77b4",
        "ordinary line": "#ff7f0e",
        "leaked to insiders": "#7f7f7f",
    }
    for ax, lst in zip(axes, lists, strict=False):
        left = np.zeros(len(industries))
        for line, color in colors.items():
            d = dict(
                per.filter((pl.col("list") == lst) & (pl.col("line") == line))
                .select("industry", "rate")
                .iter_rows()
            )
            v = np.array([d.get(i, 0.0) for i in industries])
            ax.barh(industries, v, left=left, color=color, label=line)
            left += v
        ax.set_title(lst, fontsize=10)
        ax.set_xlabel("units per 1,000 workers over the run")
        ax.grid(axis="x", alpha=0.3)
    for ax in axes[len(lists) :]:
        ax.set_visible(False)
    axes[0].legend(frameon=False, fontsize=8)
    fig.suptitle(f"Allocations by list and industry (mean over {_seeds(n)})")
    return fig


def turnover(tables: Tables) -> Figure:
    """Quits, firings and retirements per 1,000 workers at the start, by age band and family."""
    t = runs_of(tables["turnover"]).filter(pl.col("cause") != "hired")
    n = n_runs(t)
    wf = runs_of(tables["workforce"])
    start = wf.filter(pl.col("date") == pl.col("date").min().over("run"))
    causes = sorted(t["cause"].unique().to_list())
    fig = new_figure(10, 4)
    axes = fig.subplots(1, 2)
    for ax, by, order in (
        (axes[0], "age_band", ["<25", "25-34", "35-44", "45+"]),
        (axes[1], "family", ["single", "married", "children"]),
    ):
        base = start.group_by("run", by).agg(pl.col("workers").sum())
        rate = (
            t.group_by("run", by, "cause")
            .agg(pl.col("count").sum())
            .join(base, on=["run", by])
            .with_columns((1000 * pl.col("count") / pl.col("workers")).alias("rate"))
            .group_by(by, "cause")
            .agg(
                pl.col("rate").mean().alias("mean"),
                pl.col("rate").min().alias("lo"),
                pl.col("rate").max().alias("hi"),
            )
        )
        x = np.arange(len(order))
        width = 0.8 / max(1, len(causes))
        for k, cause in enumerate(causes):
            d = {r[by]: r for r in rate.filter(pl.col("cause") == cause).iter_rows(named=True)}
            m = np.array([d[g]["mean"] if g in d else 0.0 for g in order])
            err = np.array(
                [
                    [d[g]["mean"] - d[g]["lo"], d[g]["hi"] - d[g]["mean"]] if g in d else [0, 0]
                    for g in order
                ]
            ).T
            ax.bar(
                x + (k - (len(causes) - 1) / 2) * width,
                m,
                width,
                label=cause,
                yerr=err if n > 1 else None,
                capsize=2,
            )
        ax.set_xticks(x, order)
        ax.set_xlabel("age band" if by == "age_band" else "family status")
        ax.set_ylabel("leavers per 1,000 of the group at the start")
        ax.grid(axis="y", alpha=0.3)
    axes[0].legend(frameon=False, fontsize=8)
    whiskers = "; whiskers: lowest to highest seed" if n > 1 else ""
    fig.suptitle(f"Turnover over the run by age and family ({_seeds(n)}{whiskers})")
    return fig


# --------------------------------------------------------------------------- the stake in kind


def _monthly_weighted(tables: Tables, columns: list[str]) -> pl.DataFrame:
    days = runs_of(tables["enterprise_days"])
    ent = runs_of(tables["enterprises"]).select("run", "enterprise", "industry")
    return (
        days.join(ent, on=["run", "enterprise"])
        .with_columns(pl.col("date").dt.truncate("1mo").alias("month"))
        .group_by("run", "month", "industry")
        .agg(*((pl.col(c) * pl.col("workers")).sum() / pl.col("workers").sum() for c in columns))
        .sort("industry", "month")
    )


def stake(tables: Tables) -> Figure:
    """Pay and in-kind value a month, and dependence on the enterprise, by industry.

    The thesis in one picture: where the stake in kind is large and not portable, dependence is
    high and workers stay and do not strike.
    """
    m = _monthly_weighted(tables, ["wage_mean", "inkind_mean", "dependence_mean"])
    n = n_runs(m)
    fig = new_figure(11, 4)
    axes = fig.subplots(1, 3)
    for ax, col, label in (
        (axes[0], "wage_mean", "mean wage (rubles a month)"),
        (axes[1], "inkind_mean", "mean value in kind (rubles a month)"),
        (axes[2], "dependence_mean", "mean dependence on the enterprise (0 to 1)"),
    ):
        for (ind,), frame in m.group_by("industry", maintain_order=True):
            _band(ax, frame, "month", col, ind)
        ax.set_ylabel(label)
        ax.set_xlabel("month")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        dates_axis(ax)
    axes[0].legend(frameon=False, fontsize=8)
    band = f"; {BAND}" if n > 1 else ""
    fig.suptitle(
        f"Pay, stake in kind and dependence by industry, worker-weighted ({_seeds(n)}{band})"
    )
    return fig


def economy(tables: Tables) -> Figure:
    """Monthly plan fulfilment, output, subsidy and profit per industry."""
    months = runs_of(tables["enterprise_months"])
    ent = runs_of(tables["enterprises"]).select("run", "enterprise", "industry")
    m = (
        months.join(ent, on=["run", "enterprise"])
        .group_by("run", "date", "industry")
        .agg(
            pl.col("output").sum(),
            pl.col("plan").sum(),
            pl.col("subsidy").sum(),
            pl.col("profit").sum(),
        )
        .with_columns(
            (100 * pl.col("output") / pl.col("plan")).alias("fulfilment"),
            (pl.col("subsidy") / 1e6).alias("subsidy_m"),
            (pl.col("profit") / 1e6).alias("profit_m"),
        )
        .sort("industry", "date")
    )
    n = n_runs(m)
    fig = new_figure(11, 6.5)
    axes = fig.subplots(2, 2).ravel()
    for ax, col, label in (
        (axes[0], "fulfilment", "plan fulfilment (% of the plan)"),
        (axes[1], "output", "output a month (t of coal, of steel ...)"),
        (axes[2], "subsidy_m", "subsidy (million rubles a month)"),
        (axes[3], "profit_m", "profit (million rubles a month)"),
    ):
        for (ind,), frame in m.group_by("industry", maintain_order=True):
            _band(ax, frame, "date", col, ind)
        ax.set_ylabel(label, fontsize=9)
        ax.set_xlabel("month")
        ax.grid(alpha=0.3)
        dates_axis(ax)
    axes[1].yaxis.set_major_formatter(_thousands)
    axes[0].axhline(100, color="0.4", lw=0.8, ls="--")
    axes[3].axhline(0, color="0.4", lw=0.8)
    axes[0].legend(frameon=False, fontsize=8)
    band = f"; {BAND}" if n > 1 else ""
    fig.suptitle(f"Plan, output and money by industry ({_seeds(n)}{band})")
    return fig


# --------------------------------------------------------------------------- experiments


def forest(comparison: pl.DataFrame, base: str, alt: str, pairs: int) -> Figure:
    """ALT minus BASE per metric: the paired interval (same seeds) over the unpaired one."""
    rows = comparison.to_dicts()
    fig = new_figure(8, 0.6 + 0.85 * len(rows))
    axes = fig.subplots(len(rows), 1, squeeze=False)[:, 0]
    for ax, r in zip(axes, rows, strict=True):
        for y, (mid, lo, hi, label, color) in enumerate(
            (
                (
                    r["difference"],
                    r["paired_low"],
                    r["paired_high"],
                    "paired (same seeds)",
                    "#1f77b4",
                ),
                (
                    r["unpaired_difference"],
                    r["unpaired_low"],
                    r["unpaired_high"],
                    "unpaired (other seeds)",
                    "#ff7f0e",
                ),
            )
        ):
            ax.errorbar(
                [mid],
                [y],
                xerr=[[mid - lo], [hi - mid]],
                fmt="o",
                color=color,
                capsize=4,
                label=label,
            )
        ax.axvline(0, color="0.3", lw=0.8)
        ax.set_yticks([])
        ax.set_ylim(-0.7, 1.7)
        ax.invert_yaxis()
        ax.set_ylabel(r["metric"], rotation=0, ha="right", va="center", fontsize=9)
        ax.grid(axis="x", alpha=0.3)
        ax.tick_params(axis="x", labelsize=8)
    axes[0].legend(frameon=False, fontsize=8, ncol=2, loc="lower left", bbox_to_anchor=(0, 1.0))
    axes[-1].set_xlabel(f"{alt} minus {base} (each metric in its own units)")
    fig.suptitle(f"Differences with 95% intervals, {pairs} pairs of seeds", fontsize=11)
    return fig


def response_curves(results: pl.DataFrame, factors: list[str], metrics: list[str]) -> Figure:
    """Each metric against the first factor: mean over seeds with a 95% t band and each seed as
    a dot, one line per combination of the other factors (a sampling design is drawn as
    points); shares are drawn from 0 to 1."""
    from scipy import stats as st

    x = factors[0]
    rest = factors[1:]
    fig = new_figure(5 * min(2, len(metrics)), 3.6 * math.ceil(len(metrics) / 2))
    axes = fig.subplots(math.ceil(len(metrics) / 2), min(2, len(metrics)), squeeze=False).ravel()
    reps = results.group_by(factors).len()["len"].max()
    for ax, metric in zip(axes, metrics, strict=False):
        share = metric.startswith("peak_share")  # drawn on its whole range, 0 to 1
        g = (
            results.group_by(factors)
            .agg(
                pl.col(metric).mean().alias("mean"),
                pl.col(metric).std().alias("sd"),
                pl.col(metric).count().alias("n"),
            )
            .sort(factors)
        )
        if g.height > 30 and not rest:
            ax.scatter(results[x], results[metric], s=6, alpha=0.5)
        else:
            groups = g.group_by(rest, maintain_order=True) if rest else [((), g)]
            for key, frame in list(groups)[:8]:
                frame = frame.sort(x)
                half = (
                    frame["sd"].fill_null(0).to_numpy()
                    / np.sqrt(frame["n"].to_numpy())
                    * st.t.ppf(0.975, np.maximum(frame["n"].to_numpy() - 1, 1))
                )
                label = (
                    ", ".join(
                        f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                        for k, v in zip(rest, key, strict=True)
                    )
                    or None
                )
                (line,) = ax.plot(frame[x], frame["mean"], marker="o", ms=4, label=label)
                low, high = frame["mean"] - half, frame["mean"] + half
                if share:
                    low, high = low.clip(0.0, 1.0), high.clip(0.0, 1.0)
                ax.fill_between(
                    frame[x].to_list(), low, high, alpha=0.2, color=line.get_color(), linewidth=0
                )
            if not rest:  # every seed, so that a split between seeds shows
                ax.scatter(results[x], results[metric], s=7, alpha=0.35, color=line.get_color())
            if rest and ax is axes[0]:
                ax.legend(frameon=False, fontsize=7)
        if share:
            ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel(x)
        ax.set_ylabel(metric)
        ax.grid(alpha=0.3)
    for ax in axes[len(metrics) :]:
        ax.set_visible(False)
    band = "; band: 95% t interval" if reps > 1 else ""
    fig.suptitle(
        f"Response of each metric to {x} (mean of {_seeds(reps)} per point{band})", fontsize=10
    )
    return fig


def sensitivity_bars(table: pl.DataFrame, kind: str, points: int, reps: int) -> Figure:
    """Horizontal bars per factor: S1 and ST (Sobol) or mu* and sigma (Morris), with intervals."""
    bars = (
        [("S1", "S1_conf", "first order S1"), ("ST", "ST_conf", "total order ST")]
        if kind == "sobol"
        else [
            ("mu_star", "mu_star_conf", "mu* (mean |effect|)"),
            ("sigma", None, "sigma (spread of effects)"),
        ]
    )
    fig = new_figure(7.5, 1.8 + 0.55 * table.height)
    ax = fig.subplots()
    y = np.arange(table.height)
    for i, (col, conf, label) in enumerate(bars):
        ax.barh(
            y + (i - 0.5) * 0.38,
            table[col].to_numpy(),
            0.38,
            xerr=table[conf].to_numpy() if conf else None,
            label=label,
            capsize=3,
        )
    ax.set_yticks(y, table["factor"].to_list())
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_ylabel("factor")
    if kind == "sobol":
        ax.set_xlabel("share of the metric's variance (whiskers: 95% bootstrap interval)")
    else:
        ax.set_xlabel("elementary effect, metric units per factor range (whiskers: 95% interval)")
    ax.set_title(
        f"{'Sobol' if kind == 'sobol' else 'Morris'} indices of {table['metric'][0]}\n"
        f"{points} design points x {reps} seeds",
        fontsize=10,
    )
    ax.legend(frameon=False, fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    return fig


def calibration_traces(trials: pl.DataFrame, parameters: list[str]) -> Figure:
    """Loss of every trial and the best so far; each parameter's value per trial, coloured by
    loss."""
    done = trials.filter(pl.col("state") == "COMPLETE").sort("trial")
    fig = new_figure(10, 3.2 * (1 + math.ceil(len(parameters) / 2)))
    grid = fig.add_gridspec(1 + math.ceil(len(parameters) / 2), 2)
    ax = fig.add_subplot(grid[0, :])
    loss = done["loss"].to_numpy()
    ax.scatter(done["trial"], loss, s=14, label="trial", color="#1f77b4")
    ax.step(
        done["trial"],
        np.minimum.accumulate(loss),
        where="post",
        color="#d62728",
        label="best so far",
    )
    if len(loss) and loss.min() > 0:
        ax.set_yscale("log")
    ax.set_xlabel("trial")
    ax.set_ylabel("loss (weighted squared relative gap)")
    ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    for i, p in enumerate(parameters):
        a = fig.add_subplot(grid[1 + i // 2, i % 2])
        s = a.scatter(
            done["trial"], done[p], c=np.log10(np.maximum(loss, 1e-12)), cmap="viridis_r", s=14
        )
        a.set_xlabel("trial")
        a.set_ylabel(p, fontsize=8)
        a.grid(alpha=0.3)
        fig.colorbar(s, ax=a, label="log10 loss")
    fig.suptitle(f"Calibration: {done.height} completed trials of {trials.height}")
    return fig


# --------------------------------------------------------------------------- evidence


def evidence(facts: list[dict], reps: int | None = None) -> Figure:
    """Each fact's seeds (or mean and 95% interval) against its target band.

    Facts have different units, so each row is placed relative to its own band: 0 is the
    band's low end, 1 its high end; the numbers are written beside each row.
    """
    fig = new_figure(10, 1.2 + 0.36 * len(facts))
    ax = fig.subplots()
    colors = {"calibration": "#1f77b4", "validation": "#2ca02c", "check": "#7f7f7f"}
    lim = (-1.0, 2.0)

    def rel(v, lo, hi):
        width = hi - lo if hi > lo else max(abs(hi), 1e-9)
        return float(np.clip((v - lo) / width, *lim))

    for y, f in enumerate(facts):
        lo, hi = float(f["low"]), float(f["high"])
        ax.add_patch(_rect(y, "#c7e9c0" if f.get("passed") else "#fdd0a2"))
        color = colors.get(f.get("kind"), "#1f77b4")
        values = [v for v in f.get("values") or [] if v is not None and not math.isnan(v)]
        if values:
            jitter = np.linspace(-0.2, 0.2, len(values))
            ax.scatter(
                [rel(v, lo, hi) for v in values], y + jitter, s=9, color=color, alpha=0.7, zorder=3
            )
        if f.get("mean") is not None and not math.isnan(f["mean"]):
            m = rel(f["mean"], lo, hi)
            clo = rel(f["ci_low"], lo, hi) if f.get("ci_low") is not None else m
            chi = rel(f["ci_high"], lo, hi) if f.get("ci_high") is not None else m
            ax.errorbar(
                [m],
                [y],
                xerr=[[m - clo], [chi - m]],
                fmt="|",
                color="black",
                ms=12,
                capsize=3,
                zorder=4,
            )
            if m in lim:  # beyond the drawn range: an arrow says which way
                ax.scatter([m], [y], marker=">" if m > 0 else "<", color="black", s=50, zorder=5)
        inside = f.get("inside")
        share = (
            f"{inside:.0%} of seeds in band" if inside is not None else f"mean {_num(f['mean'])}"
        )
        ax.text(2.05, y, f"target {_num(lo)} to {_num(hi)}; {share}", va="center", fontsize=7)
    ax.axvspan(0, 1, color="0.9", zorder=0)
    kinds = [k for k in colors if any(f.get("kind") == k for f in facts)]
    if kinds:
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], ls="", marker="o", color=colors[k], label=k) for k in kinds]
        fig.legend(
            handles=handles,
            title="kind of fact (colour of its seeds)",
            frameon=False,
            fontsize=8,
            ncol=len(kinds),
            loc="outside lower center",
        )
    ax.set_yticks(range(len(facts)), [f["name"] for f in facts], fontsize=8)
    ax.set_ylim(len(facts) - 0.5, -0.5)
    ax.set_xlim(lim[0] - 0.05, lim[1] + 0.05)
    ax.set_xticks(
        [-1, 0, 0.5, 1, 2],
        ["-1 (far below)", "0 (low end)", "0.5", "1 (high end)", "2 (far above)"],
        fontsize=8,
    )
    ax.set_xlabel(
        "position relative to the fact's target band (values beyond -1 or 2 are drawn at the edge)"
    )
    ax.grid(axis="x", alpha=0.3)
    n = reps or max((f.get("n") or 0) for f in facts)
    dots = "dots: one per seed; " if any(f.get("values") for f in facts) else ""
    fig.suptitle(
        f"Evidence: model against the historical record ({_seeds(n)}; {dots}bar: mean and 95% "
        "interval;\n"
        "row shaded green if the fact passes, orange if not)",
        fontsize=10,
    )
    fig.get_layout_engine().set(rect=(0, 0, 0.8, 1))
    return fig


def _rect(y: float, color: str):
    from matplotlib.patches import Rectangle

    return Rectangle((0, y - 0.4), 1, 0.8, color=color, zorder=1, linewidth=0)


def _num(v: float | None) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    return f"{v:,.3g}" if abs(v) < 1000 else f"{v:,.0f}"
