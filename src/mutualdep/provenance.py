"""Where every number of a built-in scenario comes from, machine-readably.

Each built-in ``scenarios/NAME.toml`` has a sidecar ``scenarios/provenance/NAME.toml`` (a
separate file, so the scenario files can gain parameters without merge conflicts in the tags):

    [values]
    "industries.coal.price_to_cost" = { source = "study-1994", figure = "half its cost" }
    "collective_action.belief" = { calibrated = "wave-1989" }
    "enterprises.*.workers" = { assumption = "mine sizes spread around the sources' range" }

A key is a dotted path into the file as written (not merged with its parent). An element of an
array of tables is named by its ``name`` (else its ``kind``; else, or when that repeats, its
index); an element of any other array by its index. ``*`` in a key matches one whole segment
(or part of one, as in a shell pattern). When several keys match, the one with the fewest
wildcards (then the longest) wins. Sources are declared once in
``scenarios/provenance/sources.toml``; a calibrated value names a calibration in
``calibration/`` (file NAME.toml or recorded folder).
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

KINDS = ("source", "calibrated", "assumption")


@dataclass(frozen=True)
class Tag:
    pattern: str
    kind: str  # one of KINDS
    ref: str  # the source id, the calibration's name, or the assumption's reason
    figure: str = ""  # for a source: which figure


def scenario_dir() -> Path:
    return Path(str(resources.files("mutualdep") / "scenarios"))


def _read(path: Path) -> dict[str, Any]:
    with open(path, "rb") as f:
        return tomllib.load(f)


def sources() -> dict[str, str]:
    return _read(scenario_dir() / "provenance" / "sources.toml")["sources"]


def _element_ids(items: list[Any]) -> list[str]:
    ids = [
        str(x.get("name", x.get("kind", i))) if isinstance(x, dict) else str(i)
        for i, x in enumerate(items)
    ]
    return [v if ids.count(v) == 1 else str(i) for i, v in enumerate(ids)]


def numeric_values(data: Any, prefix: str = "") -> dict[str, float]:
    """Every number in a parsed TOML document, by path (booleans are not numbers)."""
    out: dict[str, float] = {}
    if isinstance(data, dict):
        children = list(data.items())
    elif isinstance(data, list):
        children = list(zip(_element_ids(data), data, strict=True))
    else:
        if isinstance(data, int | float) and not isinstance(data, bool):
            out[prefix] = data
        return out
    for key, value in children:
        out |= numeric_values(value, f"{prefix}.{key}" if prefix else str(key))
    return out


def _matches(pattern: str, path: str) -> bool:
    p, q = pattern.split("."), path.split(".")
    return len(p) == len(q) and all(fnmatch.fnmatchcase(b, a) for a, b in zip(p, q, strict=True))


def tags(name: str) -> list[Tag]:
    """The sidecar's tags of built-in scenario `name`; ValueError names a malformed one."""
    path = scenario_dir() / "provenance" / f"{name}.toml"
    if not path.exists():
        raise ValueError(f"{path}: missing (every built-in scenario needs its provenance)")
    out = []
    for pattern, spec in _read(path).get("values", {}).items():
        kinds = [k for k in KINDS if k in spec] if isinstance(spec, dict) else []
        if len(kinds) != 1 or set(spec) - {*KINDS, "figure"}:
            raise ValueError(
                f"{path}: key {pattern!r}: expected one of {KINDS} (and 'figure' with a source), "
                f"got {spec!r}"
            )
        out.append(Tag(pattern, kinds[0], str(spec[kinds[0]]), str(spec.get("figure", ""))))
    return out


def tag_of(path: str, tag_list: list[Tag]) -> Tag | None:
    hits = [t for t in tag_list if _matches(t.pattern, path)]
    return min(hits, key=_specificity) if hits else None


def _specificity(tag: Tag) -> tuple[int, int]:
    """Fewer wildcards first, then more literal characters."""
    return (tag.pattern.count("*"), -len(tag.pattern.replace("*", "")))


def table(name: str) -> dict[str, tuple[float, Tag | None]]:
    """Every number of built-in scenario `name` with its tag (None: untagged)."""
    values = numeric_values(_read(scenario_dir() / f"{name}.toml"))
    tag_list = tags(name)
    return {p: (v, tag_of(p, tag_list)) for p, v in values.items()}


def assumptions(name: str) -> dict[str, float]:
    """The numbers of scenario `name` tagged as assumptions (the robustness analysis's space)."""
    return {p: v for p, (v, t) in table(name).items() if t is not None and t.kind == "assumption"}


def override_key(data: dict[str, Any], path: str) -> str:
    """The `--set` key (array elements by index) of a provenance path into parsed file `data`."""
    out, node = [], data
    for part in path.split("."):
        if isinstance(node, list):
            index = _element_ids(node).index(part)
            out.append(str(index))
            node = node[index]
        else:
            out.append(part)
            node = node[part]
    return ".".join(out)


def raw(name: str) -> dict[str, Any]:
    """Built-in scenario `name` as written (not merged with its parent)."""
    return _read(scenario_dir() / f"{name}.toml")
