"""Keyed randomness: a draw is a pure function of (seed, stream, day, key)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mutualdep
from mdsupport import scenario_of, tiny_data
from mutualdep.random import Streams, keys_for, stable_key, stochastic_round

N = 200_000
keys_strategy = st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=50, unique=True)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, 2**31),
    st.sampled_from(["quit", "join_strike", "spark", "init/age"]),
    st.integers(0, 20_000),
    keys_strategy,
    st.randoms(use_true_random=False),
)
def test_same_seed_stream_day_key_same_draw_whatever_the_array(seed, stream, day, keys, rnd):
    arr = np.array(keys, np.uint64)
    u = Streams(seed).uniform(stream, day, arr)
    # a shuffled, shorter or longer array gives each key the same draw
    perm = list(range(len(keys)))
    rnd.shuffle(perm)
    assert np.array_equal(Streams(seed).uniform(stream, day, arr[perm]), u[perm])
    assert np.array_equal(Streams(seed).uniform(stream, day, arr[:1]), u[:1])
    longer = np.concatenate([arr, np.arange(1000, dtype=np.uint64)])
    assert np.array_equal(Streams(seed).uniform(stream, day, longer)[: len(arr)], u)
    # one key at a time, too
    assert [
        Streams(seed).uniform(stream, day, np.array([k], np.uint64))[0] for k in keys
    ] == u.tolist()


def test_draws_do_not_depend_on_the_key_dtype_or_on_earlier_draws():
    s = Streams(5)
    keys = np.arange(1000)
    first = s.uniform("quit", 3, keys.astype(np.uint64))
    s.uniform("other", 3, keys.astype(np.uint64))
    s.normal("quit", 4, keys.astype(np.uint64))
    assert np.array_equal(s.uniform("quit", 3, keys.astype(np.int64)), first)
    assert np.array_equal(Streams(5).uniform("quit", 3, keys.astype(np.uint64)), first)
    assert np.array_equal(s.group_uniform("quit", 3, 1000), first)


def test_uniforms_are_in_unit_interval_with_the_right_moments():
    """Mean 0.5 +/- 0.003 and variance 1/12 +/- 0.002 (about 5 standard errors at 200,000
    draws); each tenth of [0, 1) holds 10 % +/- 0.4 % of the draws."""
    u = Streams(11).uniform("quit", 0, np.arange(N, dtype=np.uint64))
    assert u.dtype == np.float64
    assert ((u >= 0) & (u < 1)).all()
    assert abs(u.mean() - 0.5) < 0.003
    assert abs(u.var() - 1 / 12) < 0.002
    counts = np.bincount((u * 10).astype(int), minlength=10)
    assert (np.abs(counts / N - 0.1) < 0.004).all()


def test_uniforms_over_days_for_one_key_are_uniform():
    s = Streams(2)
    key = np.array([12345], np.uint64)
    u = np.array([s.uniform("spark", d, key)[0] for d in range(20_000)])
    assert abs(u.mean() - 0.5) < 0.01  # 20,000 draws: 5 standard errors is 0.01


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a, b)[0, 1])


def test_streams_days_seeds_and_neighbouring_keys_are_independent_ish():
    """|correlation| < 0.015 (about 7 standard errors at 200,000 pairs; a shared stream gives 1)."""
    keys = np.arange(N, dtype=np.uint64)
    a = Streams(1).uniform("quit", 7, keys)
    others = {
        "another stream": Streams(1).uniform("join_strike", 7, keys),
        "a similar name": Streams(1).uniform("quit2", 7, keys),
        "the next day": Streams(1).uniform("quit", 8, keys),
        "another seed": Streams(2).uniform("quit", 7, keys),
        "the next key": np.roll(a, -1),
    }
    for name, b in others.items():
        assert abs(correlation(a, b)) < 0.015, name
        assert not np.array_equal(a, b), name
    # and the joint distribution fills the unit square: each quarter holds 25 % +/- 0.6 %
    b = others["another stream"]
    quarters = np.bincount((a >= 0.5) * 2 + (b >= 0.5), minlength=4) / N
    assert (np.abs(quarters - 0.25) < 0.006).all()


def test_normals_have_mean_zero_and_unit_spread():
    z = Streams(3).normal("init/risk", 0, np.arange(N, dtype=np.uint64))
    assert np.isfinite(z).all()
    assert abs(z.mean()) < 0.012 and abs(z.std() - 1) < 0.012
    assert abs((np.abs(z) < 1.96).mean() - 0.95) < 0.004


def test_stable_key_is_a_blake2b_hash_of_the_parts():
    want = int.from_bytes(
        hashlib.blake2b(b"enterprise\x1fmine 1", digest_size=8).digest(), "little"
    )
    assert stable_key("enterprise", "mine 1") == want
    assert stable_key("enterprise", "mine 1") != stable_key("enterprise", "mine 2")
    assert stable_key("a", 1) == stable_key("a", "1")


def test_keys_for_are_distinct_across_bases_and_ordinals():
    bases = np.array([stable_key("enterprise", f"e{i}") for i in range(50)], np.uint64)
    ordinals = np.arange(2000)
    keys = np.concatenate([keys_for(b, ordinals) for b in bases])
    assert len(np.unique(keys)) == len(keys)
    assert np.array_equal(keys_for(bases[3], ordinals[10:20]), keys_for(bases[3], ordinals)[10:20])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1000, allow_nan=False), min_size=1, max_size=20))
def test_stochastic_round_is_within_one_and_exact_in_expectation(xs):
    x = np.array(xs)
    u = Streams(0).uniform("r", 0, np.arange(20_000, dtype=np.uint64))
    rounded = stochastic_round(np.broadcast_to(x, (len(u), len(x))), u[:, None])
    assert ((rounded == np.floor(x)) | (rounded == np.floor(x) + 1)).all()
    assert (
        np.abs(rounded.mean(axis=0) - x).max() < 0.02
    )  # 20,000 draws: 0.5 / sqrt(20000) x 5 < 0.02


def test_runs_ignore_the_global_numpy_random_state():
    sc = scenario_of(tiny_data(end=tiny_data()["start"].replace(day=20)))
    np.random.seed(0)
    a = mutualdep.run(sc, seed=4).enterprise_days
    np.random.seed(12345)
    np.random.random(1000)
    b = mutualdep.run(sc, seed=4).enterprise_days
    assert a.equals(b)


@pytest.mark.parametrize("day", [0, 1, 365, 10_000])
def test_group_uniform_is_the_uniform_of_group_ids(day):
    s = Streams(9)
    assert np.array_equal(s.group_uniform("hire", day, 17), s.uniform("hire", day, np.arange(17)))
