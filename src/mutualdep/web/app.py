"""The teaching app: choose a world, pull the levers, step or play the days and watch.

Each browser tab gets its own ``Session`` (its own simulation). The play loop is a Solara task
in a thread: it steps ``every`` days under the session's lock, takes a ``Snapshot`` and bumps
``tick``; the views draw only the snapshot, so drawing never waits on the model nor the model
on drawing. Charts are bqplot marks whose data change in place; the map is a small SVG.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import bqplot
import ipywidgets
import numpy as np
import pandas as pd
import solara
import solara.lab

from mutualdep.engine import Simulation
from mutualdep.errors import InputError
from mutualdep.scenario import Scenario, builtin_names
from mutualdep.web import live, sources
from mutualdep.web.compare import ALL, Comparison, compare
from mutualdep.web.exports import participation_png, report_html, table_csv, tables_zip
from mutualdep.web.lessons import LESSONS, lesson_start
from mutualdep.web.levers import BY_KEY, LEVERS, defaults, overrides, reform_rows
from mutualdep.web.map import town_map_svg

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]
MARKER_STYLE = {  # label -> (marker, colour)
    "spark": ("triangle-up", "#ff7f0e"),
    "protocol signed": ("diamond", "#2ca02c"),
    "repression": ("cross", "#000000"),
    "concession to a shop": ("circle", "#9467bd"),
}


class Session:
    """One browser tab's world: the loaded scenario, its simulation and the last snapshot."""

    def __init__(self):
        self.lock = threading.Lock()
        self.base: Scenario | None = None  # the chosen scenario before the levers
        self.scenario: Scenario | None = None  # the one running
        self.applied: dict[str, Any] = {}  # lever values the running simulation was built with
        self.sim: Simulation | None = None
        self.snap: live.Snapshot | None = None
        self.upload: sources.Upload | None = None
        self.comparison: Comparison | None = None

    def close(self) -> None:
        if self.upload is not None:
            self.upload.remove()
            self.upload = None

    def choose(self, kind: str, name: str, content: bytes | None = None) -> None:
        """Load a built-in, a data-folder file or an upload; raises InputError."""
        if kind == "upload":
            self.close()
            self.upload = sources.Upload(name, content or b"")
        self.base = self._load(kind, name, None)

    def _load(self, kind: str, name: str, extra: dict | None) -> Scenario:
        if kind == "builtin":
            return sources.load_builtin(name, extra)
        if kind == "data":
            return sources.load_from_data_folder(name, extra)
        assert self.upload is not None
        return self.upload.load(extra)

    def scenario_with(
        self, kind: str, name: str, values: dict, reforms_off: frozenset, more: dict | None = None
    ) -> Scenario:
        changes = overrides(self.base, values, reforms_off) | (more or {})
        return self._load(kind, name, changes) if changes else self.base

    def setup(self, scenario: Scenario, seed: int, values: dict) -> None:
        sim = Simulation(scenario, seed)
        with self.lock:
            self.scenario, self.sim, self.applied = scenario, sim, dict(values)
            self.snap = live.snapshot(sim)

    def step(self, days: int) -> None:
        with self.lock:
            self.sim.step(days)
            self.snap = live.snapshot(self.sim)


# one value per browser tab (Solara scopes reactive variables to the tab's kernel)
source = solara.reactive(("builtin", "kuzbass-1989"))
seed = solara.reactive(0)
values: solara.Reactive[dict] = solara.reactive({})
reforms_off: solara.Reactive[frozenset] = solara.reactive(frozenset())
error = solara.reactive("")
playing = solara.reactive(False)
speed_ms = solara.reactive(100)
every = solara.reactive(1)
tick = solara.reactive(0)
worker_id = solara.reactive(-1)
lesson_text = solara.reactive("")
extra_overrides: solara.Reactive[dict] = solara.reactive({})
ZOOM_DAYS = 56
zoom = solara.reactive(f"last {ZOOM_DAYS // 7} weeks")


def _apply(session: Session) -> None:
    """Setup/Reset: build the simulation from the scenario and the current levers."""
    playing.value = False
    try:
        kind, name = source.value
        sc = session.scenario_with(
            kind, name, values.value, reforms_off.value, extra_overrides.value
        )
        session.setup(sc, seed.value, values.value)
        error.value = ""
    except InputError as exc:
        error.value = str(exc)
    tick.value += 1


