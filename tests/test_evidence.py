"""The quick subset of the evidence suite must pass: the thesis and the pay and price facts.

Statistical claims over seeded replications (seeds 1 and 2), judged as the full suite judges
them: the mean over replications lies inside the target interval from the sources.
"""

import json

import pytest

from mutualdep.evidence import run_evidence, write_reports
from mutualdep.evidence.facts import FACTS
from mutualdep.evidence.runner import select


@pytest.fixture(scope="module")
def fast_results():
    return run_evidence(reps=2, workers=1, fast=True, progress=False)


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
# stake and the steel plants strike with the coal wave (docs/strike-sizes.md, the report).
MOVED_BY_THE_DECISION = {
    "steel.no_plantwide_strike": "steel's quiet came from the unsourced goods flow",
}


def test_fast_facts_pass(fast_results):
    failed = {r.name: (r.mean, (r.low, r.high)) for r in fast_results if not r.passed}
    assert set(failed) == set(MOVED_BY_THE_DECISION), failed


def test_every_replication_counted(fast_results):
    assert all(r.n == 2 for r in fast_results)
    assert all(r.ci_low <= r.mean <= r.ci_high for r in fast_results)


def test_reports_written(fast_results, tmp_path):
    md, js = write_reports(fast_results, 2, tmp_path)
    data = json.loads(js.read_text())
    assert [f["name"] for f in data["facts"]] == [r.name for r in fast_results]
    text = md.read_text()
    for r in fast_results:
        assert f"`{r.name}`" in text
    assert not list(tmp_path.glob(".*partial"))


def test_fact_names_unique_and_targets_ordered():
    names = [f.name for f in FACTS]
    assert len(names) == len(set(names))
    assert all(f.low <= f.high for f in FACTS)
