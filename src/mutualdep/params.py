"""The parameter reference, generated from the scenario schema: `mutualdep params` and
docs/parameters.md.

Each row is a key of a scenario file with its type, default, admitted range and description
(meaning and unit), read from the pydantic fields of `scenario.py`, so the reference cannot
drift from what the loader accepts. For mechanism parameters the built-in scenarios that set
the key are listed: their pages in docs/scenarios say where each value comes from.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from typing import Any

import annotated_types as at
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from mutualdep.errors import InputError
from mutualdep.scenario import Scenario, _builtin_path, builtin_names, read_toml

WORLD = ("occupations", "industries", "regions", "towns", "enterprises", "sparks")


@dataclass(frozen=True)
class Param:
    key: str
    type: str
    default: str
    range: str
    description: str
    set_by: tuple[str, ...] = ()


def _model_in(annotation: Any) -> tuple[type[BaseModel] | None, str]:
    """The model a field holds, and how: '' (itself), '[]' (a list of) or '.<name>' (a dict of)."""
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, ""
    if origin is list:
        inner, _ = _model_in(typing.get_args(annotation)[0])
        return inner, "[]"
    if origin is dict:
        inner, _ = _model_in(typing.get_args(annotation)[1])
        return inner, ".<name>"
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found[0] is not None:
                return found
    return None, ""


def _type_name(annotation: Any) -> str:
    if typing.get_origin(annotation) is typing.Annotated:
        return _type_name(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) is typing.Literal:
        return " | ".join(repr(a) for a in typing.get_args(annotation)).replace("'", "")
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in typing.get_args(annotation))
    if typing.get_origin(annotation) is not None:
        args = ", ".join(_type_name(a) for a in typing.get_args(annotation))
        return f"{typing.get_origin(annotation).__name__}[{args}]"
    return {"NoneType": "none", "date": "date", "str": "text", "bool": "true/false"}.get(
        getattr(annotation, "__name__", str(annotation)), getattr(annotation, "__name__", "")
    )


def _range(field: Any) -> str:
    low = high = None
    low_sign, high_sign = "", ""
    for m in [*field.metadata, *_annotated_metadata(field.annotation)]:
        if isinstance(m, at.Ge):
            low, low_sign = m.ge, ">="
        elif isinstance(m, at.Gt):
            low, low_sign = m.gt, ">"
        elif isinstance(m, at.Le):
            high, high_sign = m.le, "<="
        elif isinstance(m, at.Lt):
            high, high_sign = m.lt, "<"
    if low is not None and high is not None:
        return f"{low:g} to {high:g}"
    if low is not None:
        return f"{low_sign} {low:g}"
    if high is not None:
        return f"{high_sign} {high:g}"
    return ""


def _annotated_metadata(annotation: Any) -> list[Any]:
    for alt in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(alt) is typing.Annotated:
            return list(typing.get_args(alt)[1:])
    return []


def _default_value(field: Any) -> Any:
    return field.default if field.default is not PydanticUndefined else field.default_factory()


def _shown_default(field: Any, value: Any) -> str:
    if field.is_required():
        return "required"
    if isinstance(value, BaseModel):
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "none"
    if isinstance(value, list) and value and isinstance(value[0], tuple):
        return "; ".join(f"{d.isoformat()}: {v:g}" for d, v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value) if isinstance(value, str) else f"{value}"


def reference() -> list[Param]:
    """Every key of the schema, depth first, in the order of scenario.py."""
    set_by = _set_by_builtins()
    rows: list[Param] = []

    def walk(model: type[BaseModel], prefix: str, defaults: BaseModel | None) -> None:
        """``defaults``: the enclosing field's default instance, whose values override the
        model's own (``market.shadow`` is a MarketChannel with its own scope)."""
        for name, field in model.model_fields.items():
            key = f"{prefix}{name}"
            inner, how = _model_in(field.annotation)
            value = None
            if not field.is_required():
                value = getattr(defaults, name) if defaults is not None else _default_value(field)
            rows.append(
                Param(
                    key,
                    _type_name(field.annotation) if inner is None else "table",
                    _shown_default(field, value),
                    _range(field),
                    field.description or "",
                    tuple(sorted(set_by.get(key, ()))),
                )
            )
            if inner is not None:
                walk(inner, f"{key}{how}.", value if isinstance(value, BaseModel) else None)

    walk(Scenario, "", None)
    return rows


def _set_by_builtins() -> dict[str, set[str]]:
    """Dotted mechanism keys each built-in scenario file sets itself (not through extends)."""
    out: dict[str, set[str]] = {}

    def flat(data: dict[str, Any], prefix: str, name: str) -> None:
        for k, v in data.items():
            if isinstance(v, dict):
                flat(v, f"{prefix}{k}.", name)
            else:
                out.setdefault(f"{prefix}{k}", set()).add(name)

    for name in builtin_names():
        data = read_toml(_builtin_path(name))
        for section, value in data.items():
            if isinstance(value, dict) and section not in WORLD:
                flat(value, f"{section}.", name)
    return out


def section(rows: list[Param], name: str | None) -> list[Param]:
    if name is None:
        return rows
    chosen = [r for r in rows if r.key == name or r.key.startswith(f"{name}.")]
    chosen += [r for r in rows if r.key.startswith(f"{name}[]") or r.key.startswith(f"{name}.<")]
    if not chosen:
        top = sorted({r.key.split(".")[0].split("[")[0] for r in rows})
        raise InputError(f"params {name!r}: expected a section or key, one of: {', '.join(top)}")
    return list(dict.fromkeys(chosen))


def markdown(rows: list[Param]) -> str:
    """docs/parameters.md: one table per top-level section."""
    lines = [
        "# Scenario parameters",
        "",
        "Generated from the schema in `src/mutualdep/scenario.py` by `mutualdep params "
        "--markdown`;",
        "do not edit by hand. Every key of a scenario file with its type, default, admitted range",
        "and meaning (with the unit). Defaults are the model's assumptions; where a built-in",
        "scenario sets a mechanism key itself, it is named, and its page in",
        "[scenarios/](scenarios/README.md) gives the value's provenance (source, calibrated or",
        "assumption). `[]` marks an item of an array of tables, `<name>` a key you choose.",
        "",
    ]
    current = None
    tables = {r.key for r in rows if r.type == "table"}
    for r in rows:
        top = r.key.split(".")[0].split("[")[0]
        heading = f"`{top}`" if top in tables else "The scenario itself"
        if heading != current:
            current = heading
            lines += [
                "",
                f"## {heading}",
                "",
                "| key | type | default | range | meaning | set by |",
            ]
            lines += ["| --- | --- | --- | --- | --- | --- |"]
        cells = [f"`{r.key}`", r.type, r.default, r.range, r.description, ", ".join(r.set_by)]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"