def _choose(session: Session, kind: str, name: str, content: bytes | None = None) -> None:
    playing.value = False
    try:
        session.choose(kind, name, content)
    except InputError as exc:
        error.value = str(exc)
        return
    source.value = (kind, name)
    values.value = defaults(session.base)
    reforms_off.value = frozenset()
    extra_overrides.value = {}
    lesson_text.value = ""
    _apply(session)


@solara.component
def Page():
    session = solara.use_memo(Session, [])
    solara.use_effect(lambda: session.close, [])  # the tab's upload goes with the tab
    if session.base is None and not error.value:
        _choose(session, *source.value)
    solara.Title("mutualdep")
    with solara.AppBar():
        DateBadge(session)
    with solara.AppBarTitle():
        solara.Text("mutualdep: strikes and dependence in a shortage economy")
    with solara.Sidebar():
        Controls(session)
    if error.value:
        solara.Error(error.value, icon=True, classes=["mutualdep-error"])
    with solara.lab.Tabs(background_color="transparent"):
        with solara.lab.Tab("Watch"):
            Watch(session)
        with solara.lab.Tab("Compare"):
            ComparePanel(session)
        with solara.lab.Tab("Lessons"):
            LessonsPanel(session)
        with solara.lab.Tab("Info"):
            InfoPanel()
        with solara.lab.Tab("Download"):
            DownloadPanel(session)


@solara.component
def DateBadge(session: Session):
    _ = tick.value
    snap = session.snap
    if snap is None:
        return solara.Text("no world loaded")
    text = f"{snap.scenario} · seed {snap.seed} · " + (
        f"{snap.date:%d %B %Y} (day {snap.day} of {snap.n_days})"
        if snap.day
        else f"before {snap.date:%d %B %Y}"
    )
    out = f" · {snap.striking:,} of {snap.employed:,} on strike" if snap.day else ""
    solara.Text(text + out, classes=["mutualdep-date"], style={"font-size": "17px"})


# ------------------------------------------------------------------ the sidebar


@solara.component
def Controls(session: Session):
    _ = tick.value
    kind, name = source.value
    with solara.Card("World", margin=0):
        choices = builtin_names()
        solara.Select(
            "Built-in scenario",
            values=choices,
            value=name if kind == "builtin" else None,
            on_value=lambda v: _choose(session, "builtin", v),
        )
        files = sources.data_files()
        if files:
            solara.Select(
                "From the data folder",
                values=files,
                value=name if kind == "data" else None,
                on_value=lambda v: _choose(session, "data", v),
            )
        solara.Text("Or upload a scenario file (.toml):", style={"font-size": "13px"})

        def uploaded(files):
            if files:
                f = files[0]
                _choose(session, "upload", f["name"], bytes(f["content"]))

        ipywidgets.FileUpload.element(accept=".toml", multiple=False, on_value=uploaded)
        if kind == "upload":
            solara.Text(f"uploaded: {name}", style={"font-size": "13px"})
        solara.InputInt("Seed", value=seed, continuous_update=False)
    Buttons(session)
    with solara.Card("Levers", margin=0):
        if session.base is not None:
            for lever in LEVERS:
                LeverControl(lever.key)
            rows = reform_rows(session.base)
            if rows:
                solara.Text("Reforms on their dates:", style={"font-size": "13px"})
                for i, row in enumerate(rows):
                    solara.Checkbox(
                        label=row,
                        value=i not in reforms_off.value,
                        on_value=lambda on, i=i: reforms_off.set(
                            reforms_off.value - {i} if on else reforms_off.value | {i}
                        ),
                    )
            if values.value != session.applied:
                solara.Info("Levers changed: press Setup / Reset to apply them.", dense=True)


