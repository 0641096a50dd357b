"""Every input finite and bounded, every bad one a clear InputError naming the file and key:
numbers, dates, texts and lists (one generic validator), ``extends`` targets, file encoding
and nesting, unknown keys with a suggestion, the Python API's seed and until, the memory guard."""

from __future__ import annotations

import copy
import datetime as dt
import math
import os

import pytest

import mutualdep
from fuzzing import PATHS, RAW, _get, _set
from mutualdep.errors import InputError
from mutualdep.guards import as_date, check_memory, check_seed, memory_needed
from mutualdep.scenario import MAX_DEPTH, MAX_FILE_BYTES, load_scenario, validate

NUMBERS = [
    p
    for p in PATHS["small-town"]
    if isinstance(_get(RAW["small-town"], p), int | float)
    and not isinstance(_get(RAW["small-town"], p), bool)
]


def _dotted(path):
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def test_there_are_many_numbers_to_check():
    assert len(NUMBERS) > 100


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan, 1e308, 10**30, -(10**30)])
def test_every_number_refuses_non_finite_and_huge_values(bad):
    for path in NUMBERS:
        data = copy.deepcopy(RAW["small-town"])
        _set(data, path, bad)
        with pytest.raises(InputError) as info:
            validate(data, "s.toml")
        message = str(info.value)
        assert message.startswith("s.toml: key '"), message
        assert _dotted(path).split("[")[0] in message, (path, message)


@pytest.mark.parametrize(
    "key, value, expected",
    [
        ("end", dt.date(9999, 12, 31), "expected a date from 1900-01-01"),
        ("start", dt.date(1, 1, 1), "expected a date from 1900-01-01"),
        ("description", "x" * 20_000, "at most 10,000 characters"),
        ("enterprises", [], "at least one entry"),
        ("occupations", [], "at least one entry"),
    ],
)
def test_dates_texts_and_lists_are_bounded(key, value, expected):
    data = copy.deepcopy(RAW["small-town"])
    data[key] = value
    with pytest.raises(InputError, match=expected):
        validate(data, "s.toml")


def test_forty_thousand_enterprises_validate_and_a_billion_are_refused():
    data = copy.deepcopy(RAW["small-town"])
    data["enterprises"][0]["count"] = 40_000
    assert len(validate(data, "s").enterprise_names()) == 40_000 + len(data["enterprises"]) - 1
    data["enterprises"] = [
        dict(data["enterprises"][0], count=10**7, name=f"e{i}") for i in range(2)
    ]
    with pytest.raises(InputError, match="at most 100,000 enterprises"):
        validate(data, "s")


def test_a_typo_is_reported_first_with_the_right_name():
    data = copy.deepcopy(RAW["small-town"])
    data["enterprises"][0]["wokers"] = data["enterprises"][0].pop("workers")
    with pytest.raises(
        InputError, match=r"enterprises\[0\]\.wokers': unknown key .*did you mean 'workers'"
    ):
        validate(data, "s.toml")
    data = copy.deepcopy(RAW["small-town"])
    data["collective_action"]["strike_fnd"] = 0.3
    with pytest.raises(InputError, match="did you mean 'strike_fund'"):
        validate(data, "s.toml")


def _write(path, text):
    path.write_text(text)
    return path


