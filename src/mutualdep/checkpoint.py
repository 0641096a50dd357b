"""Checkpoints of a long run, so that a killed run resumes where it was.

``run_checkpointed`` pickles the whole ``Simulation`` every ``every`` days into a hidden file
beside the output folder (written under a temporary name, then renamed, so a kill never leaves
half a checkpoint). The same command finds it, checks that it belongs to the same scenario,
seed and stop date, and runs on from it: the tables are those of an uninterrupted run. The
checkpoint is removed once the output folder is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
from pathlib import Path

from mutualdep.engine import Simulation
from mutualdep.errors import InputError
from mutualdep.results import Result
from mutualdep.scenario import Scenario

HEADER = b"mutualdep-checkpoint 1\n"


def checkpoint_path(target: Path) -> Path:
    return target.parent / f".{target.name}.checkpoint"


def identity(scenario: Scenario, seed: int, until: dt.date | None) -> str:
    """What a checkpoint was made from: a different scenario, seed or stop date starts afresh."""
    text = json.dumps([scenario.model_dump(mode="json"), seed, str(until)], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def load(path: Path, key: str) -> Simulation | None:
    """The simulation saved at ``path`` if it was made from ``key``, else None."""
    try:
        with open(path, "rb") as f:
            if f.readline() != HEADER or f.readline().strip().decode() != key:
                return None
            return pickle.load(f)
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, UnicodeDecodeError) as exc:
        raise InputError(
            f"{path}: unreadable checkpoint ({exc}); delete it to start afresh"
        ) from None


def save(sim: Simulation, path: Path, key: str) -> None:
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        f.write(HEADER + key.encode() + b"\n")
        pickle.dump(sim, f, protocol=pickle.HIGHEST_PROTOCOL)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def run_checkpointed(
    scenario: Scenario,
    seed: int,
    until: dt.date | None,
    target: Path,
    every: int,
    progress: bool = False,
    memory_check: bool = True,
) -> tuple[Result, Path]:
    """Run (or resume) with a checkpoint every ``every`` days; write the output folder."""
    if every < 1:
        raise InputError(f"--checkpoint-every: expected a number of days >= 1, got {every}")
    path, key = checkpoint_path(target), identity(scenario, seed, until)
    sim = load(path, key) or Simulation(scenario, seed, memory_check)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f"{path.name}.tmp-*"):  # a save cut short by a kill
        stale.unlink()

    def keep(s: Simulation) -> None:
        if s.day % every == 0:
            save(s, path, key)

    result = sim.run(until=until, progress=progress, hooks=(keep,)).result()
    folder = result.save(target)
    path.unlink(missing_ok=True)
    return result, folder
