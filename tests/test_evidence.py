"""The evidence suite: kinds of facts kept apart, verdicts on every seed, runs through the
experiment catalog (so a rerun resumes), and calibrations barred from validation facts.

The statistical claims run the quick subset over seeds 1 and 2; the judging is also checked on
constructed values where the answer is known exactly.
"""

import json
import math
import textwrap
import tomllib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mdsupport import run_cli
from mutualdep.errors import InputError
from mutualdep.evidence import run_evidence, write_reports
from mutualdep.evidence.facts import FACTS, MECHANISMS, Fact
from mutualdep.evidence.runner import is_bimodal, judge, sarle, select, wilson
from mutualdep.experiments.catalog import Catalog

ROOT = Path(__file__).resolve().parents[1]
BY_NAME = {f.name: f for f in FACTS}


@pytest.fixture(scope="module")
def fast_run(tmp_path_factory):
    runs = tmp_path_factory.mktemp("evidence-runs")
    return runs, run_evidence(reps=2, workers=1, fast=True, progress=False, runs_dir=runs)


def test_fast_subset_covers_the_thesis():
    names = {f.name for f in select(fast=True)}
    assert {
        "thesis.portable_stake_steel_strikes",
        "thesis.steel_package_miners_quiet",
        "steel.no_plantwide_strike",
        "pay.miners_twice_steel",
    } <= names


# Facts the rebuilt decision (issue 10) moved out of their target, with why. The old pass came
# from an input: a flat 100 rubles a month of goods in kind for steel (10 for coal) with no
# source, priced into every decision; built from the world, most steelworkers have little at
# stake and the steel plants strike with the coal wave (docs/strike-sizes.md).
MOVED_BY_THE_DECISION = {
    "steel.no_plantwide_strike": "steel's quiet came from the unsourced goods flow",
}


def test_fast_checks_pass(fast_run):
    """The pay and price checks hold on both seeds."""
    _, results = fast_run
    must = {"pay.miners_twice_steel", "money.coal_price_half_cost"}
    failed = [(r.name, r.values) for r in results if r.name in must and r.inside < 1]
    assert not failed


@pytest.mark.xfail(
    strict=True,
    reason="with the gain won in the own enterprise (kuzbass-1989 as refitted on 2 December "
    "2026) a steelworker can hope for nothing from the miners' win, whatever he has at stake: "
    "with the stake portable steel's peak stays 0.00 in 20 of 20 seeds (docs/evidence.md)",
)
def test_a_portable_stake_makes_the_steel_plants_strike(fast_run):
    _, results = fast_run
    (r,) = [r for r in results if r.name == "thesis.portable_stake_steel_strikes"]
    assert r.inside == 1, r.values


def test_a_steel_package_quiets_the_miners_on_both_seeds(fast_run):
    _, results = fast_run
    (r,) = [r for r in results if r.name == "thesis.steel_package_miners_quiet"]
    assert r.inside == 1, r.values


def test_every_seed_judged(fast_run):
    _, results = fast_run
    for r in results:
        assert len(r.values) == 2 and r.n == sum(math.isfinite(v) for v in r.values)
        inside = sum(r.low <= v <= r.high for v in r.values if math.isfinite(v)) / 2
        assert r.inside == inside and r.passed == (inside >= 0.8)
        assert 0 <= r.inside_low <= r.inside <= r.inside_high <= 1
        if BY_NAME[r.name].share:
            assert 0 <= r.ci_low <= r.ci_high <= 1


def test_rerun_resumes_from_the_catalog(fast_run):
    """The same command on the same folder runs nothing again and judges the same values."""
    runs, results = fast_run
    before = Catalog.open(runs).query("SELECT run_id, finished FROM runs ORDER BY run_id")
    again = run_evidence(reps=2, workers=1, fast=True, progress=False, runs_dir=runs)
    after = Catalog.open(runs).query("SELECT run_id, finished FROM runs ORDER BY run_id")
    assert before.equals(after)
    assert [r.values for r in again] == [r.values for r in results]


def test_another_selection_refuses_the_folder(fast_run):
    runs, _ = fast_run
    with pytest.raises(InputError, match="--runs"):
        run_evidence(reps=2, workers=1, only="money", progress=False, runs_dir=runs)


def test_reports_written_by_kind(fast_run, tmp_path):
    _, results = fast_run
    md, js = write_reports(results, 2, tmp_path)
    data = json.loads(js.read_text())
    assert [f["name"] for f in data["facts"]] == [r.name for r in results]
    for f in data["facts"]:
        assert {"kind", "values", "inside", "bimodal"} <= f.keys()
        assert len(f["values"]) == 2
    text = md.read_text()
    for title in ("## Calibration targets", "## Validation facts", "## Checks"):
        assert title in text
    for r in results:
        assert f"`{r.name}`" in text
    assert not list(tmp_path.glob(".*partial"))


