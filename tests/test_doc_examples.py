"""The README's and the experiments guide's examples, run in order in one fresh folder.

Shell blocks run in bash, Python blocks as scripts, TOML blocks preceded by
``<!-- file: NAME -->`` are written to NAME first; a block preceded by ``<!-- skip ... -->``
is left out (clusters, Slurm, minutes-long runs). To keep the whole under a few minutes the
examples run with fewer seeds, samples and trials and stop in July 1989 (after the walk-out
of 10 July): the commands and files are otherwise exactly those of the docs. The reports the
examples write are then checked figure by figure.
"""

from __future__ import annotations

import base64
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from mdsupport import SRC

ROOT = Path(__file__).parents[1]
DOCS = [ROOT / "README.md", ROOT / "docs" / "experiments.md"]

SHRINK = [
    (r"--reps \d+", "--reps 2"),
    (r"\breps=\d+", "reps=2"),
    (r"^count = \d+", "count = 1"),
    (r"^samples = \d+", "samples = 2"),
    (r"^trials = \d+", "trials = 2"),
    (r"^until = 1989-\d\d-\d\d", "until = 1989-07-20"),
    (r"--until 1989-\d\d-\d\d", "--until 1989-07-20"),
]

pytestmark = pytest.mark.slow


def blocks(path: Path) -> list[tuple[str, str, str]]:
    """(language, marker, text) of every fenced block, the marker being the comment above it."""
    out, lines, i = [], path.read_text().splitlines(), 0
    while i < len(lines):
        fence = re.match(r"^```(\w*)\s*$", lines[i])
        if not fence:
            i += 1
            continue
        before = next((ln for ln in reversed(lines[:i]) if ln.strip()), "")
        marker = before.strip() if before.strip().startswith("<!--") else ""
        end = lines.index("```", i + 1)
        out.append((fence.group(1), marker, "\n".join(lines[i + 1 : end]) + "\n"))
        i = end + 1
    return out


def shrink(text: str) -> str:
    for pattern, new in SHRINK:
        text = re.sub(pattern, new, text, flags=re.MULTILINE)
    return text


def run_examples(folder: Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "160"}
    preamble = f'mutualdep() {{ "{sys.executable}" -m mutualdep "$@"; }}\nset -euo pipefail\n'
    ran = []
    for doc in DOCS:
        for n, (lang, marker, text) in enumerate(blocks(doc)):
            where = f"{doc.name} block {n}"
            if marker.startswith("<!-- skip") or "pip install" in text:
                continue
            if marker.startswith("<!-- file:"):
                name = marker.removeprefix("<!-- file:").removesuffix("-->").strip()
                (folder / name).write_text(shrink(text))
                continue
            if lang in ("sh", "bash"):
                cmd = ["bash", "-c", preamble + shrink(text)]
            elif lang == "python":
                script = folder / f"example_{doc.stem}_{n}.py"
                script.write_text(shrink(text))
                cmd = [sys.executable, script.name]
            else:
                continue
            t0 = time.perf_counter()
            proc = subprocess.run(
                cmd, cwd=folder, env=env, capture_output=True, text=True, timeout=600
            )
            print(f"{where}: {time.perf_counter() - t0:.1f} s")
            assert proc.returncode == 0, f"{where} failed:\n{text}\n{proc.stdout}\n{proc.stderr}"
            ran.append(f"{where}: {proc.stderr}")
    return ran


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("docs")
    return folder, run_examples(folder)


def figures_of(html: str) -> dict[str, bytes]:
    """Title -> image bytes of every figure of a report page."""
    found = re.findall(
        r"<h2>(.*?)</h2><img alt='[^']*' src='data:image/(?:png|gif);base64,([^']+)'", html
    )
    return {title: base64.b64decode(data) for title, data in found}


def assert_not_blank(title: str, image: bytes) -> None:
    from matplotlib import image as mpimg

    if image[:3] == b"GIF":
        assert len(image) > 5000, title
        return
    pixels = mpimg.imread(io.BytesIO(image), format="png")[..., :3]
    inked = (pixels.min(axis=2) < 0.9).mean()
    assert inked > 0.02, f"{title}: only {inked:.1%} of pixels drawn"
    assert np.unique(pixels.reshape(-1, 3), axis=0).shape[0] > 20, f"{title}: too few colours"


def test_every_example_runs_in_order(examples):
    folder, ran = examples
    assert len(ran) >= 6
    for name in ("runs/st", "runs/strike-fund", "runs/fund", "runs/what-matters", "runs/fit"):
        assert (folder / name).is_dir(), name
    assert (folder / "runs/fit/fitted.toml").exists()
    assert (folder / "striking.csv").read_text().startswith("fund,seed,date,striking")
    # the Sobol example in the docs uses enough samples; the shrunk one is warned about
    assert any("sobol samples = 2 is below 64" in r for r in ran)


@pytest.mark.parametrize(
    "folder, titles",
    [
        (
            "runs/st",
            [
                "Strike participation by industry",
                "Strikes by town and day",
                "The spread on the map of towns",
                "Waiting times",
                "Allocations",
                "Turnover",
                "Pay, stake in kind and dependence",
                "Plan, output and money",
            ],
        ),
        ("runs/strike-fund", ["Response curves", "Participation at point 0"]),
        ("runs/fund", ["Paired differences"]),
        ("runs/what-matters", ["Sensitivity of peak_share_striking:coal"]),
        ("runs/fit", ["Calibration traces"]),
    ],
)
def test_reports_hold_the_expected_figures(examples, folder, titles):
    html = (examples[0] / folder / "report.html").read_text()
    assert "http" not in html.split("<body>")[0], "the page must open offline"
    found = figures_of(html)
    for title in titles:
        matches = [t for t in found if t.startswith(title)]
        assert matches, (title, list(found))
    for title, image in found.items():
        assert_not_blank(title, image)


def test_report_pdf_has_a_page_per_figure(examples):
    pdf = (examples[0] / "runs/what-matters/report.pdf").read_bytes()
    assert pdf[:5] == b"%PDF-"
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 2  # two metrics