def test_extends_only_builtins_and_toml_files(tmp_path):
    (tmp_path / "dir.toml").mkdir()
    os.mkfifo(tmp_path / "pipe.toml")
    secret = _write(tmp_path / "secret.txt", 'password = "hunter2"\n')
    big = tmp_path / "big.toml"
    with open(big, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    for target, expected in [
        ("/dev/zero", "expected a built-in scenario or a .toml file"),
        (str(secret), "expected a built-in scenario or a .toml file"),
        ("", "expected a built-in scenario or a .toml file"),
        ("dir.toml", "expected a regular TOML file"),
        ("pipe.toml", "expected a regular TOML file"),
        ("big.toml", f"expected at most {MAX_FILE_BYTES:,} bytes"),
        ("z" * 5000 + ".toml", "no such file"),
    ]:
        s = _write(tmp_path / "s.toml", f'name = "s"\nextends = "{target}"\n')
        with pytest.raises(InputError, match=expected) as info:
            load_scenario(s)
        assert "hunter2" not in str(info.value)


def test_a_cycle_is_named(tmp_path):
    _write(tmp_path / "a.toml", 'name = "a"\nextends = "b.toml"\n')
    _write(tmp_path / "b.toml", 'name = "b"\nextends = "a.toml"\n')
    with pytest.raises(InputError, match=r"expected no cycle, got a.toml -> b.toml -> a.toml"):
        load_scenario(tmp_path / "a.toml")


def test_encoding_and_nesting(tmp_path):
    latin = tmp_path / "l.toml"
    latin.write_bytes(b'name = "Sch\xe4fer"\nextends = "granovetter"\n')
    with pytest.raises(InputError, match="expected UTF-8 text"):
        load_scenario(latin)
    deep = _write(tmp_path / "d.toml", "x = " + "[" * 500 + "]" * 500 + "\n")
    with pytest.raises(InputError, match=f"at most {MAX_DEPTH} levels"):
        load_scenario(deep)
    deep = _write(tmp_path / "d2.toml", "x = " + "[" * 40 + "]" * 40 + "\n")
    with pytest.raises(InputError, match=f"key 'x.*': expected at most {MAX_DEPTH} levels"):
        load_scenario(deep)
    with pytest.raises(InputError, match="levels of nesting"):
        load_scenario("granovetter", mutualdep.scenario.parse_set(["x=" + "[" * 900 + "]" * 900]))


@pytest.mark.parametrize("seed", [1.5, None, "abc", math.nan, True, -1, 2**64])
def test_seed_must_be_a_non_negative_integer(seed):
    with pytest.raises(InputError, match="seed: expected"):
        check_seed(seed)
    with pytest.raises(InputError, match="seed: expected"):
        mutualdep.Simulation(load_scenario("granovetter"), seed)


def test_until_takes_a_date_or_an_iso_string():
    assert as_date("1989-07-10") == dt.date(1989, 7, 10)
    assert as_date(dt.datetime(1989, 7, 10, 12)) == dt.date(1989, 7, 10)
    for bad in ("10/07/1989", 19890710, 1.5):
        with pytest.raises(InputError, match="until: expected a date"):
            as_date(bad)
    r = mutualdep.run(load_scenario("granovetter"), seed=1, until="1989-07-10")
    assert r.info["end"] == "1989-07-10"


def test_memory_guard_refuses_a_world_too_big_and_says_how_to_shrink_it():
    sc = load_scenario(
        "small-town", {"enterprises.0.count": 1000, "enterprises.0.workers": 9_000_000}
    )
    assert memory_needed(sc) > 5e12
    with pytest.raises(InputError, match=r"needs about .* GB .*--set scale=\d+.*--no-memory-check"):
        check_memory(sc)
    check_memory(load_scenario("small-town"))
    smaller = load_scenario("small-town", {"scale": 10})
    assert memory_needed(smaller) < memory_needed(load_scenario("small-town"))


def test_an_unknown_key_with_a_line_break_is_reported_on_one_line():
    data = copy.deepcopy(RAW["small-town"])
    data["towns"][0]["na\nme\x1b"] = 1
    with pytest.raises(InputError) as info:
        validate(data, "s.toml")
    assert "\n" not in str(info.value) and r"'na\nme\x1b'" in str(info.value)


@pytest.mark.parametrize("key", ["start", "end"])
@pytest.mark.parametrize("bad", [0, 19890101, 1.5])
def test_a_date_is_never_read_from_a_number(key, bad):
    """pydantic alone reads 0 as 1970-01-01: a 19-year run from one typo (found by the fuzzer)."""
    with pytest.raises(InputError, match="expected a date"):
        load_scenario("kuzbass-1989", {key: bad})
