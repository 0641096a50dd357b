"""A real `mutualdep serve` on 127.0.0.1 and Debian's chromium driven by playwright.

The server runs as a subprocess with a data folder of its own; it is stopped after the tests.
Never `playwright install`: the browser is /usr/bin/chromium (`.ci/run` installs it).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def data_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("data")
    (folder / "small.toml").write_text('extends = "small-town"\nname = "small-from-data"\n')
    (folder / "sneaky.toml").write_text('extends = "../../../../../etc/hostname"\nname = "x"\n')
    return folder


@pytest.fixture(scope="module")
def server(data_folder) -> str:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    cmd = [sys.executable, "-m", "mutualdep", "serve", "--port", str(port)]
    proc = subprocess.Popen(
        [*cmd, "--data", str(data_folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"mutualdep serve exited with {proc.returncode}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("mutualdep serve did not open its port in 90 s")
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A fresh tab (its own simulation) with the app loaded."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    tab.goto(server)
    tab.locator(".mutualdep-date").wait_for()
    yield tab
    context.close()
