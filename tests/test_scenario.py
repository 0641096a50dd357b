"""Scenario loading: built-ins, ``extends`` (tables merge, arrays replace), cycles, overrides
and ``--set`` parsing of TOML literals, and validation messages."""

from __future__ import annotations

import datetime as dt
import json
import math
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mutualdep
from mdsupport import scenario_of, tiny_data
from mutualdep.errors import InputError
from mutualdep.scenario import apply_overrides, builtin_names, deep_merge, parse_set, parse_value

PARENT = """\
name = "parent"
description = "the parent"
start = 1989-07-01
end = 1989-07-31

[[occupations]]
name = "miner"
base_wage = 400

[industries.coal]
output_per_worker_year = 600
price_to_cost = 0.5
team_trust = 0.8

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
name = "mine A"
industry = "coal"
town = "T1"
workers = 50

[[enterprises]]
name = "mine B"
industry = "coal"
town = "T1"
workers = 60

[collective_action]
win_value = 1234.0
strike_fund = 0.1
"""


@pytest.fixture
def parent(tmp_path: Path) -> Path:
    path = tmp_path / "parent.toml"
    path.write_text(PARENT)
    return path


def test_every_builtin_loads_and_validates():
    names = builtin_names()
    assert {"granovetter", "small-town", "kuzbass-1989"} <= set(names)
    for name in names:
        sc = mutualdep.load_scenario(name)
        assert sc.total_workers() > 0
        assert sc.end >= sc.start


def test_extends_merges_tables_and_replaces_arrays(tmp_path, parent):
    child = tmp_path / "child.toml"
    child.write_text(
        'name = "child"\nextends = "parent.toml"\n\n'
        "[industries.coal]\nprice_to_cost = 0.7\n\n"
        "[collective_action]\nstrike_fund = 0.3\n\n"
        '[[enterprises]]\nname = "mine C"\nindustry = "coal"\ntown = "T1"\nworkers = 70\n'
    )
    sc = mutualdep.load_scenario(child)
    assert sc.name == "child" and sc.extends == "parent.toml"
    assert sc.description == "the parent"  # untouched keys come from the parent
    # tables merge key by key, at any depth
    assert sc.collective_action.strike_fund == 0.3
    assert sc.collective_action.win_value == 1234.0
    assert sc.industries["coal"].price_to_cost == 0.7
    assert sc.industries["coal"].team_trust == 0.8
    assert [s.kind for s in sc.industries["coal"].shops] == ["face"]
    # arrays of tables are replaced whole
    assert sc.enterprise_names() == ["mine C"]
    assert [t.name for t in sc.towns] == ["T1"]


def test_extends_a_builtin_through_a_chain(tmp_path):
    child = tmp_path / "child.toml"
    child.write_text(
        'name = "smaller-town"\nextends = "small-town"\n\n[collective_action]\nstrike_fund = 0.2\n'
    )
    sc = mutualdep.load_scenario(child)
    base = mutualdep.load_scenario("small-town")
    assert sc.enterprise_names() == base.enterprise_names()
    assert sc.collective_action.strike_fund == 0.2
    # small-town itself extends kuzbass-1989 and keeps its occupations and industries
    assert sc.industries == base.industries
    assert sc.collective_action.spark_rate == base.collective_action.spark_rate


def test_extends_is_relative_to_the_file(tmp_path, parent, monkeypatch):
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "child.toml").write_text('name = "child"\nextends = "../parent.toml"\n')
    monkeypatch.chdir(sub.parent.parent)
    assert mutualdep.load_scenario(sub / "child.toml").enterprise_names() == ["mine A", "mine B"]


def test_extends_cycle_is_detected(tmp_path):
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n' + PARENT)
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n' + PARENT)
    with pytest.raises(InputError, match=r"extends.*cycle"):
        mutualdep.load_scenario(tmp_path / "a.toml")
    (tmp_path / "self.toml").write_text('extends = "self.toml"\n' + PARENT)
    with pytest.raises(InputError, match="cycle"):
        mutualdep.load_scenario(tmp_path / "self.toml")


def test_extends_must_name_something(tmp_path):
    (tmp_path / "bad.toml").write_text("extends = 3\n" + PARENT)
    with pytest.raises(InputError, match=r"bad\.toml.*'extends'.*expected"):
        mutualdep.load_scenario(tmp_path / "bad.toml")


def test_deep_merge_does_not_touch_its_inputs():
    base = {"a": {"b": 1, "c": [1, 2]}, "d": 1}
    over = {"a": {"c": [3]}, "e": 2}
    merged = deep_merge(base, over)
    assert merged == {"a": {"b": 1, "c": [3]}, "d": 1, "e": 2}
    assert base == {"a": {"b": 1, "c": [1, 2]}, "d": 1}


def test_overrides_set_dotted_keys_and_array_items():
    data = tiny_data()
    out = apply_overrides(
        data,
        {
            "collective_action.strike_fund": 0.2,
            "enterprises.0.workers": 77,
            "industries.coal.shops.1.share": 0.5,
        },
    )
    sc = scenario_of(out)
    assert sc.collective_action.strike_fund == 0.2
    assert sc.enterprises[0].workers == 77
    assert sc.industries["coal"].shops[1].share == 0.5
    # the input dict is not changed
    assert "collective_action" not in data and data["enterprises"][0]["workers"] == 40


def test_load_scenario_with_overrides():
    sc = mutualdep.load_scenario(
        "small-town", {"collective_action.strike_fund": 0.2, "end": dt.date(1989, 8, 1)}
    )
    assert sc.collective_action.strike_fund == 0.2 and sc.end == dt.date(1989, 8, 1)


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        (
            {"enterprises.9.workers": 1},
            r"--set: key 'enterprises\.9\.workers': expected an index below",
        ),
        ({"enterprises.x.workers": 1}, r"expected an index below"),
        ({"start.day": 1}, r"'start' is a value, not a table"),
    ],
)
def test_bad_overrides(overrides, match):
    with pytest.raises(InputError, match=match):
        apply_overrides(tiny_data(), overrides)


