"""Helpers shared by the experiment tests (a module, not conftest, so tests can import it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
SRC = HERE.parents[1] / "src"

# small-town (about 10,000 workers) stopped two weeks after its walk-out on 10 July 1989.
SHORT_UNTIL = "1989-07-24"

# The real `mutualdep` command line, whether or not the package is installed.
CLI = [sys.executable, "-m", "mutualdep"]


def subprocess_env() -> dict[str, str]:
    """Subprocesses (CLI, Dask workers) import mutualdep from src and the toy models from here."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(SRC), str(HERE), env.get("PYTHONPATH", "")) if p
    )
    return env


def run_cli(*args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], env=subprocess_env(), capture_output=True, text=True, timeout=timeout
    )