# ------------------------------------------------------------------ the split of the facts


def _calibration_targets() -> dict[str, list[str]]:
    out = {}
    for path in sorted((ROOT / "calibration").glob("*.toml")):
        with open(path, "rb") as f:
            spec = tomllib.load(f)
        out[path.name] = [t["metric"] for t in spec.get("targets", [])]
    return out


def test_no_calibration_file_targets_a_validation_fact():
    targets = _calibration_targets()
    assert targets, "no calibration files found"
    for name, metrics in targets.items():
        for m in metrics:
            if m.startswith("fact:"):
                assert m[5:] in BY_NAME, f"{name}: unknown fact {m}"
                assert BY_NAME[m[5:]].kind == "calibration", f"{name} targets {m}"


def test_at_least_eight_validation_facts_and_every_mechanism_has_one():
    validation = [f for f in FACTS if f.kind == "validation"]
    assert len(validation) >= 8
    # Money's only fact is the coal price, an input passed through: no validation exists yet.
    assert {f.mechanism for f in validation} == set(MECHANISMS) - {"money"}


def test_fact_names_unique_and_targets_ordered():
    names = [f.name for f in FACTS]
    assert len(names) == len(set(names))
    assert all(f.low <= f.high for f in FACTS)


def test_calibrate_refuses_a_validation_target(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        textwrap.dedent(
            """\
            name = "bad"
            scenario = "kuzbass-1989"
            [[parameters]]
            key = "spread.communication"
            low = 0.1
            high = 0.9
            [[targets]]
            metric = "fact:steel.no_plantwide_strike"
            interval = [0.0, 0.05]
            [replications]
            count = 1
            [search]
            trials = 2
            """
        )
    )
    done = run_cli("calibrate", str(path), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "steel.no_plantwide_strike" in done.stderr and "validation fact" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ judging, exactly


def _fact(low=0.0, high=1.0, share=False) -> Fact:
    return Fact(
        "t.x",
        "claim",
        "small-town",
        lambda r: 0.0,
        low,
        high,
        "source",
        kind="validation",
        mechanism="spread",
        share=share,
    )


def test_pass_needs_four_fifths_of_seeds_inside():
    # The mean (0.5) is inside, but only 3 of 5 seeds: it fails.
    r = judge(_fact(0.4, 0.6), [0.5, 0.5, 0.5, 0.0, 1.0])
    assert r.mean == pytest.approx(0.5) and r.inside == pytest.approx(0.6) and not r.passed
    assert judge(_fact(0.4, 0.6), [0.5, 0.5, 0.5, 0.5, 1.0]).passed


def test_unmeasured_seed_counts_as_outside():
    r = judge(_fact(), [0.5, math.nan])
    assert r.inside == 0.5 and r.n == 1 and not r.passed


def test_share_interval_clipped():
    r = judge(_fact(share=True), [0.0, 0.0, 1.0])
    assert r.ci_low == 0.0 and r.ci_high == 1.0
    unclipped = judge(_fact(share=False), [0.0, 0.0, 1.0])
    assert unclipped.ci_low < 0 and unclipped.ci_high > 1


def test_bimodal_flag():
    assert is_bimodal(np.array([0.1, 0.12, 0.15, 0.11, 0.45, 0.5, 0.48]))
    assert not is_bimodal(np.linspace(0, 1, 20))
    assert not is_bimodal(np.array([0.1, 0.1, 0.1, 0.1, 0.9]))  # one outlier is not a mode
    # Sarle's coefficient of two equal point masses is 1 in the limit; of a normal sample, ~1/3.
    assert sarle(np.array([0.0] * 50 + [1.0] * 50)) > 0.9
    assert sarle(np.random.default_rng(0).standard_normal(2000)) == pytest.approx(1 / 3, abs=0.03)


@given(st.integers(0, 200), st.integers(1, 200))
def test_wilson_inside_unit_interval(k, n):
    k = min(k, n)
    lo, hi = wilson(k, n)
    assert 0 <= lo <= k / n + 1e-12 and k / n - 1e-12 <= hi <= 1


@given(st.lists(st.floats(0, 1), min_size=1, max_size=30))
def test_share_facts_stay_in_unit_interval(values):
    r = judge(_fact(share=True), values)
    assert 0 <= r.ci_low <= r.mean + 1e-12 and r.mean - 1e-12 <= r.ci_high <= 1 or r.n == 1


def test_the_thesis_script_refuses_a_folder_it_did_not_write_with_one_line(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("a user's file")
    proc = run_cli(
        "--runs",
        str(tmp_path / "mine"),
        "--out",
        str(tmp_path / "out.md"),
        module="mutualdep.evidence.thesis",
        timeout=300,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
    assert "notes.txt" in proc.stderr
    assert not (tmp_path / "out.md").exists()
    assert (tmp_path / "mine" / "notes.txt").read_text() == "a user's file"
