"""A sweep killed with SIGKILL mid-way and restarted: nothing finished is redone, nothing lost."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter

import duckdb
import polars as pl
from xp_support import CLI, run_cli, subprocess_env

from mutualdep.experiments.catalog import Catalog

N_X, SEEDS = 20, 2


def _done(db) -> set[int]:
    """Runs recorded as done, read like any other reader would (the sweep may hold the lock)."""
    if not db.exists():
        return set()
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            return {
                r[0]
                for r in con.execute("SELECT run_id FROM runs WHERE status = 'done'").fetchall()
            }
    except duckdb.Error:
        return set()


def _executions(log) -> list[tuple[float, int, int, float]]:
    """(x1, seed, pid, time) of every execution the toy model logged."""
    rows = [line.split() for line in log.read_text().splitlines()]
    return [(float(x), int(seed), int(pid), float(t)) for x, seed, pid, t in rows]


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped does not count)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def test_kill_9_then_restart(write, tmp_path):
    log = tmp_path / "executions.log"
    path = write(
        "slow.toml",
        f"""
        name = "slow"
        scenario = "toy"
        model = "xp_toys:toy"
        [set]
        delay = 0.15
        log = "{log}"
        [[factors]]
        key = "x1"
        values = {[float(i) for i in range(N_X)]}
        [replications]
        count = {SEEDS}
        [outputs]
        metrics = ["linear", "draw"]
        tables = ["trace"]
        """,
    )
    out = tmp_path / "out"
    db = out / "catalog.duckdb"
    output = open(tmp_path / "sweep.log", "w")  # a file, not a pipe: orphans could hold a pipe open
    sweep = subprocess.Popen(
        [*CLI, "sweep", str(path), "--out", str(out), "--workers", "2", "--no-progress"],
        env=subprocess_env(),
        start_new_session=True,
        stdout=output,
        stderr=output,
    )
    try:
        deadline = time.monotonic() + 120
        while len(_done(db)) < 8:
            assert sweep.poll() is None, (tmp_path / "sweep.log").read_text()
            assert time.monotonic() < deadline, "the sweep recorded too few runs in time"
            time.sleep(0.05)
        os.kill(sweep.pid, signal.SIGKILL)
        sweep.wait(timeout=30)
        time.sleep(0.5)
        # Pool workers die with the killed parent (PR_SET_PDEATHSIG) instead of running on.
        assert not [pid for pid in {e[2] for e in _executions(log)} if _alive(pid)]
    finally:
        try:
            os.killpg(sweep.pid, signal.SIGKILL)  # whatever is left of its session, on failure
        except ProcessLookupError:
            pass
        sweep.wait()
        output.close()

    catalog = Catalog.open(out)
    before = catalog.query("SELECT run_id, started FROM runs WHERE status = 'done'")
    assert 8 <= before.height < N_X * SEEDS, "kill -9 should land mid-way"
    restarted_at = time.time()

    result = run_cli("sweep", str(path), "--out", str(out), "--workers", "2", "--no-progress")
    assert result.returncode == 0, result.stderr
    assert f"{N_X * SEEDS} runs done, 0 failed" in result.stderr

    runs = catalog.query("SELECT run_id, point, seed, status, started FROM runs ORDER BY run_id")
    assert runs["run_id"].to_list() == list(range(N_X * SEEDS))
    assert (runs["status"] == "done").all()
    # Runs finished before the kill kept their original start time ...
    kept = before.join(runs, on="run_id", suffix="_after")
    assert kept.height == before.height and (kept["started"] == kept["started_after"]).all()
    # ... and the restarted sweep executed none of them again.
    # (point p runs x1 = p)
    done_keys = {
        (float(p), int(s))
        for p, s in runs.filter(pl.col("run_id").is_in(before["run_id"].implode()))
        .select("point", "seed")
        .iter_rows()
    }
    runs_after = Counter((x, s) for x, s, _, t in _executions(log) if t >= restarted_at)
    assert not done_keys & set(runs_after)
    assert sum(runs_after.values()) == N_X * SEEDS - before.height
    # Every run executed; nothing duplicated in the metrics or the Parquet tables.
    assert {(x, s) for x, s, _, _ in _executions(log)} == {
        (float(x), s) for x in range(N_X) for s in range(SEEDS)
    }
    metrics = catalog.query("SELECT run_id, metric, count(*) AS n FROM metrics GROUP BY ALL")
    assert metrics.height == N_X * SEEDS * 2 and (metrics["n"] == 1).all()
    trace = catalog.query("SELECT run_id, count(*) AS n FROM trace GROUP BY run_id")
    assert trace.height == N_X * SEEDS and (trace["n"] == 5).all()
    assert not list((out / "tables" / "trace").glob(".*"))
