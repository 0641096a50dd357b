"""A rich progress bar for long commands: runs done, runs per minute, time left (on stderr)."""

from __future__ import annotations

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
        console = Console(stderr=True)
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

    def advance(self, n: int = 1) -> None:
        if self.progress is not None:
            self.progress.advance(self.task, n)

    def describe(self, text: str) -> None:
        if self.progress is not None:
            self.progress.update(self.task, description=text)

    def __enter__(self) -> RunProgress:
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, *_: Any) -> None:
        if self.progress is not None:
            self.progress.stop()
