"""Every number of every built-in scenario carries a provenance tag that can be checked: a
declared source (and which figure), a calibration that exists and fitted that very key to that
value, or an assumption with its reason."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from mutualdep import provenance
from mutualdep.scenario import builtin_names

ROOT = Path(__file__).resolve().parents[1]
CALIBRATION = ROOT / "calibration"


def _toml(path: Path) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


@pytest.mark.parametrize("name", builtin_names())
def test_every_number_tagged_and_every_tag_used(name):
    table = provenance.table(name)
    untagged = [path for path, (_, tag) in table.items() if tag is None]
    assert not untagged, f"{name}: untagged numbers {untagged}"
    winners = {tag.pattern for _, tag in table.values()}
    unused = [t.pattern for t in provenance.tags(name) if t.pattern not in winners]
    assert not unused, f"{name}: tags that tag nothing {unused}"


@pytest.mark.parametrize("name", builtin_names())
def test_tags_name_real_sources_and_calibrations(name):
    known = provenance.sources()
    for path, (value, tag) in provenance.table(name).items():
        if tag.kind == "source":
            assert tag.ref in known, f"{name}: {path}: unknown source {tag.ref!r}"
            assert tag.figure, f"{name}: {path}: a source tag must say which figure"
        elif tag.kind == "calibrated":
            spec, fitted = CALIBRATION / f"{tag.ref}.toml", CALIBRATION / tag.ref / "fitted.toml"
            assert spec.exists() or fitted.exists(), f"{name}: {path}: no calibration {tag.ref}"
            if spec.exists():
                keys = {p["key"] for p in _toml(spec)["parameters"]}
                assert path in keys, f"{name}: {path}: not a parameter of {spec.name}"
            if fitted.exists():
                got = provenance.numeric_values(_toml(fitted))
                assert got.get(path) == pytest.approx(value, rel=1e-3), (
                    f"{name}: {path} = {value}, but {tag.ref} fitted {got.get(path)}"
                )
        else:
            assert tag.ref.strip(), f"{name}: {path}: an assumption must say why"


def test_paths_name_array_elements():
    data = {
        "towns": [{"name": "A", "isolation": 0.5}, {"name": "B", "isolation": 0.2}],
        "shops": [{"kind": "face", "share": 1.0}, {"kind": "face", "share": 0.0}],
        "curve": [[1, 2.5]],
        "flag": True,
    }
    assert provenance.numeric_values(data) == {
        "towns.A.isolation": 0.5,
        "towns.B.isolation": 0.2,
        "shops.0.share": 1.0,
        "shops.1.share": 0.0,
        "curve.0.0": 1,
        "curve.0.1": 2.5,
    }


def test_most_specific_tag_wins():
    tags = [
        provenance.Tag("towns.*.isolation", "assumption", "guess"),
        provenance.Tag("towns.A.isolation", "source", "press", "a figure"),
        provenance.Tag("towns.* X.isolation", "assumption", "longer pattern"),
    ]
    assert provenance.tag_of("towns.A.isolation", tags).kind == "source"
    assert provenance.tag_of("towns.B.isolation", tags).ref == "guess"
    assert provenance.tag_of("towns.Big X.isolation", tags).ref == "longer pattern"
    assert provenance.tag_of("towns.A.other_employers", tags) is None
