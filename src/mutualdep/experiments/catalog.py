"""An experiment folder: a DuckDB catalog of planned and finished runs, plus Parquet tables.

Layout::

    DIR/catalog.duckdb                      experiment, points, runs, metrics; view results
    DIR/tables/<table>/run-000042.parquet   kept daily tables, one file per run, with run_id

Crash safety (kill -9 at any moment): every run is planned (status 'pending') when the folder is
made, which itself appears atomically by renaming a finished temporary folder. A finished run's
Parquet files are written under a temporary name and renamed, and only then is the run marked
'done' with its metrics, in one transaction. A restart runs whatever is not 'done'; its Parquet
files are simply overwritten. Only the sweep's parent process writes here, opening the database
briefly for each batch so that `mutualdep query` can read while a sweep runs.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from mutualdep.errors import InputError
from mutualdep.experiments.runs import RunOutcome

DB_NAME = "catalog.duckdb"
RESERVED = {
    "experiment",
    "points",
    "runs",
    "metrics",
    "results",
    "comparison",
    "sensitivity",
    "trials",
    "fit",
}


@dataclass(frozen=True)
class PlannedRun:
    run_id: int
    point: int
    replicate: int
    seed: int


def quote(name: str) -> str:
    """A SQL identifier for any name (factor keys have dots, metric names colons)."""
    return '"' + name.replace('"', '""') + '"'


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Open the database, waiting while another process (a query, the sweep) holds its lock."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _version() -> str:
    try:
        return metadata.version("mutualdep")
    except metadata.PackageNotFoundError:
        return "unknown"


class Catalog:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.db = self.folder / DB_NAME
        self.tables_dir = self.folder / "tables"

    # ------------------------------------------------------------------ making and opening

    @classmethod
    def open_or_create(
        cls,
        folder: Path,
        *,
        name: str,
        kind: str,
        spec: dict[str, Any],
        fingerprint: str,
        columns: dict[str, str],
        metrics: list[str],
        tables: list[str],
        points: list[dict[str, Any]],
        runs: list[PlannedRun],
    ) -> Catalog:
        """Resume the experiment in `folder`, or make the folder with every run planned.

        `columns` maps each factor to its SQL type; `points[i]` holds point i's factor values.
        """
        folder = Path(folder)
        if (folder / DB_NAME).exists():
            catalog = cls(folder)
            with catalog.connect(views=False) as con:
                stored = con.execute("SELECT fingerprint, name FROM experiment").fetchone()
            if stored[0] != fingerprint:
                raise InputError(
                    f"{folder}: holds experiment {stored[1]!r} "
                    "made from a different file or options; "
                    "give another --out to start afresh, or the original file to resume"
                )
            catalog._clean_partial_files()
            return catalog
        if folder.exists() and any(folder.iterdir()):
            raise InputError(
                f"{folder}: exists and is not an experiment folder; expected a new or empty folder"
            )
        folder.parent.mkdir(parents=True, exist_ok=True)
        for stale in folder.parent.glob(f".{folder.name}.tmp-*"):  # left by a killed creation
            shutil.rmtree(stale, ignore_errors=True)
        tmp = folder.parent / f".{folder.name}.tmp-{os.getpid()}"
        tmp.mkdir()
        con = duckdb.connect(str(tmp / DB_NAME))
        try:
            _create_schema(con, name, kind, spec, fingerprint, columns, metrics, tables)
            con.close()
            cls(tmp).add(points, runs, start=0)
        except BaseException:
            con.close()
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if folder.exists():
            folder.rmdir()
        os.rename(tmp, folder)
        return cls(folder)

    @classmethod
    def open(cls, folder: Path) -> Catalog:
        if not (Path(folder) / DB_NAME).exists():
            raise InputError(
                f"{folder}: not an experiment folder (no {DB_NAME}); expected the --out of a sweep"
            )
        return cls(Path(folder))

    def _clean_partial_files(self) -> None:
        for tmp in self.tables_dir.glob("*/.*.tmp"):
            tmp.unlink()

    # ------------------------------------------------------------------ writing (parent only)

    def add(self, points: list[dict[str, Any]], runs: list[PlannedRun], start: int) -> None:
        """Plan more points (numbered from `start`) and their runs, in one transaction."""
        with self.connect(views=False, read_only=False) as con:
            columns = [
                c
                for c in con.sql("SELECT * FROM points LIMIT 0").columns
                if c not in ("point", "factors")
            ]
            con.execute("BEGIN")
            if points:
                con.executemany(
                    "INSERT INTO points (point, "
                    f"factors{''.join(', ' + quote(c) for c in columns)}) "
                    f"VALUES (?, ?{', ?' * len(columns)})",
                    [
                        [i, json.dumps(v), *(v.get(c) for c in columns)]
                        for i, v in enumerate(points, start)
                    ],
                )
            if runs:
                con.executemany(
                    "INSERT INTO runs (run_id, point, replicate, "
                    "seed, status) VALUES (?, ?, ?, ?, 'pending')",
                    [(r.run_id, r.point, r.replicate, r.seed) for r in runs],
                )
            con.execute("COMMIT")

    def record(self, outcomes: Iterable[RunOutcome]) -> None:
        """Store finished runs: Parquet first (atomic renames), then one catalog transaction."""
        outcomes = list(outcomes)
        for o in outcomes:
            for table, df in o.tables.items():
                self._write_table(table, o.run_id, df)
        with self.connect(views=False, read_only=False) as con:
            con.execute("BEGIN")
            con.executemany(
                "UPDATE runs SET status = ?, error = ?, traceback = ?, started = ?, finished = ?, "
                "seconds = ?, worker = ? WHERE run_id = ?",
                [
                    (
                        o.status,
                        o.error,
                        o.traceback,
                        o.started,
                        o.finished,
                        o.seconds,
                        o.worker,
                        o.run_id,
                    )
                    for o in outcomes
                ],
            )
            rows = [
                (o.run_id, m, None if math.isnan(v) else v)
                for o in outcomes
                if o.status == "done"
                for m, v in o.metrics.items()
            ]
            if rows:
                con.executemany("INSERT INTO metrics VALUES (?, ?, ?)", rows)
            con.execute("COMMIT")

    def _write_table(self, table: str, run_id: int, df: pl.DataFrame) -> None:
        folder = self.tables_dir / table
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / f"run-{run_id:06d}.parquet"
        tmp = folder / f".{final.name}.tmp"
        df.select(pl.lit(run_id, pl.Int64).alias("run_id"), pl.all()).write_parquet(tmp)
        os.replace(tmp, final)

    def write_table(self, name: str, df: pl.DataFrame) -> None:
        """Replace a derived table (comparison, sensitivity, trials) with `df`."""
        with self.connect(views=False, read_only=False) as con:
            con.register("df_view", df.to_arrow())
            con.execute(f"CREATE OR REPLACE TABLE {quote(name)} AS SELECT * FROM df_view")

    # ------------------------------------------------------------------ reading

    def connect(self, views: bool = True, read_only: bool = True) -> duckdb.DuckDBPyConnection:
        """A connection; with views, each kept Parquet table is a view named after it."""
        con = _connect(self.db, read_only)
        if views:
            for folder in sorted(p for p in self.tables_dir.glob("*") if p.is_dir()):
                if any(folder.glob("*.parquet")):
                    pattern = str(folder / "*.parquet").replace("'", "''")
                    con.execute(
                        f"CREATE TEMP VIEW {quote(folder.name)} AS "
                        f"SELECT * FROM read_parquet('{pattern}', union_by_name = true)"
                    )
        return con

    def query(self, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
        """SQL over runs, metrics, results and the kept tables."""
        with self.connect() as con:
            relation = con.sql(sql, params=params)
            return relation.pl() if relation is not None else pl.DataFrame()

    def pending(self) -> list[int]:
        return [
            r[0]
            for r in self._fetch("SELECT run_id FROM runs WHERE status <> 'done' ORDER BY run_id")
        ]

    def counts(self) -> dict[str, int]:
        return dict(self._fetch("SELECT status, count(*) FROM runs GROUP BY status"))

    def info(self) -> dict[str, Any]:
        with self.connect(views=False) as con:
            row = con.sql("SELECT * FROM experiment").pl().row(0, named=True)
        row["spec"] = json.loads(row["spec"])
        return row

    def _fetch(self, sql: str) -> list[tuple[Any, ...]]:
        with self.connect(views=False) as con:
            return con.execute(sql).fetchall()


def _create_schema(
    con: duckdb.DuckDBPyConnection,
    name: str,
    kind: str,
    spec: dict[str, Any],
    fingerprint: str,
    columns: dict[str, str],
    metrics: list[str],
    tables: list[str],
) -> None:
    con.execute(
        "CREATE TABLE experiment (name VARCHAR, kind VARCHAR, fingerprint VARCHAR, spec JSON, "
        "created TIMESTAMP, version VARCHAR, factors "
        "VARCHAR[], metrics VARCHAR[], tables VARCHAR[])"
    )
    con.execute(
        "INSERT INTO experiment VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            name,
            kind,
            fingerprint,
            json.dumps(spec, default=str),
            dt.datetime.now(),
            _version(),
            list(columns),
            metrics,
            tables,
        ],
    )
    factor_columns = "".join(f", {quote(c)} {t}" for c, t in columns.items())
    con.execute(f"CREATE TABLE points (point INTEGER PRIMARY KEY, factors JSON{factor_columns})")
    con.execute(
        "CREATE TABLE runs (run_id INTEGER PRIMARY KEY, point "
        "INTEGER NOT NULL, replicate INTEGER NOT NULL, "
        "seed BIGINT NOT NULL, status VARCHAR NOT NULL, error VARCHAR, traceback VARCHAR, "
        "started TIMESTAMP, finished TIMESTAMP, seconds DOUBLE, worker VARCHAR)"
    )
    con.execute(
        "CREATE TABLE metrics (run_id INTEGER NOT NULL, metric VARCHAR NOT NULL, value DOUBLE, "
        "PRIMARY KEY (run_id, metric))"
    )
    pivots = "".join(
        ", max(m.value) FILTER (WHERE m.metric = "
        f"'{metric.replace(chr(39), chr(39) * 2)}') AS {quote(metric)}"
        for metric in metrics
    )
    factor_select = "".join(f", p.{quote(c)}" for c in columns)
    con.execute(
        "CREATE VIEW results AS SELECT r.run_id, r.point, r.replicate, r.seed, r.status"
        f"{factor_select}{pivots} FROM runs r JOIN points p USING (point) "
        "LEFT JOIN metrics m USING (run_id) GROUP BY ALL ORDER BY r.run_id"
    )
