"""What a sweep needs from a simulation model, and the mutualdep core behind that interface.

A run is (scenario dict, seed, until) -> tables + metrics. The parent process *resolves* each
design point into a self-contained scenario dict (so bad input fails before anything runs and
workers on another machine need no scenario files); workers *run* it. Experiment files name the
model: ``mutualdep`` (the default) or ``package.module:object`` for any object with the same
attributes, which is how the machinery is tested on models with known answers.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import polars as pl

from mutualdep.errors import InputError


@dataclass(frozen=True)
class RunOutput:
    tables: dict[str, pl.DataFrame]
    metrics: dict[str, float] = field(default_factory=dict)


class Model(Protocol):
    """tables: names it can produce (None: not known
    in advance); metrics: ones it computes itself."""

    tables: frozenset[str] | None
    metrics: frozenset[str]

    def resolve(self, scenario: str, overrides: dict[str, Any], base_dir: Path) -> dict[str, Any]:
        """Validate a scenario with overrides; return it as a picklable, self-contained dict."""
        ...

    def run(self, scenario: dict[str, Any], seed: int, until: dt.date | None) -> RunOutput:
        """Simulate one resolved scenario with one seed."""
        ...


class MutualdepModel:
    """The package's own simulation; its metrics come from the registry in `metrics`."""

    tables = frozenset(
        {
            "enterprises",
            "shops",
            "towns",
            "enterprise_days",
            "enterprise_months",
            "shop_months",
            "workforce",
            "events",
            "turnover",
            "allocations",
            "shop_days",
        }
    )
    metrics: frozenset[str] = frozenset()

    def resolve(self, scenario: str, overrides: dict[str, Any], base_dir: Path) -> dict[str, Any]:
        import mutualdep

        local = base_dir / scenario
        ref = local if local.suffix == ".toml" and local.exists() else scenario
        return mutualdep.load_scenario(ref, overrides).model_dump(mode="json")

    def run(self, scenario: dict[str, Any], seed: int, until: dt.date | None) -> RunOutput:
        import mutualdep
        from mutualdep.scenario import validate

        result = mutualdep.run(validate(scenario, scenario["name"]), seed=seed, until=until)
        return RunOutput(result.tables)


@functools.cache
def load_model(ref: str) -> Model:
    """'mutualdep' or 'package.module:object' (imported where the run happens, once per process)."""
    if ref == "mutualdep":
        return MutualdepModel()
    module_name, sep, attr = ref.partition(":")
    if not sep:
        raise InputError(f"model {ref!r}: expected 'mutualdep' or 'package.module:object'")
    try:
        return getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise InputError(f"model {ref!r}: cannot import it ({exc})") from None
