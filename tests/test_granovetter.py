"""Granovetter (1978) exactly: thresholds, one shop, one synchronous round a day, strikers stay."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import mutualdep
from mdsupport import scenario_of, tiny_data


def striking_by_day(result) -> np.ndarray:
    return result.enterprise_days.sort("date")["striking"].to_numpy()


def expected_trajectory(thresholds: list[int], days: int) -> list[int]:
    """Iterate F(k) = #{i: t_i <= k} from k = 0; day d shows F^(d+1)(0)."""
    t = sorted(thresholds)
    k, out = 0, []
    for _ in range(days):
        k = sum(1 for x in t if x <= k)
        out.append(k)
    return out


def first_fixed_point(thresholds: list[int]) -> int:
    """Smallest k >= 0 with #{i: t_i <= k} == k, found by scanning (not by iteration)."""
    n = len(thresholds)
    for k in range(n + 1):
        if sum(1 for x in thresholds if x <= k) == k:
            return k
    raise AssertionError("F has a fixed point at most n")


def test_builtin_granovetter_all_strike_one_more_each_day():
    sc = mutualdep.load_scenario("granovetter")
    assert sc.total_workers() == 100
    assert sc.collective_action.thresholds == list(range(100))
    result = mutualdep.run(sc, seed=0)
    assert result.enterprise_days.height == sc.end.toordinal() - sc.start.toordinal() + 1
    striking = striking_by_day(result)
    assert striking[:100].tolist() == list(range(1, 101))
    assert (striking[100:] == 100).all()
    # nobody leaves or joins the enterprise: every other mechanism is off
    assert (result.enterprise_days["workers"] == 100).all()


def test_builtin_granovetter_threshold_one_raised_to_two_stops_at_one():
    thresholds = list(range(100))
    thresholds[1] = 2
    sc = mutualdep.load_scenario("granovetter", {"collective_action.thresholds": thresholds})
    striking = striking_by_day(mutualdep.run(sc, seed=0))
    assert (striking == 1).all()


def test_granovetter_does_not_depend_on_seed():
    sc = mutualdep.load_scenario("granovetter")
    a = mutualdep.run(sc, seed=1).enterprise_days
    b = mutualdep.run(sc, seed=99).enterprise_days
    assert a["striking"].to_list() == b["striking"].to_list()


def granovetter_scenario(thresholds: list[int], days: int):
    n = len(thresholds)
    data = tiny_data(on=("collective_action",))
    data["industries"]["coal"]["shops"] = [
        {"kind": "face", "share": 1.0, "occupations": {"miner": 1.0}}
    ]
    data["industries"]["coal"]["brigade_size"] = max(n, 1)
    data["enterprises"] = [{"name": "mine", "industry": "coal", "town": "T1", "workers": n}]
    data["end"] = data["start"] + dt.timedelta(days=days - 1)
    data["collective_action"] = {"thresholds": thresholds}
    data["campaigns"] = {"enabled": False}
    return scenario_of(data)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=70), min_size=1, max_size=60))
def test_granovetter_property_fixed_point_and_trajectory(thresholds):
    n = len(thresholds)
    days = n + 2
    striking = striking_by_day(mutualdep.run(granovetter_scenario(thresholds, days), seed=3))
    assert striking.tolist() == expected_trajectory(thresholds, days)
    assert striking[-1] == first_fixed_point(thresholds)
    # trajectory is monotone and reaches its rest within n days
    assert (np.diff(striking) >= 0).all()
    assert striking[n - 1] == striking[-1]


@settings(max_examples=25, deadline=None)
@given(st.permutations(list(range(30))))
def test_granovetter_outcome_ignores_worker_order(perm):
    """Who holds which threshold does not matter in one shop: only the distribution does."""
    thresholds = [min(p, 29) for p in perm]
    thresholds[perm.index(5)] = 7  # a gap at 5: exactly 5 strike, whatever the order
    striking = striking_by_day(mutualdep.run(granovetter_scenario(thresholds, 35), seed=0))
    assert striking[-1] == 5
