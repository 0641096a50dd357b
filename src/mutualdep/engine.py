"""The day loop. The phase order below is the model's order of events in a day; it is not sorted.

    reforms -> production -> money -> pay -> market -> distribution -> grievance
            -> institutions -> campaigns -> collective_action -> spread -> ownership
            -> management -> state -> city -> labour_market
            -> record

Monthly and yearly work (pay, plan, allocations, stakes, quit schedules) happens inside the
phases on their calendar days; quiet days cost little more than the group arithmetic.
"""

from __future__ import annotations

import datetime as dt
import html
import time

from mutualdep.errors import InputError
from mutualdep.guards import as_date, check_memory, check_seed
from mutualdep.mechanisms.campaigns import Campaigns
from mutualdep.mechanisms.city import City
from mutualdep.mechanisms.collective_action import CollectiveAction
from mutualdep.mechanisms.distribution import Distribution
from mutualdep.mechanisms.grievance import Grievance
from mutualdep.mechanisms.institutions import Institutions
from mutualdep.mechanisms.labour_market import LabourMarket
from mutualdep.mechanisms.management import Management
from mutualdep.mechanisms.market import Market
from mutualdep.mechanisms.money import Money
from mutualdep.mechanisms.ownership import Ownership
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
    Market,  # monthly, after the reforms of the day and before the stakes are valued
    Distribution,
    Grievance,
    # monthly, on the month's grievance and stakes: shop bosses act on them, and the labour
    # council rules on privileges before campaigns and managers ask; a director removed
    # yesterday (management) is replaced and his union's lists pass to the new union
    Institutions,
    Campaigns,  # monthly, on the month's grievance and stakes, before anyone decides to strike
    CollectiveAction,
    Spread,
    # after the day's reforms (privatisation) and strike outcomes, before management reads them
    Ownership,
    Management,
    State,
    City,
    LabourMarket,
)


def enabled_phases(world: World) -> list:
    """Instantiate the mechanisms a scenario switches on, in phase order."""
    s = world.scenario
    return [cls(world) for cls in PHASES if getattr(s, cls.name).enabled]