def test_parse_set_items():
    out = parse_set(
        [
            "a.b=1",
            "c = 0.25",
            "d=true",
            "e=1989-07-10",
            'f="two words"',
            "g=bare",
            "h=[1, 2]",
            "i={ x = 1 }",
            "j=a=b",
        ]
    )
    assert out == {
        "a.b": 1,
        "c": 0.25,
        "d": True,
        "e": dt.date(1989, 7, 10),
        "f": "two words",
        "g": "bare",
        "h": [1, 2],
        "i": {"x": 1},
        "j": "a=b",
    }
    assert type(out["a.b"]) is int and type(out["c"]) is float


@pytest.mark.parametrize("item", ["novalue", "=1", " =1", ""])
def test_parse_set_rejects_items_without_key_or_value(item):
    with pytest.raises(InputError, match="expected KEY=VALUE"):
        parse_set([item])


def toml_string(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


_toml_text = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x7f"), max_size=30
)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.integers(min_value=-(2**63), max_value=2**63 - 1),
        st.floats(allow_nan=False, allow_infinity=True),
        st.booleans(),
        st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
        _toml_text,
    )
)
def test_parse_value_round_trips_toml_literals(value):
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = {math.inf: "inf", -math.inf: "-inf"}.get(value, repr(value))
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, str):
        text = toml_string(value)
    else:
        text = str(value)
    parsed = parse_value(text)
    assert type(parsed) is type(value)
    assert parsed == value
    assert parse_set([f"k={text}"]) == {"k": value}


@settings(max_examples=100, deadline=None)
@given(st.from_regex(r"[A-Za-z][A-Za-z_\-]{0,20}", fullmatch=True))
def test_bare_words_are_strings(word):
    try:
        expected = tomllib.loads(f"v = {word}")["v"]  # true, false, inf, nan are TOML literals
    except tomllib.TOMLDecodeError:
        expected = word
    parsed = parse_value(word)
    if isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(parsed)
    else:
        assert parsed == expected


# ---------------------------------------------------------------- validation messages


@pytest.mark.parametrize(
    ("edit", "key", "expect"),
    [
        (
            lambda d: d["enterprises"][0].update(workers=-5),
            "enterprises[0].workers",
            "greater than 0",
        ),
        (
            lambda d: d["enterprises"][0].update(workers="many"),
            "enterprises[0].workers",
            "expected a number",
        ),
        (
            lambda d: d["enterprises"][0].update(workers="50"),
            "enterprises[0].workers",
            "not a string",
        ),
        (
            lambda d: d["enterprises"][0].update(workers=True),
            "enterprises[0].workers",
            "not a boolean",
        ),
        (lambda d: d["enterprises"][0].update(workers=2.5), "enterprises[0].workers", "integer"),
        (lambda d: d.setdefault("spread", {}).update(town=False), "spread.town", "not a boolean"),
        (
            lambda d: d.setdefault("collective_action", {}).update(thresholds=[0, True]),
            "collective_action.thresholds",
            "not a boolean",
        ),
        (
            lambda d: d["enterprises"][0].update(town="Nowhere"),
            "enterprises[0].town",
            "expected the name of a town",
        ),
        (
            lambda d: d["enterprises"][0].update(industry="gold"),
            "enterprises[0].industry",
            "an industry",
        ),
        (lambda d: d.update(end=dt.date(1980, 1, 1)), "end", "on or after start"),
        (lambda d: d.update(colour="red"), "colour", "unknown key"),
        (
            lambda d: d.setdefault("distribution", {}).update(leakage=1.5),
            "distribution.leakage",
            "less than or equal",
        ),
        (
            lambda d: d.update(sparks=[{"date": dt.date(1989, 7, 2), "enterprise": "pit"}]),
            "sparks[0].enterprise",
            "an enterprise",
        ),
        (
            lambda d: d.update(
                sparks=[{"date": dt.date(1989, 7, 2), "enterprise": "mine", "shop": "roof"}]
            ),
            "sparks[0].shop",
            "a shop kind",
        ),
        (
            lambda d: d["industries"]["steel"].update(input_industry="oil"),
            "industries.steel.input_industry",
            "an industry",
        ),
        (
            lambda d: d.update(
                reforms={
                    "timeline": [
                        {"date": dt.date(1989, 8, 1), "kind": "openness", "enterprise": "pit"}
                    ]
                }
            ),
            "reforms.timeline[0].enterprise",
            "an enterprise",
        ),
        (
            lambda d: d.update(collective_action={"thresholds": [1, 2, 3]}),
            "collective_action.thresholds",
            "one threshold per worker",
        ),
        (
            lambda d: d.update(spread={"links": [{"a": "T1", "b": "T9"}]}),
            "spread.links[0].b",
            "a town",
        ),
    ],
)
def test_validation_names_source_key_and_expectation(edit, key, expect):
    data = tiny_data()
    edit(data)
    with pytest.raises(InputError) as info:
        scenario_of(data)
    message = str(info.value)
    assert message.startswith("test: ")
    assert f"'{key}'" in message
    assert expect in message


def test_malformed_and_unreadable_files(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("name = [\n")
    with pytest.raises(InputError, match=r"bad\.toml: malformed TOML"):
        mutualdep.load_scenario(bad)
    with pytest.raises(InputError, match="not a built-in scenario nor an existing file"):
        mutualdep.load_scenario(tmp_path / "missing.toml")