@solara.component
def LeverControl(key: str):
    lever = BY_KEY[key]
    value = values.value.get(key)

    def set_value(v):
        values.value = {**values.value, key: v}

    with solara.Tooltip(lever.description or lever.label):
        with solara.Column(gap="0px"):
            if lever.kind == "switch":
                solara.Switch(label=lever.label, value=bool(value), on_value=set_value)
            elif lever.kind == "choice":
                solara.ToggleButtonsSingle(
                    value=value, values=lever.choices, on_value=set_value, dense=True
                )
                solara.Text(lever.label, style={"font-size": "12px"})
            elif key == "scale":
                low, high = lever.limits
                solara.SliderInt(
                    f"{lever.label}: {int(value)}",
                    value=int(value),
                    min=int(low),
                    max=int(high),
                    on_value=set_value,
                    thumb_label=False,
                )
            else:
                low, high = lever.limits
                solara.SliderFloat(
                    f"{lever.label}: {float(value):.3g}",
                    value=float(value),
                    min=low,
                    max=high,
                    step=lever.step,
                    on_value=set_value,
                    thumb_label=False,
                )


@solara.component
def Buttons(session: Session):
    _ = tick.value

    def play_loop():
        while playing.value:
            t0 = time.perf_counter()
            if session.sim is None or session.sim.done:
                break
            session.step(every.value)
            tick.value += 1
            time.sleep(max(speed_ms.value / 1000 - (time.perf_counter() - t0), 0.005))
        playing.value = False

    solara.lab.use_task(play_loop, dependencies=[playing.value])
    done = session.sim is None or session.sim.done
    with solara.Card("Run", margin=0):
        with solara.Row():
            solara.Button("Setup / Reset", on_click=lambda: _apply(session), color="primary")
            solara.Button(
                "Step",
                on_click=lambda: (session.step(every.value), tick.set(tick.value + 1)),
                disabled=playing.value or done,
            )
            solara.Button(
                "Pause" if playing.value else "Play",
                on_click=lambda: playing.set(not playing.value),
                disabled=done and not playing.value,
                color="success" if not playing.value else "warning",
            )
        solara.SliderInt(f"Days per frame: {every.value}", value=every, min=1, max=30)
        solara.SliderInt(
            f"Pause between frames: {speed_ms.value} ms", value=speed_ms, min=0, max=1000, step=10
        )
        if session.sim is not None:
            solara.ProgressLinear(value=100 * session.sim.day / session.sim.n_days)


# ------------------------------------------------------------------ the views


@solara.component
def Watch(session: Session):
    _ = tick.value
    snap = session.snap
    if snap is None:
        solara.Info("Choose a world in the sidebar.")
        return
    if lesson_text.value:
        solara.Markdown(lesson_text.value)
    with solara.Columns([1, 1]):
        with solara.Card("Share on strike by industry", margin=0):
            solara.ToggleButtonsSingle(
                value=zoom, values=["whole period", f"last {ZOOM_DAYS // 7} weeks"], dense=True
            )
            ParticipationChart(snap, zoom.value != "whole period")
        with solara.Card("Towns: share out today", margin=0):
            solara.HTML(tag="div", unsafe_innerHTML=town_map_svg(snap), classes=["town-map"])
    with solara.Columns([3, 2]):
        with solara.Card("Enterprises, most out first", margin=0):
            rows = sorted(snap.enterprises, key=lambda r: -r["out (%)"])
            solara.DataFrame(pd.DataFrame(rows), items_per_page=8)
            solara.Text("pay and in kind: rubles a month", style={"font-size": "12px"})
        with solara.Card("One worker", margin=0):
            WorkerPanel(session)
    with solara.Card("Waiting lists: who waits how long, by occupation and rule", margin=0):
        WaitingLists(snap)


