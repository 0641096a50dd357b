"""Helpers shared by the benchmark scripts: fresh measuring processes, machine description."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "POLARS_MAX_THREADS")


def one_core_env() -> dict[str, str]:
    """The environment for a one-core figure: every thread pool pinned to one thread."""
    env = dict(os.environ)
    env.update({k: "1" for k in THREAD_VARS})
    return env


def _command(spec: dict) -> list[str]:
    return [sys.executable, str(HERE / "_measure.py"), json.dumps(spec)]


def measure(spec: dict) -> dict:
    """One run in a fresh one-core process; returns _measure.py's figures."""
    out = subprocess.run(
        _command(spec), env=one_core_env(), capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"measuring {spec} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_parallel(spec: dict, copies: int) -> list[dict]:
    """``copies`` independent one-core runs started together, one process each."""
    procs = [
        subprocess.Popen(
            _command({**spec, "seed": int(spec.get("seed", 1)) + i}),
            env=one_core_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(copies)
    ]
    results = []
    for p in procs:
        stdout, stderr = p.communicate()
        if p.returncode != 0:
            raise RuntimeError(f"measuring {spec} failed:\n{stderr}")
        results.append(json.loads(stdout.strip().splitlines()[-1]))
    return results


def machine() -> dict:
    """What the figures were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    import numpy

    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": round(mem / 2**30, 1),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "platform": platform.platform(),
    }


def fmt_rate(x: float) -> str:
    return f"{x / 1e6:.1f}M"


def fmt_size(n: int) -> str:
    for unit, div in (("M", 1_000_000), ("k", 1_000)):
        if n >= div and n % div == 0:
            return f"{n // div}{unit}"
    return str(n)


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    mult = 1
    if text.endswith("k"):
        mult, text = 1_000, text[:-1]
    elif text.endswith("m"):
        mult, text = 1_000_000, text[:-1]
    return int(float(text) * mult)
