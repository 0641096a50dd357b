"""Experiment files are validated before anything
runs: clear errors, exit code 2, nothing written."""

from __future__ import annotations

import pytest

from mutualdep.errors import InputError
from mutualdep.experiments.spec import Calibration, Experiment, load
from mutualdep.experiments.sweep import run_sweep

GOOD = """
name = "ok"
scenario = "small-town"
until = 1989-02-01
[set]
collective_action.belief = 0.5
[[factors]]
key = "collective_action.strike_fund"
values = [0.0, 0.2]
[replications]
count = 2
[outputs]
metrics = ["peak_share_striking:coal"]
"""


def test_good_file_loads_and_nested_set_becomes_dotted(write):
    exp = load(write("ok.toml", GOOD), Experiment)
    assert exp.fixed == {"collective_action.belief": 0.5}
    assert exp.replications.seed_list() == [0, 1]
    assert str(exp.until) == "1989-02-01"


@pytest.mark.parametrize(
    ("change", "key", "expected"),
    [
        (
            ("[outputs]", "[outputs]\nmetric = 1"),
            "outputs.metric",
            "unknown key (expected one of: metrics, tables)",
        ),
        (("count = 2", "count = 2\nseeds = [1]"), "replications", "either count or seeds"),
        (("values = [0.0, 0.2]", "low = 0.3\nhigh = 0.1"), "factors[0]", "low < high"),
        (("values = [0.0, 0.2]", "low = 0.0\nhigh = 0.1"), "<top>", "needs steps"),
        (("values = [0.0, 0.2]", 'values = [0.0, "x"]'), "factors[0]", "one type"),
        (
            ("[replications]", '[design]\nkind = "grid"\n[replications]'),
            "design.kind",
            "'factorial', 'lhs', 'sobol' or 'morris'",
        ),
        (
            ("[replications]", '[design]\nkind = "sobol"\nsamples = 100\n[replications]'),
            "design",
            "power of two",
        ),
        (('scenario = "small-town"\n', ""), "scenario", "required key is missing"),
    ],
)
def test_bad_file_names_file_key_and_expectation(write, change, key, expected):
    path = write("bad.toml", GOOD.replace(*change))
    with pytest.raises(InputError) as info:
        load(path, Experiment)
    message = str(info.value)
    assert message.startswith(f"{path}: key '{key}':"), message
    assert expected in message


def test_malformed_toml(write):
    with pytest.raises(InputError, match=r"bad\.toml: malformed TOML"):
        load(write("bad.toml", "name = "), Experiment)


def test_calibration_rejects_array_item_keys(write):
    path = write(
        "cal.toml",
        """
        name = "c"
        scenario = "small-town"
        [[parameters]]
        key = "enterprises.0.workers"
        low = 100
        high = 200
        [[targets]]
        metric = "quits_per_1000"
        value = 50
        [search]
        trials = 2
        """,
    )
    with pytest.raises(InputError, match="array items"):
        load(path, Calibration)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('"peak_share_striking:coal"', '"peak_strikers"'),
            "key 'outputs.metrics': unknown metric 'peak_strikers'",
        ),
        (
            ('"peak_share_striking:coal"', '"mean_wait_years"'),
            "expected the form mean_wait_years:<list>",
        ),
        (
            (
                'metrics = ["peak_share_striking:coal"]',
                'metrics = ["quits_per_1000"]\ntables = ["daily"]',
            ),
            "key 'outputs.tables'",
        ),
        (("values = [0.0, 0.2]", "values = [0.0, 2.0]"), "design point 1"),
        (
            ('key = "collective_action.strike_fund"', 'key = "collective_action.strike_fun"'),
            "collective_action.strike_fun",
        ),
    ],
)
def test_bad_experiment_writes_nothing(write, tmp_path, change, expected):
    """Names and every design point's scenario are checked before the folder appears."""
    path = write("bad.toml", GOOD.replace(*change))
    out = tmp_path / "out"
    with pytest.raises(InputError, match="bad.toml") as info:
        run_sweep(path, out, workers=1)
    assert expected in str(info.value)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.toml"]


def test_cli_input_error_is_one_line_exit_2(write, tmp_path, cli):
    path = write("bad.toml", GOOD.replace("[outputs]", "[outputs]\nmetric = 1"))
    result = cli("sweep", str(path), "--out", str(tmp_path / "out"), "--no-progress")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {path}: key 'outputs.metric': unknown key (expected one of: metrics, tables)"
    ]
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_cli_query_bad_sql_exit_2(write, tmp_path, cli):
    path = write(
        "e.toml",
        GOOD.replace('scenario = "small-town"', 'scenario = "s"\nmodel = "xp_toys:toy"')
        .replace("collective_action.belief = 0.5", "x2 = 0.5")
        .replace("collective_action.strike_fund", "x1")
        .replace('"peak_share_striking:coal"', '"linear"'),
    )
    assert (
        cli(
            "sweep", str(path), "--out", str(tmp_path / "o"), "--workers", "1", "--no-progress"
        ).exit_code
        == 0
    )
    result = cli("query", str(tmp_path / "o"), "SELECT nope FROM runs")
    assert result.exit_code == 2
    assert result.stderr.startswith("error:") and "nope" in result.stderr
    missing = cli("query", str(tmp_path / "nowhere"), "SELECT 1")
    assert missing.exit_code == 2 and "not an experiment folder" in missing.stderr
