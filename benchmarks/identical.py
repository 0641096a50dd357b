"""Behaviour check for optimisations: every output table must stay exactly equal.

    python benchmarks/identical.py save  DIR   # snapshot the model's source, run the cases with it
    # ... optimise ...
    python benchmarks/identical.py check DIR   # run the cases with the live source, compare

``save`` copies the package's source into DIR/src (the snapshot), runs the reference cases with
that copy in a separate process, and writes every table as Parquet plus the resolved scenario
of each case (frozen as JSON, so that tuning the TOML files afterwards does not show up as a
difference). ``check`` runs the frozen scenarios with the live source and compares each table
with ``frame.equals``; it exits 1 and names each table (and the first differing column) that is
not identical, and it lists the source files that differ from the snapshot, so that a
difference can be traced to an optimisation or to someone else's edit made in between.

The cases are every built-in scenario with seed 1 over all its years, plus small-town seed 2
(``all``, the default); ``--cases`` picks others (``name:seed,...``).

When the model's code is being edited by others at the same time, ``save --from COPY`` takes
the reference from a copy of the live package with only the optimisation under test reverted.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

DEFAULT_CASES = "all"
_SKIP = ("__pycache__", "experiments", "report", "web")


def _live_src() -> Path:
    import mutualdep

    return Path(mutualdep.__file__).parent


def _cases(text: str) -> list[tuple[str, int]]:
    if text == "all":
        from mutualdep.scenario import builtin_names

        return [(name, 1) for name in builtin_names()] + [("small-town", 2)]
    out = []
    for item in text.split(","):
        name, _, seed = item.strip().partition(":")
        out.append((name, int(seed or 0)))
    return out


def _case_dir(root: Path, name: str, seed: int) -> Path:
    return root / f"{name}-seed{seed}"


def save(root: Path, cases: str, source: Path | None = None) -> None:
    snapshot = root / "src" / "mutualdep"
    if snapshot.exists():
        shutil.rmtree(snapshot)
    shutil.copytree(source or _live_src(), snapshot, ignore=shutil.ignore_patterns(*_SKIP))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root / "src"), env.get("PYTHONPATH", "")]).rstrip(
        os.pathsep
    )
    subprocess.run(
        [sys.executable, __file__, "_run", str(root), "--cases", cases], env=env, check=True
    )


def _run_and_write(root: Path, cases: str) -> None:
    """Inside the snapshot's process: run each case and write its tables."""
    import mutualdep

    assert Path(mutualdep.__file__).parent == (root / "src" / "mutualdep").resolve(), (
        mutualdep.__file__
    )
    for name, seed in _cases(cases):
        scenario = mutualdep.load_scenario(name)
        t0 = time.perf_counter()
        result = mutualdep.run(scenario, seed=seed)
        folder = _case_dir(root, name, seed)
        folder.mkdir(parents=True, exist_ok=True)
        for table, frame in result.tables.items():
            frame.write_parquet(folder / f"{table}.parquet")
        (folder / "scenario.json").write_text(
            json.dumps(scenario.model_dump(mode="json"), indent=1)
        )
        print(
            f"saved {name} seed {seed}: {len(result.tables)} "
            f"tables, {time.perf_counter() - t0:.1f} s"
        )


def changed_since_save(root: Path) -> list[str]:
    """Model source files that differ from the snapshot taken at ``save`` (anyone's edits)."""
    snapshot = root / "src" / "mutualdep"
    live = _live_src()
    names = {p.relative_to(snapshot) for p in snapshot.rglob("*.py")}
    names |= {
        p.relative_to(live)
        for p in live.rglob("*.py")
        if not set(p.relative_to(live).parts) & set(_SKIP)
    }
    out = []
    for rel in sorted(names):
        a, b = snapshot / rel, live / rel
        if not (a.exists() and b.exists() and filecmp.cmp(a, b, shallow=False)):
            out.append(str(rel))
    return out


def check(root: Path, cases: str, ignore: tuple[str, ...] = ()) -> bool:
    import mutualdep
    from mutualdep.scenario import Scenario

    ok = True
    changed = changed_since_save(root)
    print("source changed since save:", ", ".join(changed) if changed else "nothing")
    for name, seed in _cases(cases):
        folder = _case_dir(root, name, seed)
        scenario = _frozen_scenario(Scenario, folder / "scenario.json")
        t0 = time.perf_counter()
        result = mutualdep.run(scenario, seed=seed)
        wall = time.perf_counter() - t0
        bad = []
        for table, frame in result.tables.items():
            if table in ignore:
                continue
            path = folder / f"{table}.parquet"
            if not path.exists():
                bad.append(f"{table} (new table)")
                continue
            ref = pl.read_parquet(path)
            if not frame.equals(ref):
                bad.append(f"{table}: {_first_difference(frame, ref)}")
        missing = {p.stem for p in folder.glob("*.parquet")} - set(result.tables) - set(ignore)
        bad += [f"{t} (missing)" for t in sorted(missing)]
        status = "identical" if not bad else "DIFFERENT"
        print(f"{name} seed {seed}: {status} ({len(result.tables)} tables, {wall:.1f} s)")
        for line in bad:
            print(f"    {line}")
        ok &= not bad
    return ok


def _frozen_scenario(schema, path: Path):
    """The frozen scenario, less any key the schema has since dropped (named on the way)."""
    import pydantic

    data = json.loads(path.read_text())
    try:
        return schema.model_validate(data)
    except pydantic.ValidationError as err:
        dropped = [e["loc"] for e in err.errors() if e["type"] == "extra_forbidden"]
        if len(dropped) < len(err.errors()):
            raise
    for loc in dropped:
        print(f"    dropped {'.'.join(map(str, loc))}: no longer in the schema")
        parent = data
        for key in loc[:-1]:
            parent = parent[key]
        del parent[loc[-1]]
    return schema.model_validate(data)


def _first_difference(a: pl.DataFrame, b: pl.DataFrame) -> str:
    if a.shape != b.shape:
        return f"shape {a.shape} vs reference {b.shape}"
    if a.schema != b.schema:
        return f"schema {dict(a.schema)} vs reference {dict(b.schema)}"
    for col in a.columns:
        if not a[col].equals(b[col]):
            diff = (a[col] != b[col]).fill_null(True)
            row = int(diff.arg_max())
            return (
                f"column {col!r}, first at row {row}: {a[col][row]!r} vs reference {b[col][row]!r}"
            )
    return "frames differ"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("save", "check", "_run"))
    parser.add_argument("folder", type=Path)
    parser.add_argument(
        "--cases", default=DEFAULT_CASES, help=f"name:seed,... (default {DEFAULT_CASES})"
    )
    parser.add_argument(
        "--from",
        dest="source",
        type=Path,
        default=None,
        help="save: take the reference from this copy of the package (a 'mutualdep' "
        "folder, e.g. the live one with an optimisation reverted) instead of the live source",
    )
    parser.add_argument(
        "--ignore",
        default="",
        help="tables to leave out (comma-separated), e.g. one "
        "that someone else changed since the snapshot",
    )
    args = parser.parse_args(argv)
    root = args.folder.resolve()
    if args.action == "save":
        save(root, args.cases, args.source)
        return 0
    if args.action == "_run":
        _run_and_write(root, args.cases)
        return 0
    ignore = tuple(t for t in args.ignore.split(",") if t)
    return 0 if check(root, args.cases, ignore) else 1


if __name__ == "__main__":
    sys.exit(main())
