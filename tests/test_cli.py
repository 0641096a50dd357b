"""The real command line (``python -m mutualdep``): every kind of bad input exits 2 with one clear
message naming the file, the key and what was expected, no traceback, and no output left
behind; the good paths write the contract's tables, run.json and a plot."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import polars as pl
import pytest

from mdsupport import run_cli
from mutualdep.scenario import builtin_names, builtin_summary

TINY_TOML = """\
name = "tiny-cli"
description = "a tiny world for the CLI tests"
start = 1989-07-01
end = 1989-07-20

[[occupations]]
name = "miner"
base_wage = 400

[industries.coal]
output_per_worker_year = 600

[[industries.coal.shops]]
kind = "face"
share = 1.0
occupations = { miner = 1.0 }

[[regions]]
name = "R1"

[[towns]]
name = "T1"
region = "R1"

[[enterprises]]
name = "mine"
industry = "coal"
town = "T1"
workers = 50

[[sparks]]
date = 1989-07-05
enterprise = "mine"
"""


def edit(old: str, new: str) -> str:
    assert old in TINY_TOML, old
    return TINY_TOML.replace(old, new)


# (case id, file text or None for no file, extra CLI args, strings the message must contain)
FILE_CASES = [
    ("malformed-toml", TINY_TOML + "\n[broken\n", [], ["malformed TOML"]),
    (
        "unknown-key",
        TINY_TOML + "\n[collective_action]\nstrike_fnd = 0.2\n",
        [],
        ["collective_action.strike_fnd", "unknown key"],
    ),
    ("unknown-top-key", "colour = 'red'\n" + TINY_TOML, [], ["colour", "unknown key"]),
    (
        "wrong-type",
        edit("workers = 50", 'workers = "many"'),
        [],
        ["enterprises[0].workers", "expected a number, not a string"],
    ),
    (
        "boolean-for-number",
        edit("workers = 50", "workers = true"),
        [],
        ["enterprises[0].workers", "expected a number, not a boolean", "got true"],
    ),
    (
        "quoted-number",
        TINY_TOML + '\n[distribution]\nleakage = "0.5"\n',
        [],
        ["distribution.leakage", "expected a number, not a string"],
    ),
    (
        "negative-workers",
        edit("workers = 50", "workers = -5"),
        [],
        ["enterprises[0].workers", "greater than 0"],
    ),
    (
        "share-above-one",
        TINY_TOML + "\n[distribution]\nleakage = 1.5\n",
        [],
        ["distribution.leakage", "less than or equal to 1"],
    ),
    (
        "set-share-above-one",
        TINY_TOML,
        ["--set", "state.openness=1.2"],
        ["state.openness", "less than or equal to 1"],
    ),
    (
        "end-before-start",
        edit("end = 1989-07-20", "end = 1989-06-01"),
        [],
        ["'end'", "expected a date on or after"],
    ),
    (
        "missing-town",
        edit('town = "T1"', 'town = "Nowhere"'),
        [],
        ["enterprises[0].town", "expected the name of a town", "Nowhere"],
    ),
    (
        "missing-region",
        edit('region = "R1"', 'region = "R9"'),
        [],
        ["towns[0].region", "expected", "R9"],
    ),
    (
        "missing-industry",
        edit('industry = "coal"', 'industry = "gold"'),
        [],
        ["enterprises[0].industry", "expected the name of an industry", "gold"],
    ),
    (
        "missing-enterprise",
        edit('enterprise = "mine"', 'enterprise = "pit"'),
        [],
        ["sparks[0].enterprise", "expected the name of an enterprise", "pit"],
    ),
    (
        "missing-occupation",
        edit("occupations = { miner = 1.0 }", "occupations = { digger = 1.0 }"),
        [],
        ["industries.coal.shops[0].occupations", "expected the name of an occupation"],
    ),
    ("missing-required", edit("start = 1989-07-01\n", ""), [], ["'start'", "required"]),
    (
        "bad-enum",
        TINY_TOML + "\n[distribution]\nrule = 'lottery'\n",
        [],
        ["distribution.rule", "privileged"],
    ),
    (
        "thresholds-length",
        TINY_TOML + "\n[collective_action]\nthresholds = [0, 1]\n",
        [],
        ["collective_action.thresholds", "expected one threshold per worker (50)"],
    ),
    (
        "duplicate-town",
        TINY_TOML + '\n[[towns]]\nname = "T1"\nregion = "R1"\n',
        [],
        ["'towns'", "unique"],
    ),
    (
        "extends-missing",
        'extends = "no-such-parent"\n' + TINY_TOML,
        [],
        ["'extends'", "no-such-parent"],
    ),
    (
        "set-no-equals",
        TINY_TOML,
        ["--set", "collective_action.strike_fund"],
        ["--set", "expected KEY=VALUE"],
    ),
    (
        "set-unknown-key",
        TINY_TOML,
        ["--set", "collective_action.strike_fnd=0.2"],
        ["collective_action.strike_fnd", "unknown key"],
    ),
    (
        "set-out-of-range",
        TINY_TOML,
        ["--set", "collective_action.strike_fund=2"],
        ["collective_action.strike_fund", "less than or equal to 1"],
    ),
    (
        "set-wrong-type",
        TINY_TOML,
        ["--set", 'enterprises.0.workers="many"'],
        ["enterprises[0].workers", "expected a number"],
    ),
    (
        "set-wrong-type-name",
        TINY_TOML,
        ["--set", "enterprises.0.town=5"],
        ["enterprises[0].town", "string"],
    ),
    ("set-bad-date", TINY_TOML, ["--set", "end=1989-02-30"], ["'end'", "date"]),
    (
        "set-bad-index",
        TINY_TOML,
        ["--set", "enterprises.5.workers=10"],
        ["--set", "enterprises.5.workers", "index below 1"],
    ),
    ("set-into-value", TINY_TOML, ["--set", "start.day=3"], ["--set", "start.day", "not a table"]),
    (
        "until-not-a-date",
        TINY_TOML,
        ["--until", "1989-13-01"],
        ["--until", "YYYY-MM-DD", "1989-13-01"],
    ),
    (
        "until-before-start",
        TINY_TOML,
        ["--until", "1980-01-01"],
        ["--until", "on or after the start"],
    ),
]


def assert_clean_failure(proc, tmp_path: Path, must: list[str], file: Path | None) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    message = lines[0]
    assert message.startswith("error: ")
    for text in must:
        assert text in message, f"{text!r} not in {message!r}"
    if file is not None and not must[0].startswith(
        "--"
    ):  # --set and --until errors name the option
        assert str(file) in message, f"the message does not name the file: {message!r}"
    # nothing written: no output folder, no partial folder, no default runs/ folder
    assert not (tmp_path / "out").exists()
    leftovers = [
        p.name
        for p in tmp_path.iterdir()
        if p.name not in {"scenario.toml", "parent.toml", "a.toml", "b.toml"}
    ]
    assert leftovers == [], leftovers


@pytest.mark.parametrize(
    ("text", "args", "must"), [c[1:] for c in FILE_CASES], ids=[c[0] for c in FILE_CASES]
)
def test_bad_input_exits_2_with_one_clear_message(tmp_path, text, args, must):
    path = tmp_path / "scenario.toml"
    path.write_text(text)
    proc = run_cli("run", str(path), "--quiet", "--out", str(tmp_path / "out"), *args, cwd=tmp_path)
    assert_clean_failure(proc, tmp_path, must, path)


@pytest.mark.parametrize(
    ("args", "must"),
    [
        (
            ["run", "no-such-scenario"],
            ["no-such-scenario", "not a built-in scenario", "small-town"],
        ),
        (["run", "small-town", "--set", "=3"], ["--set", "expected KEY=VALUE"]),
        (
            ["run", "small-town", "--set", 'enterprises.0.town="Nowhere"'],
            ["small-town", "enterprises[0].town", "expected the name of a town in [[towns]]"],
        ),
        (
            ["validate", "no-such-file.toml"],
            ["no-such-file.toml", "not a built-in scenario nor an existing file"],
        ),
    ],
)
def test_bad_builtin_input_exits_2(tmp_path, args, must):
    proc = (
        run_cli(*args, "--out", str(tmp_path / "out"), cwd=tmp_path)
        if args[0] == "run"
        else run_cli(*args, cwd=tmp_path)
    )
    assert_clean_failure(proc, tmp_path, must, None)


def test_extends_cycle_is_bad_input(tmp_path):
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n' + TINY_TOML)
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n' + TINY_TOML)
    proc = run_cli("validate", str(tmp_path / "a.toml"), cwd=tmp_path)
    assert_clean_failure(proc, tmp_path, ["'extends'", "cycle"], None)


def test_validate_ok_and_failing(tmp_path):
    path = tmp_path / "scenario.toml"
    path.write_text(TINY_TOML)
    ok = run_cli("validate", str(path), cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "ok" in ok.stdout and "1 enterprises" in ok.stdout and "50 workers" in ok.stdout
    assert list(tmp_path.iterdir()) == [path]  # validating writes nothing
    ok = run_cli(
        "validate", "small-town", "--set", "collective_action.strike_fund=0.2", cwd=tmp_path
    )
    assert ok.returncode == 0 and "small-town: ok" in ok.stdout
    path.write_text(edit("workers = 50", "workers = 0"))
    bad = run_cli("validate", str(path), cwd=tmp_path)
    assert_clean_failure(bad, tmp_path, ["enterprises[0].workers", str(path)], path)


def test_scenarios_lists_every_builtin_on_one_line():
    proc = run_cli("scenarios")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    for name in builtin_names():
        mine = [ln for ln in lines if ln.split() and ln.split()[0] == name]
        assert len(mine) == 1, (name, proc.stdout)
        assert len(mine[0].split()) > 1, f"{name} has no description"
    assert {"granovetter", "small-town", "kuzbass-1989"} <= set(builtin_names())
    # descriptions are shown as written, brackets included
    assert "thresholds[i]" in proc.stdout
    # a long description is cut between words, never inside one
    words = {w for _, text in builtin_summary() for w in text.split()}
    for line in lines[1:]:
        shown = line.split()[1:]
        if shown[-1] == "...":
            assert shown[-2] in words, line


def test_scenarios_fit_a_narrow_terminal(tmp_path):
    proc = run_cli("scenarios", cwd=tmp_path, columns=70)
    assert proc.returncode == 0, proc.stderr
    assert max(len(line) for line in proc.stdout.splitlines()) <= 70
    assert proc.stdout.count("...") >= 5


CONTRACT = {
    "enterprises": {"enterprise", "name", "industry", "town", "region", "workers_start"},
    "enterprise_days": {
        "date",
        "enterprise",
        "workers",
        "striking",
        "quits",
        "hires",
        "fired",
        "plan_fulfilment",
        "wage_mean",
        "inkind_mean",
        "grievance_mean",
        "dependence_mean",
    },
    "events": {"date", "kind", "enterprise", "shop", "detail"},
}


def test_run_small_town_writes_the_contract_tables_run_json_and_plot(tmp_path):
    out, png = tmp_path / "out", tmp_path / "fig" / "P.png"
    proc = run_cli(
        "run", "small-town", "--seed", "3", "--out", str(out), "--plot", str(png), cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    for table, columns in CONTRACT.items():
        frame = pl.read_parquet(out / f"{table}.parquet")
        assert columns <= set(frame.columns), (table, columns - set(frame.columns))
    ent = pl.read_parquet(out / "enterprises.parquet")
    days = pl.read_parquet(out / "enterprise_days.parquet")
    assert ent.height == 6 and ent["workers_start"].sum() == 10_000
    assert days.height == 6 * 365
    assert days["date"].dtype == pl.Date and days["date"].min().isoformat() == "1989-01-01"
    assert days["striking"].max() > 0
    events = pl.read_parquet(out / "events.parquet")
    assert "spark" in events["kind"].to_list()
    info = json.loads((out / "run.json").read_text())
    assert info["seed"] == 3
    assert info["scenario"]["name"] == "small-town" and info["scenario"]["enterprises"]
    assert info["start"] == "1989-01-01" and info["end"] == "1989-12-31"
    assert info["version"] and info["wall_seconds"] >= 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # nothing else left next to the output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig", "out"]


def test_run_with_set_and_until(tmp_path):
    path = tmp_path / "scenario.toml"
    path.write_text(TINY_TOML)
    proc = run_cli(
        "run",
        str(path),
        "--quiet",
        "--seed",
        "1",
        "--until",
        "1989-07-10",
        "--set",
        "collective_action.strike_fund=0.25",
        "--out",
        str(tmp_path / "out"),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    days = pl.read_parquet(tmp_path / "out" / "enterprise_days.parquet")
    assert days["date"].max().isoformat() == "1989-07-10" and days.height == 10
    info = json.loads((tmp_path / "out" / "run.json").read_text())
    assert info["scenario"]["collective_action"]["strike_fund"] == 0.25
    assert info["end"] == "1989-07-10"


def test_run_default_folder_is_under_runs(tmp_path):
    path = tmp_path / "scenario.toml"
    path.write_text(textwrap.dedent(TINY_TOML))
    proc = run_cli("run", str(path), "--quiet", "--seed", "4", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "runs" / "tiny-cli-seed4" / "enterprise_days.parquet").exists()


def test_progress_bar_ends_on_the_until_date(tmp_path):
    # the bar updates weekly; 3 February 1989 is not a week's end, and the bar must still show it
    proc = run_cli("run", "small-town", "--until", "1989-02-03", "--out", str(tmp_path / "o"))
    assert proc.returncode == 0, proc.stderr
    bars = [ln for ln in (proc.stdout + proc.stderr).splitlines() if "100%" in ln]
    assert bars and bars[-1].startswith("1989-02-03"), proc.stdout
