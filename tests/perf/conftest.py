"""Fixtures of tests/perf: small worlds part-way through a run."""

from __future__ import annotations

import pytest

from perf.worlds import striking_world


@pytest.fixture(scope="module")
def striking_world_fixture():
    """small-town six days into its July 1989 strike; a fresh copy per test module."""
    striking_world.cache_clear()
    return striking_world()
