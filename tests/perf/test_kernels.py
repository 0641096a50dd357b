"""The fast kernels give exactly what simple reference versions give, on small inputs and worlds.

Each test writes the plain version (a Python sort, a per-worker loop, scalar arithmetic) next
to the optimised one used by the model. No timings here: speed is benchmarks/'s business.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualdep.kernels import KeyRanks, key_rank, queue_order, segment_sum, strike_decisions
from mutualdep.random import Streams, keys_for
from mutualdep.world import NOT_ON_LIST, choose_occupations

MASK = (1 << 64) - 1


# --------------------------------------------------------------------------- queue ranking


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 2), st.integers(-40000, 400)), max_size=120
    ),
    st.randoms(use_true_random=False),
)
def test_queue_order_is_a_plain_sort(rows, rnd):
    n = len(rows)
    tiebreak = list(range(n))
    rnd.shuffle(tiebreak)
    ent, cls, applied = (np.array([r[i] for r in rows], np.int64).reshape(-1) for i in range(3))
    got = queue_order(
        ent, cls.astype(np.int8), applied.astype(np.int32), np.array(tiebreak, np.int32)
    )
    want = sorted(range(n), key=lambda i: (rows[i][0], rows[i][1], rows[i][2], tiebreak[i]))
    assert got.tolist() == want


def test_queue_order_falls_back_to_lexsort_when_the_key_does_not_fit():
    rng = np.random.default_rng(3)
    n = 500
    ent = rng.integers(0, 2**20, n)
    cls = rng.integers(0, 3, n)
    applied = rng.integers(-(2**30), 2**30, n)
    tiebreak = rng.permutation(n) + 2**24
    want = sorted(range(n), key=lambda i: (ent[i], cls[i], applied[i], tiebreak[i]))
    assert queue_order(ent, cls, applied, tiebreak).tolist() == want


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), max_size=40), min_size=1, max_size=6))
def test_key_ranks_grow_like_a_fresh_sort(batches):
    """Keys appended in batches (duplicates included): the kept ranking equals a fresh one."""
    ranks = KeyRanks()
    keys: list[int] = []
    for batch in batches:
        keys += batch
        arr = np.array(keys, np.uint64)
        want = [0] * len(keys)
        for r, i in enumerate(sorted(range(len(keys)), key=lambda i: (keys[i], i))):
            want[i] = r
        assert ranks(arr).tolist() == want
        assert key_rank(arr).tolist() == want


def test_distribution_queue_is_a_plain_sort_of_the_applicants(striking_world_fixture):
    """Each list's queue: employed applicants by (enterprise, class, application day, key, id),
    ranks counted from 0 in each enterprise, against a Python sort over the workers."""
    world, phases = striking_world_fixture
    dist = phases["distribution"]
    w = world.workers
    privileged = world.ent_privileged
    for lst in range(w.applied.shape[0]):
        idx, rank = dist.queue(world, lst)
        rows = []
        for i in range(w.n):
            if w.status[i] != 0 or w.applied[lst, i] == NOT_ON_LIST:
                continue
            e = int(w.enterprise[i])
            if world.ent_single_line[e]:
                cls = 2
            elif w.exemplary[i]:
                cls = 0
            elif privileged[e, w.occupation[i]]:
                cls = 1
            else:
                cls = 2
            rows.append((e, cls, int(w.applied[lst, i]), int(w.key[i]), i))
        rows.sort()
        want_idx = [r[-1] for r in rows]
        want_rank, seen = [], {}
        for r in rows:
            want_rank.append(seen.get(r[0], 0))
            seen[r[0]] = seen.get(r[0], 0) + 1
        assert idx.tolist() == want_idx
        assert rank.tolist() == want_rank


# --------------------------------------------------------------------------- keyed random


def _splitmix(x: int) -> int:
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & MASK
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31), st.integers(0, 5000), st.lists(st.integers(0, MASK), max_size=50))
def test_keyed_uniform_equals_scalar_splitmix(seed, day, keys):
    streams = Streams(seed)
    got = streams.uniform("quit", day, np.array(keys, np.uint64))
    base = int(streams._base("quit", day))
    want = []
    for k in keys:
        x = _splitmix(k ^ base)
        x = _splitmix((x + 0x9E3779B97F4A7C15) & MASK)
        want.append((x >> 11) * (1.0 / (1 << 53)))
    assert got.tolist() == want


def test_a_keyed_draw_does_not_depend_on_who_else_is_drawn():
    """Drawing for a subset (employed workers only) gives each key the same number."""
    streams = Streams(7)
    keys = keys_for(12345, np.arange(1000))
    full = streams.uniform("retire", 3, keys)
    part = np.arange(0, 1000, 7)
    assert np.array_equal(streams.uniform("retire", 3, keys[part]), full[part])


# --------------------------------------------------------------------------- occupations


def test_occupation_choice_is_searchsorted_on_the_cumulative_mix(striking_world_fixture):
    world, _ = striking_world_fixture
    rng = np.random.default_rng(5)
    shops = rng.integers(0, world.n_shops, 2000)
    u = rng.random(2000)
    u[:5] = [0.0, 0.999999999, 1 - 1e-17, 0.5, 0.25]
    got = choose_occupations(world, shops, u)
    for s, x, g in zip(shops, u, got, strict=True):
        choices, p = world.shop_occ_mix[s]
        i = min(int(np.searchsorted(np.cumsum(p), x, side="right")), len(p) - 1)
        assert g == choices[i]


# --------------------------------------------------------------------------- strike decisions

_chance = st.one_of(st.floats(0, 1), st.just(float("nan")))
_money = st.floats(0, 5000)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 5),  # brigade
            st.integers(0, 2),  # enterprise
            _money,  # win
            _money,  # cost
            _money,  # at risk
            st.booleans(),  # striking
            st.booleans(),  # employed
            st.one_of(st.none(), _chance),  # what his ties show him instead
        ),
        max_size=60,
    ),
    st.lists(_chance, min_size=6, max_size=6),
    st.lists(st.floats(0, 1), min_size=6, max_size=6),
    st.lists(st.floats(0, 1), min_size=3, max_size=3),
    st.sampled_from([0.0, 0.5, 1.0]),
    st.integers(1, 9),
)
def test_strike_decisions_are_the_plain_definition(
    rows, p_brigade, q_brigade, s_ent, stay_power, block
):
    """Joins and departures in blocks (any block size) equal a worker-by-worker reading of the
    definition; NaN (nobody decides) included, and tie overrides falling in any block."""
    col = [np.array([r[i] for r in rows]) for i in range(7)]
    brigade, ent = col[0].astype(np.int32), col[1].astype(np.int32)
    win, cost, at_risk = (c.astype(float) for c in col[2:5])
    striking, employed = col[5].astype(bool), col[6].astype(bool)
    tie_ids = np.array([i for i, r in enumerate(rows) if r[7] is not None], np.int64)
    tie_p = np.array([rows[i][7] for i in tie_ids], float)
    join, leave = strike_decisions(
        np.array(p_brigade),
        np.array(q_brigade),
        brigade,
        (tie_ids, tie_p),
        np.array(s_ent),
        ent,
        win,
        cost,
        at_risk,
        striking,
        employed,
        stay_power,
        block=block,
    )
    want_join, want_leave = [], []
    for i, (b, e, wv, c, risk_at, now, emp, tie) in enumerate(rows):
        p = p_brigade[b] if tie is None else tie
        risk = s_ent[e] * risk_at
        gain, need = p * (wv * q_brigade[b] + risk), risk + c
        if emp and not now and gain >= need:
            want_join.append(i)
        if emp and now and gain < stay_power * need:
            want_leave.append(i)
    assert join.tolist() == want_join
    assert leave.tolist() == want_leave


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 19), max_size=5), min_size=1, max_size=20), st.data())
def test_segment_sum_is_the_plain_definition(rows, data):
    """Weights of chosen rows of a sparse adjacency summed at its columns, few or many rows."""
    indptr = np.concatenate([[0], np.cumsum([len(r) for r in rows])]).astype(np.int64)
    indices = np.array([j for r in rows for j in r], np.int32)
    chosen = data.draw(st.lists(st.integers(0, len(rows) - 1), unique=True))
    weights = data.draw(
        st.lists(st.sampled_from([-1, 1, 3]), min_size=len(chosen), max_size=len(chosen))
    )
    want = np.zeros(20, np.int64)
    for r, wt in zip(chosen, weights, strict=True):
        for j in rows[r]:
            want[j] += wt
    got = segment_sum(indptr, indices, np.array(chosen, np.int64), np.array(weights), 20)
    assert got.tolist() == want.tolist()
