"""Progress of long commands on stderr: a rich bar on a terminal, plain lines in a log.

A log file or a pipe gets one line each time another tenth of the runs is done, so a batch job's
output shows how far it got without a bar's control characters.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class _RunsPerMinute(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("-- runs/min" if speed is None else f"{speed * 60:.1f} runs/min", style="cyan")


class RunProgress:
    """Counts runs; does nothing when disabled (tests, library use)."""

    def __init__(self, enabled: bool, description: str, total: int, completed: int = 0) -> None:
        self.progress = None
        self.lines = False
        self.description, self.total, self.completed = description, total, completed
        self.started = time.monotonic()
        self.next_line = self._next(completed)
        console = Console(stderr=True)
        if enabled and not console.is_terminal:
            self.lines = True
        if enabled and console.is_terminal:  # a bar is for someone watching, not for a log file
            self.progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("runs"),
                _RunsPerMinute(),
                TimeElapsedColumn(),
                TextColumn("elapsed"),
                TimeRemainingColumn(),
                TextColumn("left"),
                console=console,
            )
            self.task = self.progress.add_task(description, total=total, completed=completed)

    def _next(self, done: int) -> int:
        """The run count at which the next plain line is due (every tenth of the total)."""
        step = max(1, -(-self.total // 10))
        return min(self.total, (done // step + 1) * step)

    def advance(self, n: int = 1) -> None:
        self.completed += n
        if self.progress is not None:
            self.progress.advance(self.task, n)
        if self.lines and self.completed >= self.next_line:
            minutes = (time.monotonic() - self.started) / 60
            sys.stderr.write(
                f"{self.description}: {self.completed}/{self.total} runs "
                f"({self.completed / max(self.total, 1):.0%}), {minutes:.1f} min\n"
            )
            sys.stderr.flush()
            self.next_line = self._next(self.completed)

    def describe(self, text: str) -> None:
        self.description = text
        if self.progress is not None:
            self.progress.update(self.task, description=text)

    def __enter__(self) -> RunProgress:
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, *_: Any) -> None:
        if self.progress is not None:
            self.progress.stop()