class Simulation:
    """One run that can be stepped: build the world, then advance it a day at a time.

    ``Simulation(scenario, seed)`` builds the world; ``step(days)`` runs whole days in phase
    order; ``run(until)`` goes on to a date (inclusive) or the scenario's end; ``result()``
    returns the tables of the days run so far. Stepping and then running on gives exactly the
    tables of one uninterrupted run.
    """

    def __init__(self, scenario: Scenario, seed: int = 0, memory_check: bool = True):
        t0 = time.perf_counter()
        if not isinstance(scenario, Scenario):
            raise InputError(
                "scenario: expected a Scenario (from load_scenario), "
                f"got a {type(scenario).__name__}"
            )
        self.seed = check_seed(seed)
        if memory_check:
            check_memory(scenario)
        self.scenario = scenario
        self.world = build_world(scenario, seed)
        init_shared_state(self.world)
        self.phases = enabled_phases(self.world)
        self.recorder = Recorder(self.world, self.world.calendar.n_days)
        self.day = 0  # the next day to run
        self.build_seconds = time.perf_counter() - t0
        self.run_seconds = 0.0

    @property
    def n_days(self) -> int:
        return self.world.calendar.n_days

    @property
    def date(self) -> dt.date:
        """The date of the next day to run (the day after the last one run)."""
        return self.world.calendar.start + dt.timedelta(days=self.day)

    @property
    def done(self) -> bool:
        return self.day >= self.n_days

    def step(self, days: int = 1, timings: dict[str, float] | None = None) -> Simulation:
        """Run ``days`` whole days (fewer if the scenario ends first)."""
        t0 = time.perf_counter()
        for day in range(self.day, min(self.day + days, self.n_days)):
            self._run_day(day, timings)
            self.day = day + 1
        self.run_seconds += time.perf_counter() - t0
        return self

    def run(
        self,
        until: dt.date | None = None,
        progress: bool = False,
        timings: dict[str, float] | None = None,
        hooks: tuple = (),
    ) -> Simulation:
        """Run on to ``until`` (inclusive) or to the scenario's end.

        Each hook is called as ``hook(simulation)`` after every day.
        """
        last = self.n_days - 1
        until = as_date(until)
        if until is not None:
            last = min(self.world.calendar.day_of(until), last)
        if last < 0:
            raise InputError(
                f"--until {until}: expected a date on or after the start {self.scenario.start}"
            )
        bar = _Progress(self.world, last + 1) if progress else None
        stop = self.world.calendar.date(last)
        while self.day <= last:
            self.step(1, timings)
            for hook in hooks:
                hook(self)
            if bar is not None:
                bar.update(self.day - 1)
        if bar is not None:
            bar.close(stop)
        return self

    def _run_day(self, day: int, timings: dict[str, float] | None) -> None:
        world = self.world
        world.day = day
        if timings is None:
            for phase in self.phases:
                phase.step(world, day)
            self.recorder.record(world, day)
            return
        for phase in self.phases:
            t = time.perf_counter()
            phase.step(world, day)
            timings[phase.name] = timings.get(phase.name, 0.0) + time.perf_counter() - t
        t = time.perf_counter()
        self.recorder.record(world, day)
        timings["record"] = timings.get("record", 0.0) + time.perf_counter() - t

    def result(self) -> Result:
        """The tables of the days run so far."""
        if self.day == 0:
            raise InputError("no day has been run yet: call step() or run() first")
        return self.recorder.result(
            seed=self.seed,
            wall_seconds=self.build_seconds + self.run_seconds,
            build_seconds=self.build_seconds,
        )

    def __repr__(self) -> str:
        w = self.world
        return (
            f"Simulation({self.scenario.name!r}, seed={self.seed}, next day {self.date}, "
            f"day {self.day} of {self.n_days}, {int(w.employed().sum())} agents employed, "
            f"{w.n_enterprises} enterprises in {w.n_towns} towns)"
        )

    def _repr_html_(self) -> str:
        """A notebook's view: where the run stands and how many are out today."""
        w = self.world
        return (
            f"<p><b>{html.escape(self.scenario.name)}</b>, seed {self.seed}: next day "
            f"{self.date} (day {self.day} of {self.n_days}); "
            f"{int(w.shops.workers.sum()) * w.scale:,} employed, "
            f"{int(w.shops.striking.sum()) * w.scale:,} on strike, in "
            f"{w.n_enterprises} enterprises and {w.n_towns} towns</p>"
        )


def run(
    scenario: Scenario,
    seed: int = 0,
    until: dt.date | None = None,
    progress: bool = False,
    timings: dict[str, float] | None = None,
    memory_check: bool = True,
) -> Result:
    """Run a scenario day by day and return its tables.

    ``until`` (a date or YYYY-MM-DD) stops early (inclusive). ``timings``, if given, receives
    seconds spent per phase. A world that would not fit in memory is refused unless
    ``memory_check`` is False.
    """
    sim = Simulation(scenario, seed, memory_check)
    return sim.run(until=until, progress=progress, timings=timings).result()


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
        self.worker_days += int(self.world.shops.workers.sum())
        if day % 7 == 0:
            rate = self.worker_days / max(time.perf_counter() - self.start, 1e-9)
            self.progress.update(
                self.task,
                completed=day + 1,
                date=str(self.world.calendar.date(day)),
                speed=f"{rate / 1e6:.1f}M worker-days/s",
            )

    def close(self, last: dt.date) -> None:
        """Show the last simulated day: updates come weekly and would stop short of it."""
        self.progress.update(self.task, completed=self.progress.tasks[0].total, date=str(last))
        self.progress.stop()
