"""Sensitivity indices on a toy metric with a known answer.

The toy metric is linear, y = x1 + 2 x2 + 3 x3 with x_i uniform on [0, 1]: its Sobol indices
are S_i = ST_i = a_i^2 / sum(a^2) = 1/14, 4/14, 9/14, and every Morris elementary effect of x_i
is exactly a_i, so mu* = a_i and sigma = 0.
"""

from __future__ import annotations

import numpy as np
import pytest

from mutualdep.errors import InputError
from mutualdep.experiments.sensitivity import run_sensitivity

A = np.array([1.0, 2.0, 3.0])
TOL = 0.03  # Saltelli with N = 256 (1,280 runs): worst error over 20 sampling seeds was 0.009


def _experiment(kind: str, samples: int, extra: str = "") -> str:
    factors = "".join(f'[[factors]]\nkey = "x{i}"\nlow = 0.0\nhigh = 1.0\n' for i in (1, 2, 3))
    return f"""
name = "linear-{kind}"
scenario = "toy"
model = "xp_toys:toy"
{factors}
[design]
kind = "{kind}"
samples = {samples}
seed = 5
{extra}
[outputs]
metrics = ["linear", "draw"]
"""


def test_sobol_indices_of_a_linear_function(write, tmp_path, cli):
    path = write("sobol.toml", _experiment("sobol", 256))
    result = cli(
        "sensitivity",
        str(path),
        "--out",
        str(tmp_path / "out"),
        "--metric",
        "linear",
        "--no-progress",
    )
    assert result.exit_code == 0, result.output
    from mutualdep.experiments.catalog import Catalog

    table = Catalog.open(tmp_path / "out").query("SELECT * FROM sensitivity ORDER BY factor")
    assert table["factor"].to_list() == ["x1", "x2", "x3"]
    expected = A**2 / np.sum(A**2)
    np.testing.assert_allclose(table["S1"].to_numpy(), expected, atol=TOL)
    np.testing.assert_allclose(table["ST"].to_numpy(), expected, atol=TOL)
    assert (tmp_path / "out" / "sensitivity-linear.png").stat().st_size > 5000
    assert "x3" in result.stdout


def test_morris_effects_of_a_linear_function(write, tmp_path):
    path = write("morris.toml", _experiment("morris", 10, "levels = 4"))
    table = run_sensitivity(path, tmp_path / "out", ["linear", "draw"], workers=1).sort(
        "metric", "factor"
    )
    linear = table.filter(table["metric"] == "linear")
    np.testing.assert_allclose(linear["mu_star"].to_numpy(), A, rtol=1e-9)
    np.testing.assert_allclose(linear["mu"].to_numpy(), A, rtol=1e-9)
    np.testing.assert_allclose(linear["sigma"].to_numpy(), 0, atol=1e-9)
    # "draw" depends on the seed only, and every point has seed 0: no factor has any effect.
    np.testing.assert_allclose(
        table.filter(table["metric"] == "draw")["mu_star"].to_numpy(), 0, atol=1e-12
    )
    for metric in ("linear", "draw"):
        assert (tmp_path / "out" / f"sensitivity-{metric}.png").exists()


def test_needs_a_sobol_or_morris_design(write, tmp_path):
    path = write("lhs.toml", _experiment("lhs", 10))
    with pytest.raises(
        InputError, match="key 'design.kind': sensitivity needs 'sobol' or 'morris', got 'lhs'"
    ):
        run_sensitivity(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_failed_runs_stop_the_analysis_with_exit_1(write, tmp_path, cli):
    text = _experiment("morris", 4).replace(
        '[[factors]]\nkey = "x1"\nlow = 0.0\nhigh = 1.0\n',
        '[[factors]]\nkey = "x1"\nvalues = [0.0, 1.0]\n',
    )
    path = write("fails.toml", text.replace("[design]", "[set]\nfail = 1.0\n[design]"))
    result = cli(
        "sensitivity", str(path), "--out", str(tmp_path / "out"), "--workers", "1", "--no-progress"
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: linear: ") and "lack a value" in result.stderr
    assert "status = 'failed'" in result.stderr