@solara.component
def ParticipationChart(snap: live.Snapshot, zoomed: bool = False):
    start = np.datetime64(snap.dates[0]) if snap.day else np.datetime64(snap.date)
    end = start + np.timedelta64(snap.n_days - 1 if snap.day else snap.n_days, "D")
    if zoomed and snap.day:
        end = snap.dates[-1] + np.timedelta64(7, "D")
        start = max(start, end - np.timedelta64(ZOOM_DAYS, "D"))
    x_scale = solara.use_memo(lambda: bqplot.DateScale(), [])
    y_scale = solara.use_memo(lambda: bqplot.LinearScale(min=0.0), [])
    m_scale = solara.use_memo(lambda: bqplot.LinearScale(min=0.0, max=1.0), [])
    x_scale.min, x_scale.max = start, end
    peak = float(snap.participation.max()) if snap.participation.size else 0.0
    y_scale.max = max(10.0, float(np.ceil(peak * 10)) * 10)
    x = snap.dates if snap.day else np.array([start])
    y = 100 * snap.participation if snap.day else np.zeros((len(snap.industries), 1))
    marks = [
        bqplot.Lines.element(
            x=x,
            y=y,
            scales={"x": x_scale, "y": y_scale},
            colors=COLOURS[: len(snap.industries)],
            labels=snap.industries,
            display_legend=True,
            stroke_width=2,
        )
    ]
    for label, (marker, colour) in MARKER_STYLE.items():
        when = [d for d, lab, _ in snap.markers if lab == label]
        if when:
            level = 0.95 - 0.05 * list(MARKER_STYLE).index(label)
            marks.append(
                bqplot.Scatter.element(
                    x=np.array(when),
                    y=np.full(len(when), level),
                    scales={"x": x_scale, "y": m_scale},
                    marker=marker,
                    colors=[colour],
                    default_size=48,
                    labels=[label],
                    display_legend=True,
                )
            )
    bqplot.Figure.element(
        marks=marks,
        axes=[
            bqplot.Axis.element(scale=x_scale, tick_format="%d %b" if zoomed else "%b %Y"),
            bqplot.Axis.element(
                scale=y_scale, orientation="vertical", label="% on strike", grid_lines="dashed"
            ),
        ],
        legend_location="top-left",
        fig_margin={"top": 20, "bottom": 40, "left": 55, "right": 15},
        layout={"height": "340px", "width": "100%"},
        animation_duration=0,
    )


@solara.component
def WaitingLists(snap: live.Snapshot):
    lists = sorted({r["list"] for r in snap.waiting})
    chosen = solara.use_reactive("housing")
    if not lists:
        solara.Text("nobody is on a list")
        return
    if chosen.value not in lists:
        chosen.value = lists[0]
    solara.ToggleButtonsSingle(value=chosen, values=lists, dense=True)
    rows = [r for r in snap.waiting if r["list"] == chosen.value]
    solara.DataFrame(pd.DataFrame(rows).drop(columns="list"), items_per_page=8)


@solara.component
def WorkerPanel(session: Session):
    _ = tick.value
    rng = solara.use_memo(lambda: np.random.default_rng(), [])  # picking only, not the model

    def pick():
        with session.lock:
            ids = live.employed_ids(session.sim)
        worker_id.value = int(rng.choice(ids)) if len(ids) else -1

    with solara.Row():
        solara.Button("Pick one at random", on_click=pick, dense=True)
        solara.InputInt("or his id", value=worker_id, continuous_update=False)
    if worker_id.value < 0 or session.sim is None:
        solara.Text("Pick a worker to see his stake, his threshold and what he sees.")
        return
    with session.lock:
        view = live.worker_view(session.sim, worker_id.value)
    if view is None:
        solara.Warning(f"no employed worker has id {worker_id.value}")
        return
    solara.Markdown(
        "| | |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in view.items()),
        style={"font-size": "13px"},
    )


# ------------------------------------------------------------------ compare


@solara.component
def ComparePanel(session: Session):
    _ = tick.value
    key = solara.use_reactive("collective_action.strike_fund")
    alt = solara.use_reactive(None)
    n_seeds = solara.use_reactive(5)
    group = solara.use_reactive(ALL)
    until = solara.use_reactive("")
    result = solara.use_reactive(None)
    progress = solara.use_reactive(0.0)
    running = solara.use_reactive(False)
    message = solara.use_reactive("")
    lever = BY_KEY[key.value]
    current = values.value.get(key.value)

    def run_compare():
        if not running.value:
            return
        try:
            kind, name = source.value
            stop = dt.date.fromisoformat(until.value) if until.value else None
            base = session.scenario_with(kind, name, values.value, reforms_off.value)
            changed = {**values.value, key.value: alt.value}
            other = session.scenario_with(kind, name, changed, reforms_off.value)
            out = compare(
                base,
                other,
                list(range(seed.value, seed.value + n_seeds.value)),
                group.value,
                stop,
                progress=lambda f: (progress.set(f), running.value)[1],
            )
            if out is not None:
                result.value = out
                message.value = ""
        except (InputError, ValueError) as exc:
            message.value = str(exc)
        finally:
            running.value = False

    solara.lab.use_task(run_compare, dependencies=[running.value])
    if session.base is None:
        return
    if alt.value is None or type(alt.value) is not type(current):
        alt.value = _other_value(lever, current)
    solara.Markdown(
        "Run the current scenario with and without one change, on the same seeds (common random "
        "numbers): the two mean curves, and their difference with a 95% interval over the seeds."
    )
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Select("Lever", values=[lv.key for lv in LEVERS], value=key)
        if lever.kind == "switch":
            solara.Switch(label="changed to", value=alt)
        elif lever.kind == "choice":
            solara.Select("changed to", values=lever.choices, value=alt)
        else:
            solara.InputFloat("changed to", value=alt)
        solara.Select(
            "Group", values=[ALL, *(session.snap.industries if session.snap else [])], value=group
        )
        solara.SliderInt(f"Seeds: {n_seeds.value}", value=n_seeds, min=1, max=20)
        solara.InputText("Until (YYYY-MM-DD, empty: the end)", value=until)
        if running.value:
            solara.Button("Cancel", on_click=lambda: running.set(False))
        else:
            solara.Button("Compare", on_click=lambda: running.set(True), color="primary")
    solara.Text(f"{key.value} now {current!r}: {lever.description}", style={"font-size": "13px"})
    if running.value:
        solara.ProgressLinear(value=100 * progress.value)
    if message.value:
        solara.Error(message.value)
    if result.value is not None:
        CompareCharts(result.value, key.value, current, alt.value)


