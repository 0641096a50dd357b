"""The places a new user tripped over: each with the behaviour it has now."""

from __future__ import annotations

import math
import tomllib

import numpy as np
import polars as pl
import pytest
from scipy import stats
from xp_support import run_cli

from mutualdep.experiments import ExperimentError, ExperimentWarning, RunOutput
from mutualdep.experiments.calibrate import run_calibration
from mutualdep.experiments.cli import comparison_rows
from mutualdep.experiments.compare import _t_interval, _welch_interval, run_compare
from mutualdep.experiments.sensitivity import run_sensitivity

SOBOL = """
name = "linear-sobol"
scenario = "toy"
model = "xp_toys:toy"
[[factors]]
key = "x1"
low = 0.0
high = 1.0
[[factors]]
key = "x2"
low = 0.0
high = 1.0
[design]
kind = "sobol"
samples = {samples}
[outputs]
metrics = ["linear"]
"""


def test_run_output_is_exported():
    assert RunOutput({}).metrics == {}


@pytest.mark.parametrize(
    "metric, says",
    [
        ("peak_share_striking:coals", "unknown industry 'coals' (expected one of: coal,"),
        ("mean_wait_years:flats", "unknown list 'flats'"),
        ("mean_wait_years:housing:miner", "unknown occupation 'miner'"),
        ("quits_per_1000:old", "unknown group 'old'"),
    ],
)
def test_a_metric_naming_what_the_scenario_lacks_stops_before_any_run(
    write, tmp_path, metric, says
):
    path = write(
        "exp.toml",
        f"""
        name = "typo"
        scenario = "small-town"
        [[factors]]
        key = "collective_action.strike_fund"
        values = [0.0, 0.2]
        [replications]
        count = 2
        [outputs]
        metrics = ["{metric}"]
        """,
    )
    proc = run_cli("sweep", str(path), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2, proc.stderr
    assert says in proc.stderr and "outputs.metrics" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "out").exists()
    cmp = run_cli(
        "compare", "small-town", "small-town", "-m", metric, "-n", "2", "--out", str(tmp_path / "c")
    )
    assert cmp.returncode == 2 and says in cmp.stderr and not (tmp_path / "c").exists()


def test_compare_raises_when_every_run_failed(tmp_path):
    with pytest.raises(ExperimentError, match="every run failed.*toy failure"):
        run_compare(
            "a", "b", 2, ["linear"], tmp_path / "out", None, {"fail": 0.5}, 1, None, "xp_toys:toy"
        )


def test_paired_and_welch_intervals_match_the_textbook_formulas():
    rng = np.random.default_rng(3)
    base, alt = rng.normal(10, 2, 12), rng.normal(11, 3, 12)
    d = alt - base
    half = stats.t.ppf(0.975, 11) * d.std(ddof=1) / math.sqrt(12)
    np.testing.assert_allclose(_t_interval(alt, base), (d.mean(), d.mean() - half, d.mean() + half))
    other = rng.normal(12, 1, 9)
    va, vb = base.var(ddof=1) / 12, other.var(ddof=1) / 9
    df = (va + vb) ** 2 / (va**2 / 11 + vb**2 / 8)
    half = stats.t.ppf(0.975, df) * math.sqrt(va + vb)
    diff = other.mean() - base.mean()
    np.testing.assert_allclose(_welch_interval(base, other), (diff, diff - half, diff + half))
    # no spread at all: the interval is the point itself
    assert _t_interval(np.ones(3), np.zeros(3)) == (1.0, 1.0, 1.0)


def test_compare_table_shows_each_mean_with_its_own_interval():
    table = pl.DataFrame(
        {
            "metric": ["m"],
            "base_mean": [1.0],
            "alt_mean": [1.5],
            "difference": [0.5],
            "paired_low": [0.4],
            "paired_high": [0.6],
            "unpaired_difference": [0.45],
            "unpaired_low": [-0.1],
            "unpaired_high": [1.0],
            "width_ratio": [0.1818],
        }
    )
    row = comparison_rows(table).row(0, named=True)
    assert row["paired difference [95%]"] == "0.5 [0.4, 0.6]"
    assert row["unpaired difference [95%]"] == "0.45 [-0.1, 1]"


def test_sobol_bootstrap_is_seeded_and_small_samples_are_warned(write, tmp_path):
    path = write("sobol.toml", SOBOL.format(samples=16))
    with pytest.warns(ExperimentWarning, match="samples = 16 is below 64"):
        first = run_sensitivity(path, tmp_path / "out", workers=1)
    with pytest.warns(ExperimentWarning):
        again = run_sensitivity(path, tmp_path / "out", workers=1)  # re-analysis, no new runs
    assert first["S1_conf"].to_list() == again["S1_conf"].to_list()
    assert first["ST_conf"].to_list() == again["ST_conf"].to_list()


def test_sobol_with_enough_samples_gives_no_warning(write, tmp_path):
    import warnings

    path = write("sobol.toml", SOBOL.format(samples=64))
    with warnings.catch_warnings():
        warnings.simplefilter("error", ExperimentWarning)
        run_sensitivity(path, tmp_path / "out", workers=1)


def test_calibration_warns_when_the_target_is_not_reached(write, tmp_path):
    # fitted = 2 theta with theta in [0, 1]: a target of 5 cannot be reached
    path = write(
        "cal.toml",
        """
        name = "unreachable"
        scenario = "toy"
        model = "xp_toys:toy"
        [[parameters]]
        key = "theta"
        low = 0.0
        high = 1.0
        [[targets]]
        metric = "fitted"
        value = 5.0
        [replications]
        count = 1
        [search]
        trials = 4
        """,
    )
    with pytest.warns(ExperimentWarning, match="fitted: the best trial's mean .* does not reach"):
        result = run_calibration(path, tmp_path / "out", workers=1)
    assert result.fit["reached"].to_list() == [False]
    fitted = tomllib.loads(result.scenario_path.read_text())
    assert fitted["name"] == "unreachable-fitted" and fitted["extends"] == "toy"
    assert fitted["theta"] == pytest.approx(result.params["theta"])


def test_calibration_that_reaches_its_target_is_quiet(write, tmp_path):
    import warnings

    path = write(
        "cal.toml",
        """
        name = "reachable"
        scenario = "toy"
        model = "xp_toys:toy"
        [[parameters]]
        key = "theta"
        low = 0.0
        high = 1.0
        [[targets]]
        metric = "fitted"
        interval = [0.0, 2.0]
        [replications]
        count = 1
        [search]
        trials = 2
        """,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", ExperimentWarning)
        result = run_calibration(path, tmp_path / "out", workers=1)
    assert result.fit["reached"].to_list() == [True]


def test_progress_is_reported_in_lines_when_not_on_a_terminal(write, tmp_path):
    path = write("sobol.toml", SOBOL.format(samples=64).replace("linear-sobol", "lines"))
    proc = run_cli("sensitivity", str(path), "--out", str(tmp_path / "out"), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("lines: ")]
    assert len(lines) == 10, proc.stderr
    assert lines[-1].startswith("lines: 256/256 runs (100%)")
    quiet = run_cli(
        "sensitivity", str(path), "--out", str(tmp_path / "q"), "--workers", "1", "--no-progress"
    )
    assert "runs (" not in quiet.stderr
