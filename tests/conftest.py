"""Shared fixtures for the mutualdep tests (helpers live in mdsupport.py).

Fixtures are session-scoped and return plain functions, so hypothesis tests can use them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mdsupport import make_world, scenario_of, simulate, tiny_data
from mutualdep.results import Result
from mutualdep.scenario import Scenario
from mutualdep.world import World


@pytest.fixture(scope="session")
def tiny() -> Callable[..., dict[str, Any]]:
    """Build a tiny scenario dict: ``tiny(on=("pay",), end=...)``."""
    return tiny_data


@pytest.fixture(scope="session")
def validated() -> Callable[[dict[str, Any]], Scenario]:
    """Validate a raw scenario dict through the real schema (source name "test")."""
    return scenario_of


@pytest.fixture(scope="session")
def world_of() -> Callable[..., World]:
    return make_world


@pytest.fixture(scope="session")
def sim() -> Callable[..., tuple[World, Result, list]]:
    return simulate
