"""The decomposition and robustness analyses build the configurations they claim to: checked
on the scenario values, without running them (their runs are the docs' tables)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mutualdep.evidence import robustness, thesis
from mutualdep.experiments.spec import Experiment, load
from mutualdep.scenario import load_scenario


@pytest.fixture(scope="module")
def configs():
    return {f.name: f for f in thesis.configurations(scale=10)}


def test_every_configuration_is_a_valid_scenario(configs):
    for fact in configs.values():
        load_scenario(fact.scenario, fact.overrides)


def test_alone_is_every_other_channel_off(configs):
    channels = [
        n[7:-4]
        for n in configs
        if n.startswith("steel: ") and n.endswith(" off") and "all" not in n
    ]
    assert set(channels) == {
        "places in line",
        "goods",
        "sanctions",
        "team trust",
        "plant and management size",
        "pay",
    }
    for c in channels:
        others = {}
        for other in channels:
            if other != c:
                others |= configs[f"steel: {other} off"].overrides
        assert configs[f"steel: {c} alone"].overrides == others


def test_channels_give_steel_the_mines_values():
    sc = load_scenario("kuzbass-1989")
    all_off = {f.name: f for f in thesis.configurations(1)}["steel: all off"]
    steel = load_scenario("kuzbass-1989", all_off.overrides)
    coal, s = sc.industries["coal"], steel.industries["steel"]
    assert s.social == coal.social and s.team_trust == coal.team_trust
    assert s.management_capacity == coal.management_capacity
    plants = [e for e in steel.enterprises if e.industry == "steel"]
    assert max(e.workers for e in plants) < 2500  # split into mine-sized units
    # the two plants' workforces survive the split to within rounding
    total = sum(e.workers * e.count for e in plants)
    assert abs(total - 62000) < 100


def test_robustness_space_is_assumptions_only():
    groups = robustness.space(scale=10)
    assert not [k for g in groups.values() for k in g if k.endswith((".workers", ".count"))]
    assert "industries.coal.team_trust" in groups  # tagged assumption
    assert "collective_action.belief" not in groups  # calibrated
    assert "industries.coal.price_to_cost" not in groups  # a source figure
    one = {g: 1.0 for g in groups}
    flat = robustness.overrides(groups, one, set())
    for values in groups.values():
        for key, base in values.items():
            assert flat[key] == pytest.approx(base)


def test_capped_groups_stay_shares():
    groups = {"g": {"industries.coal.team_trust": 0.85}}
    assert robustness.overrides(groups, {"g": 1.5}, {"g"}) == {"industries.coal.team_trust": 1.0}
    assert robustness.overrides(groups, {"g": 1.5}, set())["industries.coal.team_trust"] > 1


@pytest.mark.parametrize("name", ["steel-goods", "steel-town-share"])
def test_the_hinge_sweeps_of_the_docs_load_and_vary_a_real_key(name):
    """docs/hinges/NAME.toml is a valid experiment whose factor is a key of its scenario."""
    exp = load(Path(__file__).parents[1] / "docs" / "hinges" / f"{name}.toml", Experiment)
    for factor in exp.factors:
        for value in factor.values:
            load_scenario(exp.scenario, {factor.key: value})
