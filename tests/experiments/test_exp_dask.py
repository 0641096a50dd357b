"""The same sweep on the local pool and on a real Dask cluster gives identical results."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

import pytest
from xp_support import SHORT_UNTIL, subprocess_env

from mutualdep.experiments.sweep import run_sweep


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two single-thread workers on 127.0.0.1, stopped whatever happens."""
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path_factory.mktemp("dask")
    common = {"env": subprocess_env(), "stderr": subprocess.STDOUT}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dask",
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-dashboard",
            ],
            stdout=open(logs / "scheduler.log", "w"),
            **common,
        )
    ]
    try:
        for i in range(2):
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "dask",
                        "worker",
                        address,
                        "--host",
                        "127.0.0.1",
                        "--nthreads",
                        "1",
                        "--no-nanny",
                        "--no-dashboard",
                        "--name",
                        f"w{i}",
                    ],
                    stdout=open(logs / f"worker{i}.log", "w"),
                    **common,
                )
            )
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=90)
        yield address, {p.pid for p in procs[1:]}
    finally:
        _stop(procs)


def test_local_and_dask_results_identical(cluster, write, tmp_path):
    address, worker_pids = cluster
    path = write(
        "both.toml",
        f"""
        name = "both"
        scenario = "small-town"
        until = {SHORT_UNTIL}
        [[factors]]
        key = "collective_action.strike_fund"
        values = [0.0, 0.4]
        [replications]
        count = 2
        [outputs]
        metrics = [
            "peak_share_striking:coal", "striker_days:coal", "days_to_spread:coal", "quits_per_1000"
        ]
        tables = ["enterprise_days"]
        """,
    )
    local = run_sweep(path, tmp_path / "local", workers=2)
    t0 = time.time()
    remote = run_sweep(path, tmp_path / "dask", scheduler=address)
    assert time.time() - t0 < 120

    where = remote.query("SELECT DISTINCT worker FROM runs")["worker"].to_list()
    assert {int(w.rsplit(":", 1)[1]) for w in where} <= worker_pids
    columns = "run_id, point, replicate, seed, status"
    assert local.query(f"SELECT {columns} FROM runs ORDER BY run_id").equals(
        remote.query(f"SELECT {columns} FROM runs ORDER BY run_id")
    )
    metrics = "SELECT run_id, metric, value FROM metrics ORDER BY run_id, metric"
    a, b = local.query(metrics), remote.query(metrics)
    assert a.height == 16 and a.equals(b)
    days = "SELECT * FROM enterprise_days ORDER BY run_id, date, enterprise"
    a, b = local.query(days), remote.query(days)
    assert a.height > 0 and a.equals(b)
