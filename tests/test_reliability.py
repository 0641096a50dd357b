"""The reliability reproducers (tests/data/reliability, from issue 15): each once broke
``validate`` or a short ``run`` with a traceback, a hang, unbounded memory, a deleted folder or
NaN in the tables. Each must now end cleanly: exit 2 with one line naming the file, or (the
one valid input) exit 0 with finite tables, touching nothing outside its output folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuzzing import run_case

DATA = Path(__file__).parent / "data" / "reliability"
VALID = {"A3-name-path.toml"}


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.toml")))
@pytest.mark.parametrize("default_out", [False, True])
def test_reproducer_ends_cleanly(name, default_out):
    case = {
        "base": "granovetter",
        "files": {"s.toml": (DATA / name).read_bytes()},
        "sets": [],
        "extra": [],
        "default_out": default_out,
        "until": "1989-07-31",
        "fifos": ["C3-fifo.toml"],
    }
    outcome, detail = run_case(case)
    assert outcome == ("ok" if name in VALID else "input_error"), detail


def test_every_reproducer_is_here():
    assert len(list(DATA.glob("*.toml"))) == 18