def _other_value(lever, current):
    if lever.kind == "switch":
        return not current
    if lever.kind == "choice":
        return next(c for c in lever.choices if c != current)
    low, high = lever.limits
    return type(current)(high if current < (low + high) / 2 else low)


@solara.component
def CompareCharts(c: Comparison, key: str, current, alt):
    mean, low, high = c.interval()
    x_scale = solara.use_memo(lambda: bqplot.DateScale(), [])
    struck = np.flatnonzero(np.maximum(c.base.max(axis=0), c.alt.max(axis=0)) > 0.001)
    if len(struck):  # the weeks with strikes, which a year-long axis squeezes to a spike
        pad = np.timedelta64(10, "D")
        x_scale.min = max(c.dates[0], c.dates[struck[0]] - pad)
        x_scale.max = min(c.dates[-1], c.dates[struck[-1]] + pad)
    axes = [bqplot.Axis.element(scale=x_scale, tick_format="%d %b" if len(struck) else "%b %Y")]
    y1 = solara.use_memo(lambda: bqplot.LinearScale(), [])
    y2 = solara.use_memo(lambda: bqplot.LinearScale(), [])
    with solara.Columns([1, 1]):
        with solara.Card(f"Share on strike ({c.group}), mean of {len(c.base)} seeds", margin=0):
            bqplot.Figure.element(
                marks=[
                    bqplot.Lines.element(
                        x=c.dates,
                        y=100 * np.vstack([c.base.mean(axis=0), c.alt.mean(axis=0)]),
                        scales={"x": x_scale, "y": y1},
                        colors=["#1f77b4", "#d62728"],
                        labels=[f"{key} = {current}", f"{key} = {alt}"],
                        display_legend=True,
                        stroke_width=2,
                    )
                ],
                axes=[
                    *axes,
                    bqplot.Axis.element(scale=y1, orientation="vertical", label="% on strike"),
                ],
                legend_location="top-left",
                layout={"height": "320px", "width": "100%"},
                fig_margin={"top": 20, "bottom": 40, "left": 55, "right": 15},
                animation_duration=0,
            )
        with solara.Card("Difference (changed minus now), 95% interval", margin=0):
            bqplot.Figure.element(
                marks=[
                    bqplot.Lines.element(
                        x=c.dates,
                        y=100 * np.vstack([low, high]),
                        scales={"x": x_scale, "y": y2},
                        fill="between",
                        fill_colors=["#d62728"],
                        fill_opacities=[0.2],
                        colors=["#d62728", "#d62728"],
                        opacities=[0.0, 0.0],
                    ),
                    bqplot.Lines.element(
                        x=c.dates,
                        y=100 * mean,
                        scales={"x": x_scale, "y": y2},
                        colors=["#d62728"],
                        stroke_width=2,
                        labels=["difference"],
                    ),
                ],
                axes=[
                    *axes,
                    bqplot.Axis.element(
                        scale=y2, orientation="vertical", label="points of %", grid_lines="dashed"
                    ),
                ],
                layout={"height": "320px", "width": "100%"},
                fig_margin={"top": 20, "bottom": 40, "left": 55, "right": 15},
                animation_duration=0,
            )
    biggest = int(np.argmax(np.abs(mean)))
    solara.Text(
        f"Largest mean difference {100 * mean[biggest]:+.1f} points on {c.dates[biggest]} "
        f"(95% interval {100 * low[biggest]:+.1f} to {100 * high[biggest]:+.1f}).",
        classes=["compare-summary"],
    )


