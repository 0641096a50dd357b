"""The parameter reference: every scenario key described, and docs/parameters.md up to date."""

from __future__ import annotations

from pathlib import Path

from mdsupport import run_cli
from mutualdep import params

DOC = Path(__file__).parents[1] / "docs" / "parameters.md"


def test_every_key_of_the_schema_has_a_description():
    rows = params.reference()
    assert len(rows) >= 200
    assert [r.key for r in rows if not r.description] == []


def test_ranges_and_defaults_come_from_the_schema():
    by_key = {r.key: r for r in params.reference()}
    assert by_key["collective_action.strike_fund"].range == "0 to 1"
    assert by_key["collective_action.strike_fund"].default == "0.0"
    assert by_key["collective_action.risk_mean"].range == "> 0"
    assert by_key["towns[].name"].default == "required"
    assert by_key["industries.<name>.shops[].share"].range == "> 0"
    assert "kuzbass-1989" in by_key["collective_action.belief"].set_by


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
