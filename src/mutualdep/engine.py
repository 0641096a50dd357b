"""The day loop. The phase order below is the model's order of events in a day; it is not sorted.

    reforms -> production -> money -> pay -> distribution -> grievance
            -> collective_action -> spread -> management -> state -> labour_market -> record

Monthly and yearly work (pay, plan, allocations, stakes, quit schedules) happens inside the
phases on their calendar days; quiet days cost little more than the group arithmetic.
"""

from __future__ import annotations

import datetime as dt
import time

from mutualdep.errors import InputError
from mutualdep.mechanisms.collective_action import CollectiveAction
from mutualdep.mechanisms.distribution import Distribution
from mutualdep.mechanisms.grievance import Grievance
from mutualdep.mechanisms.labour_market import LabourMarket
from mutualdep.mechanisms.management import Management
from mutualdep.mechanisms.money import Money
from mutualdep.mechanisms.pay import Pay
from mutualdep.mechanisms.production import Production
from mutualdep.mechanisms.reforms import Reforms
from mutualdep.mechanisms.spread import Spread
from mutualdep.mechanisms.state import State
from mutualdep.results import Recorder, Result
from mutualdep.scenario import Scenario
from mutualdep.shared_state import init_shared_state
from mutualdep.world import World, build_world

PHASES = (
    Reforms,
    Production,
    Money,
    Pay,
    Distribution,
    Grievance,
    CollectiveAction,
    Spread,
    Management,
    State,
    LabourMarket,
)


def enabled_phases(world: World) -> list:
    """Instantiate the mechanisms a scenario switches on, in phase order."""
    s = world.scenario
    return [cls(world) for cls in PHASES if getattr(s, cls.name).enabled]


def run(
    scenario: Scenario,
    seed: int = 0,
    until: dt.date | None = None,
    progress: bool = False,
    timings: dict[str, float] | None = None,
) -> Result:
    """Run a scenario day by day and return its tables.

    ``until`` stops early (inclusive). ``timings``, if given, receives seconds spent per phase.
    """
    t0 = time.perf_counter()
    world = build_world(scenario, seed)
    init_shared_state(world)
    phases = enabled_phases(world)
    last = (
        world.calendar.n_days - 1
        if until is None
        else min(world.calendar.day_of(until), world.calendar.n_days - 1)
    )
    if last < 0:
        raise InputError(f"--until {until}: expected a date on or after the start {scenario.start}")
    recorder = Recorder(world, last + 1)
    t_build = time.perf_counter() - t0
    bar = _Progress(world, last + 1) if progress else None
    for day in range(last + 1):
        world.day = day
        if timings is None:
            for phase in phases:
                phase.step(world, day)
            recorder.record(world, day)
        else:
            for phase in phases:
                t = time.perf_counter()
                phase.step(world, day)
                timings[phase.name] = timings.get(phase.name, 0.0) + time.perf_counter() - t
            t = time.perf_counter()
            recorder.record(world, day)
            timings["record"] = timings.get("record", 0.0) + time.perf_counter() - t
        if bar is not None:
            bar.update(day)
    if bar is not None:
        bar.close()
    wall = time.perf_counter() - t0
    return recorder.result(seed=seed, wall_seconds=wall, build_seconds=t_build)


class _Progress:
    """A rich progress bar with the simulated date and worker-days per second."""

    def __init__(self, world: World, n_days: int):
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        self.world = world
        self.start = time.perf_counter()
        self.worker_days = 0
        self.progress = Progress(
            TextColumn("[bold]{task.fields[date]}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TextColumn("{task.fields[speed]}"),
            TimeRemainingColumn(),
            transient=False,
        )
        self.task = self.progress.add_task(
            "run", total=n_days, date=str(world.calendar.start), speed=""
        )
        self.progress.start()

    def update(self, day: int) -> None:
        self.worker_days += int(self.world.state["shop_workers"].sum())
        if day % 7 == 0:
            rate = self.worker_days / max(time.perf_counter() - self.start, 1e-9)
            self.progress.update(
                self.task,
                completed=day + 1,
                date=str(self.world.calendar.date(day)),
                speed=f"{rate / 1e6:.1f}M worker-days/s",
            )

    def close(self) -> None:
        self.progress.update(self.task, completed=self.progress.tasks[0].total)
        self.progress.stop()