# ------------------------------------------------------------------ lessons, info, download


@solara.component
def LessonsPanel(session: Session):
    def load(lesson):
        _choose(session, "builtin", lesson.scenario)
        values.value = {**values.value, **lesson.levers}
        extra_overrides.value = lesson.overrides
        _apply(session)
        start = lesson_start(lesson)
        if start is not None and session.sim is not None:
            session.step(session.sim.world.calendar.day_of(start))
            tick.value += 1
        lesson_text.value = f"**{lesson.title}.** {lesson.notice}"

    for lesson in LESSONS:
        with solara.Card(lesson.title, margin=0):
            solara.Markdown(lesson.text)
            solara.Markdown(f"*What to notice:* {lesson.notice}")
            solara.Button("Load this lesson", on_click=lambda lesson=lesson: load(lesson))


INFO = """
### What it is
An agent-based model of the late-Soviet coal and steel strikes (1985-1993). Each agent is a
worker (or, with `scale` above 1, that many alike) with a wage, savings, a grievance, places on
the enterprise's waiting lists for a flat, a car, a holiday and a daycare place, and an in-kind
stake he would lose if punished. He strikes when the share out that he sees around him passes
his own threshold, which grows with what he risks and falls with what a win would bring.

### How to use it
1. Choose a world in the sidebar (a built-in or your own scenario file).
2. Set the levers, then press **Setup / Reset**: levers apply to the next reset.
3. **Step** runs one frame (days per frame), **Play** runs on until **Pause**. The slider
   *pause between frames* sets the speed.
4. Watch the chart, the map, the enterprises and the waiting lists; pick a worker to inspect.
5. **Compare** runs the scenario with and without a change on the same seeds.
6. **Download** the tables (CSV, Parquet) and a report of the run.

### Things to notice
- A wave spreads town by town, in days, once one town's committee forms.
- Steel plants with rich in-kind provision stay at work while the mines strike.
- A protocol signed by the state ends the wave (green diamond on the chart).

### Things to try
- Give the miners a strike fund, or take away the committees' means of communication.
- Switch the list rule to a single line and watch who waits how long.
- The two thesis ablations under **Lessons**.
"""


@solara.component
def InfoPanel():
    solara.Markdown(INFO)
    rows = [f"| {lv.label} | `{lv.key}` | {lv.range_text} | {lv.description} |" for lv in LEVERS]
    solara.Markdown(
        "### The levers\n| lever | key | range | meaning |\n|---|---|---|---|\n" + "\n".join(rows)
    )


@solara.component
def DownloadPanel(session: Session):
    _ = tick.value
    if session.sim is None or session.sim.day == 0:
        solara.Info("Run at least one day to download its tables and report.")
        return

    def result():
        with session.lock:
            return session.sim.result()

    name = f"{session.snap.scenario}-seed{session.snap.seed}-to-{session.snap.date}"
    solara.Markdown(f"The days run so far: {session.snap.day} days, to {session.snap.date}.")
    with solara.Column(align="start"):
        solara.FileDownload(
            lambda: table_csv(result(), "enterprise_days"),
            filename=f"{name}-enterprise_days.csv",
            label="Enterprise days (CSV)",
        )
        solara.FileDownload(
            lambda: table_csv(result(), "events"),
            filename=f"{name}-events.csv",
            label="Events (CSV)",
        )
        solara.FileDownload(
            lambda: tables_zip(result()),
            filename=f"{name}-tables.zip",
            label="All tables (Parquet, zipped, with run.json)",
        )
        solara.FileDownload(
            lambda: participation_png(result()),
            filename=f"{name}-participation.png",
            label="Participation chart (PNG)",
        )
        solara.FileDownload(
            lambda: report_html(result(), session.applied),
            filename=f"{name}-report.html",
            label="Report of the run (HTML)",
        )
