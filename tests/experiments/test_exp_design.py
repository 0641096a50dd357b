"""Design generation: sizes, bounds, value lists, seeds."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mutualdep.experiments import design
from mutualdep.experiments.spec import Experiment
from mutualdep.experiments.sweep import plan


def experiment(
    kind: str = "factorial", samples: int | None = None, seed: int = 0, **extra
) -> Experiment:
    factors = [
        {"key": "a.x", "low": 0.0, "high": 1.0, "steps": 3},
        {"key": "a.n", "low": 10, "high": 20, "steps": 2, "integer": True},
        {"key": "b.rule", "values": ["privileged", "single_line", "lottery"]},
    ]
    if kind != "factorial":
        for f in factors:
            f.pop("steps", None)
    return Experiment.model_validate(
        {
            "name": "d",
            "scenario": "s",
            "factors": factors,
            "design": {"kind": kind, "samples": samples, "seed": seed, **extra},
            "outputs": {"metrics": ["quits_per_1000"]},
        }
    )


def test_factorial_is_the_full_grid_in_order():
    points = design.points(experiment())
    expected = itertools.product(
        [0.0, 0.5, 1.0], [10, 20], ["privileged", "single_line", "lottery"]
    )
    assert [tuple(p.values()) for p in points] == list(expected)
    assert all(isinstance(p["a.n"], int) for p in points)


@pytest.mark.parametrize(
    ("kind", "samples", "extra", "size"),
    [
        ("lhs", 50, {}, 50),
        ("sobol", 16, {}, 16 * (3 + 2)),
        ("sobol", 16, {"second_order": True}, 16 * (2 * 3 + 2)),
        ("morris", 7, {"levels": 6}, 7 * (3 + 1)),
    ],
)
def test_sampling_design_sizes_and_bounds(kind, samples, extra, size):
    exp = experiment(kind, samples, **extra)
    points = design.points(exp)
    assert len(points) == size
    x = np.array([p["a.x"] for p in points])
    n = np.array([p["a.n"] for p in points])
    assert x.min() >= 0.0 and x.max() <= 1.0 and x.std() > 0.1
    assert set(n) <= set(range(10, 21)) and len(set(n)) > 1
    assert {p["b.rule"] for p in points} == {"privileged", "single_line", "lottery"}


def test_lhs_hits_every_stratum_once():
    exp = experiment("lhs", 40)
    x = design.sample(exp)
    for column, (lo, hi) in zip(x.T, design.problem(exp)["bounds"], strict=True):
        strata = np.floor((column - lo) / (hi - lo) * 40).astype(int)
        assert sorted(strata) == list(range(40))


def test_samples_are_reproducible_by_seed():
    a = design.points(experiment("lhs", 20, seed=3))
    assert a == design.points(experiment("lhs", 20, seed=3))
    assert a != design.points(experiment("lhs", 20, seed=4))


def test_value_lists_map_evenly_onto_the_unit_interval():
    f = experiment().factors[2]
    assert [f.from_sample(u) for u in (0.0, 0.33, 0.34, 0.66, 0.67, 0.999, 1.0)] == [
        "privileged",
        "privileged",
        "single_line",
        "single_line",
        "lottery",
        "lottery",
        "lottery",
    ]


def test_every_point_gets_the_same_seeds():
    runs = plan(3, [7, 11])
    assert [(r.run_id, r.point, r.replicate, r.seed) for r in runs] == [
        (0, 0, 0, 7),
        (1, 0, 1, 11),
        (2, 1, 0, 7),
        (3, 1, 1, 11),
        (4, 2, 0, 7),
        (5, 2, 1, 11),
    ]
