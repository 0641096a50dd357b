"""``mutualdep run --checkpoint-every``: a run killed with SIGKILL resumes from its last checkpoint
when the same command is given again, and writes byte-identical Parquet tables."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import mutualdep
from mdsupport import SRC, run_cli
from mutualdep.checkpoint import checkpoint_path, identity, load

ARGS = ("run", "small-town", "--until", "1989-04-30", "--seed", "4", "--quiet")


def test_kill_9_then_resume_gives_identical_parquet(tmp_path):
    whole = run_cli(*ARGS, "--out", "whole", cwd=tmp_path, timeout=300)
    assert whole.returncode == 0, whole.stderr
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    cmd = [sys.executable, "-m", "mutualdep", *ARGS, "--out", "cut", "--checkpoint-every", "7"]
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env)
    ckpt = checkpoint_path(tmp_path / "cut")
    key = identity(mutualdep.load_scenario("small-town"), 4, mutualdep.guards.as_date("1989-04-30"))
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        sim = load(ckpt, key) if ckpt.exists() else None
        if sim is not None and sim.day >= 14:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (tmp_path / "cut").exists()
    resumed_from = load(ckpt, key).day
    assert 14 <= resumed_from < 120
    again = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert not ckpt.exists()
    names = sorted(p.name for p in (tmp_path / "whole").glob("*.parquet"))
    assert names == sorted(p.name for p in (tmp_path / "cut").glob("*.parquet"))
    assert {
        "enterprise_days.parquet",
        "events.parquet",
        "sanctions.parquet",
        "moves.parquet",
    } <= set(names)
    for name in names:
        assert (tmp_path / "cut" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), (
            name
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cut", "whole"]


def test_a_checkpoint_of_another_seed_is_not_used(tmp_path):
    sc = mutualdep.load_scenario("granovetter")
    assert identity(sc, 1, None) != identity(sc, 2, None)
    assert load(tmp_path / "none", identity(sc, 1, None)) is None
    r = run_cli("run", "granovetter", "--checkpoint-every", "0", "--out", "o", cwd=tmp_path)
    assert r.returncode == 2 and "--checkpoint-every" in r.stderr
