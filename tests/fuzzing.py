"""A fuzzer of scenario files and ``--set`` values over the built-ins, for tests/test_fuzz.py (a
few hundred cases) and benchmarks/fuzz.py (thousands, with counts per outcome).

A case is a built-in scenario's raw table with a few mutations (a value replaced by a wrong
type, NaN, inf, 1e308, a huge or negative integer, an absurd date, unicode or control
characters; a number scaled up or down; a key removed, misspelt or emptied; a table entry
repeated; ``extends`` pointed at a device, a non-TOML file, itself, a cycle, a folder, a pipe,
a file that is not UTF-8), written as a TOML file or given as ``--set`` values, sometimes with
its bytes cut or garbled. ``run_case`` runs ``mutualdep validate`` and a short
``mutualdep run`` in-process in a fresh folder and names the outcome:

- ``ok``: exit 0, every float in the tables finite
- ``input_error``: exit 2 with one line naming the scenario file or option (``unhelpful`` if not)
- ``traceback``, ``hang`` (over the time limit), ``memory`` (MemoryError), ``non_finite``
  (exit 0 with NaN or inf in a table), ``leftover`` (a failed run left a folder), ``touched``
  (a file outside the output folder created, changed or removed), ``other_exit``.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import json
import os
import signal
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

import polars as pl
from hypothesis import strategies as st

from mutualdep.scenario import _builtin_path, _load_raw

BASES = ("granovetter", "small-town")
UNTIL = {"granovetter": "1989-07-31", "small-town": "1989-02-15"}
BAD = ("traceback", "hang", "memory", "non_finite", "leftover", "touched", "other_exit")


def _raw(name: str) -> dict[str, Any]:
    data = _load_raw(_builtin_path(name))
    data.pop("extends", None)
    data.pop("combine", None)
    return data


RAW = {name: _raw(name) for name in BASES}


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path in a raw table (integers index arrays), containers included."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list) and len(node) <= 20:  # not into long arrays (thresholds)
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


PATHS = {name: _paths(RAW[name]) for name in BASES}

# --------------------------------------------------------------------------- strategies

scalars = st.one_of(
    st.integers(),
    st.integers(-(10**40), 10**40),
    st.sampled_from([0, -1, 1, 2**31, 2**63, 10**7, 10**7 + 1, 10**30]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308, -1e308, 5e-324, 1e6]),
    st.booleans(),
    st.text(max_size=20),
    st.sampled_from(["", "\x1b[31mred\x1b[0m", "../../victim", "/", "x" * 5000, "Schäfer ☭"]),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from([dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1899, 12, 31)]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=5,
)
EXTENDS = [
    "/dev/zero",
    "/etc/passwd",
    "",
    "s.toml",
    "p.toml",
    ".",
    "fifo.toml",
    "latin.toml",
    "missing.toml",
    "z" * 5000,
    "granovetter",
    7,
]
SCALES = [0, -1, 0.5, 2, 10, 1e3, 1e5, 1e6, 1e9]
DEEP = "[" * 400 + "]" * 400


def _get(data: Any, path: tuple) -> Any:
    for p in path:
        data = data[p]
    return data


def _set(data: Any, path: tuple, value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    """One case: files to write (name -> bytes), command-line extras and flags."""
    base = draw(st.sampled_from(BASES))
    data = copy.deepcopy(RAW[base])
    sets: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS[base]))
        try:
            target = _get(data, path)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed it
        op = draw(
            st.sampled_from(
                ["value", "set", "scale", "scale", "scale", "scale"]
                + ["delete", "typo", "empty", "dup", "extends"]
            )
        )
        if op == "value":
            _set(data, path, draw(values))
        elif op == "set":
            dotted = ".".join(str(p) for p in path)
            text = draw(st.one_of(values.map(literal), st.text(max_size=30), st.just(DEEP)))
            sets += ["--set", f"{dotted}={text}"]
        elif op == "scale" and isinstance(target, int | float) and not isinstance(target, bool):
            _set(data, path, type(target)(target * draw(st.sampled_from(SCALES))))
        elif op == "delete":
            parent = _get(data, path[:-1])
            parent.pop(path[-1]) if isinstance(parent, dict) else parent.pop(path[-1])
        elif op == "typo" and isinstance(path[-1], str) and len(path[-1]) > 2:
            parent, name = _get(data, path[:-1]), path[-1]
            i = draw(st.integers(0, len(name) - 1))
            parent[name[:i] + name[i + 1 :]] = parent.pop(name)
        elif op == "empty" and isinstance(target, list | dict):
            _set(data, path, type(target)())
        elif op == "dup" and isinstance(target, list) and target:
            target.append(copy.deepcopy(target[0]))
        elif op == "extends":
            data["extends"] = draw(st.sampled_from(EXTENDS))
    text = "".join(f"{key(k)} = {literal(v)}\n" for k, v in data.items())
    raw = text.encode()
    garble = draw(st.sampled_from(["none"] * 8 + ["cut", "byte"]))
    if garble == "cut":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif garble == "byte":
        i = draw(st.integers(0, len(raw)))
        raw = raw[:i] + bytes([draw(st.integers(0, 255))]) + raw[i:]
    extra = draw(
        st.sampled_from([[], [], [], ["--seed", "-1"], ["--seed", "3"], ["--until", "1989-13-01"]])
    )
    return {
        "base": base,
        "files": {
            "s.toml": raw,
            "p.toml": b'name = "p"\nextends = "s.toml"\n',
            "latin.toml": b'name = "Sch\xe4fer"\n',
        },
        "sets": sets,
        "extra": extra,
        "default_out": draw(st.booleans()),
    }


def key(k: Any) -> str:
    return literal(str(k))


def literal(v: Any) -> str:
    """A TOML literal for a raw value (inline tables for tables)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(repr(v), repr(v))
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list | tuple):
        return "[" + ", ".join(literal(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{key(k)} = {literal(x)}" for k, x in v.items()) + "}"
    return json.dumps(str(v), ensure_ascii=False).replace("\x7f", "\\u007f")


# --------------------------------------------------------------------------- running one case


class _Timeout(BaseException):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def _invoke(args: list[str], limit: int) -> tuple[str, int, str]:
    """``mutualdep ARGS`` in-process: (how it ended, exit code, stderr)."""
    from mutualdep import cli

    err = io.StringIO()
    argv, sys.argv = sys.argv, ["mutualdep", *args]
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(limit)
    how, code = "exit", 0
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            cli.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except _Timeout:
        how = "hang"
    except MemoryError:
        how = "memory"
    except BaseException:
        how, code = "traceback", 1
        err.write(traceback.format_exc())
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        sys.argv = argv
    return how, code, err.getvalue()


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for p in root.rglob("*"):
        info = p.lstat()  # a folder's own times change as entries come and go: not compared
        out[str(p.relative_to(root))] = (0, 0) if p.is_dir() else (info.st_size, info.st_mtime_ns)
    return out


def _finite(folder: Path) -> bool:
    for f in folder.glob("*.parquet"):
        frame = pl.read_parquet(f)
        floats = [c for c, t in frame.schema.items() if t.is_float()]
        if (
            floats
            and not frame.select(
                pl.all_horizontal(pl.col(floats).is_finite() | pl.col(floats).is_null()).all()
            ).item()
        ):
            return False
    return True


def run_case(case: dict[str, Any], limit: int = 30) -> tuple[str, str]:
    """Validate and run one case in a fresh folder: (outcome, detail)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        work = root / "a" / "b"
        work.mkdir(parents=True)
        for name in ("victim-seed0", "a/notes"):
            (root / name).mkdir()
            (root / name / "keep.txt").write_text("keep")
        for name, data in case["files"].items():
            (work / name).write_bytes(data)
        for name in case.get("fifos", ["fifo.toml"]):
            os.mkfifo(work / name)
        before = _snapshot(root)
        out = ["--out", "out"] if not case["default_out"] else []
        made = work / ("runs" if case["default_out"] else "out")
        here = os.getcwd()
        os.chdir(work)
        try:
            results = [
                _invoke(["validate", "s.toml", *case["sets"]], limit),
                _invoke(
                    [
                        *(
                            "run",
                            "s.toml",
                            "--until",
                            case.get("until") or UNTIL[case["base"]],
                            "--quiet",
                        ),
                        *out,
                        *case["sets"],
                        *case["extra"],
                    ],
                    limit,
                ),
            ]
        finally:
            os.chdir(here)
        after = _snapshot(root)
        for how, code, err in results:
            if how != "exit":
                return how, err[-2000:]
            if code not in (0, 2):
                return ("traceback" if "Traceback" in err else "other_exit"), err[-2000:]
        mine = str(made.relative_to(root))
        touched = [
            p
            for p in set(before) | set(after)
            if before.get(p) != after.get(p) and not p.startswith(mine)
        ]
        if touched:
            return "touched", f"{sorted(touched)[:5]}"
        code, err = results[1][1], results[1][2]
        if code == 2:
            if made.exists():
                return "leftover", f"{sorted(p.name for p in made.iterdir())}"
            return _judge(results, case)
        runs = [made] if not case["default_out"] else list(made.iterdir())
        if not all(_finite(folder) for folder in runs):
            return "non_finite", f"{case['sets']}"
        return _judge(results, case)


def _judge(results: list[tuple[str, int, str]], case: dict[str, Any]) -> tuple[str, str]:
    """input_error when each exit 2 is one line naming the file or an option, else unhelpful."""
    for _, code, err in results:
        if code != 2:
            continue
        lines = err.strip().split("\n")
        if len(lines) != 1 or not any(w in lines[0] for w in (".toml", "--", "seed", "scenario")):
            return "unhelpful", err.strip()[:300]
    return ("ok" if all(code == 0 for _, code, _ in results) else "input_error"), ""
