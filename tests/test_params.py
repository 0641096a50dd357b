"""The parameter reference: every scenario key described, and docs/parameters.md up to date."""

from __future__ import annotations

from pathlib import Path

from mdsupport import run_cli
from mutualdep import params, scenario
from mutualdep.engine import PHASES
from mutualdep.scenario import Scenario, Strict

DOC = Path(__file__).parents[1] / "docs" / "parameters.md"


def test_every_key_of_the_schema_has_a_description():
    rows = params.reference()
    assert len(rows) >= 200
    assert [r.key for r in rows if not r.description] == []


def _models(cls: type) -> list[type]:
    return [cls, *(m for sub in cls.__subclasses__() for m in _models(sub))]


def test_every_field_of_every_schema_model_has_a_description():
    """Straight from the models, so a field the reference does not reach is caught too."""
    models = [m for m in _models(Strict) if m.__module__ == scenario.__name__]
    assert len(models) >= 30
    bare = [
        f"{m.__name__}.{name}"
        for m in models
        for name, f in m.model_fields.items()
        if not (f.description or "").strip()
    ]
    assert bare == []


# Params blocks that switch no mechanism: which optional tables to write, who the workers are
NOT_SWITCHES = {"OutputParams", "PopulationParams"}


def test_every_params_block_has_an_enabled_switch():
    """Every new parameter is switchable: each *Params block of the schema (a mechanism's, or
    one nested in it) has a boolean ``enabled``, and each phase of the engine has one."""
    blocks = {
        name: cls
        for name, cls in vars(scenario).items()
        if name.endswith("Params") and isinstance(cls, type) and issubclass(cls, Strict)
    }
    assert len(blocks) >= 16 and NOT_SWITCHES <= set(blocks)
    unswitched = [
        name
        for name, cls in blocks.items()
        if name not in NOT_SWITCHES
        and (
            "enabled" not in cls.model_fields or cls.model_fields["enabled"].annotation is not bool
        )
    ]
    assert unswitched == []
    for phase in PHASES:
        block = Scenario.model_fields[phase.name].annotation
        assert block.__name__ in blocks and block.__name__ not in NOT_SWITCHES, phase.name


def test_ranges_and_defaults_come_from_the_schema():
    by_key = {r.key: r for r in params.reference()}
    assert by_key["collective_action.strike_fund"].range == "0 to 1"
    assert by_key["collective_action.strike_fund"].default == "0.0"
    assert by_key["collective_action.risk_mean"].range == "> 0"
    assert by_key["towns[].name"].default == "required"
    assert by_key["industries.<name>.shops[].share"].range == "> 0"
    assert "kuzbass-1989" in by_key["collective_action.belief"].set_by


def test_a_nested_tables_defaults_are_its_enclosing_fields():
    """market.shadow is a MarketChannel, whose own defaults are 0; the schema gives the shadow
    economy scope 0.1 at premium 2.0, and that is what a scenario without the key gets."""
    by_key = {r.key: r for r in params.reference()}
    market = scenario.MarketParams()
    for channel in ("cooperatives", "shadow", "private_plots"):
        for key in ("scope", "premium"):
            value = getattr(getattr(market, channel), key)
            assert by_key[f"market.{channel}.{key}"].default == f"{value}"
    assert by_key["market.shadow.scope"].default == "0.1"
    assert by_key["market.cooperatives.housing_years"].default == "8.0"


def test_the_docs_page_is_the_generated_reference():
    assert DOC.read_text() == params.markdown(params.reference()), (
        "docs/parameters.md is stale: mutualdep params --markdown > docs/parameters.md"
    )


def test_params_command_shows_a_section_and_rejects_an_unknown_one():
    ok = run_cli("params", "state")
    assert ok.returncode == 0, ok.stderr
    assert "state.truce_days" in ok.stdout and "collective_action" not in ok.stdout
    bad = run_cli("params", "nope")
    assert bad.returncode == 2
    assert "params 'nope'" in bad.stderr and "Traceback" not in bad.stderr
