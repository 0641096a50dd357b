"""Fixtures for the experiment tests: files in tmp_path, the experiment CLI in-process."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

# The toy models (xp_toys) and helpers (xp_support) import by name here and in pool workers,
# whatever pytest's import mode.
if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a dedented text file into tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return path

    return _write


@pytest.fixture
def cli() -> Callable[..., object]:
    """Invoke the experiment commands in-process (exit code, stdout and stderr apart)."""
    from mutualdep.experiments.cli import register

    app = typer.Typer()
    register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))
