"""Fast kernels for the hot spots of the day loop, each equal to a plain definition.

Every kernel here returns exactly what its docstring's plain definition returns (tests/perf
checks them against slow reference versions); they exist only because the plain version is
slower on a million workers.
"""

from __future__ import annotations

import numpy as np


def key_rank(keys: np.ndarray) -> np.ndarray:
    """Each element's position in the order of ``keys``, ties by position (a permutation).

    Plain definition: ``rank[np.argsort(keys, kind="stable")] = arange(len(keys))``. Used as a
    compact tie-break: comparing ranks is comparing (key, id).
    """
    n = len(keys)
    order = np.argsort(keys)
    if n > 1:
        sorted_keys = keys[order]
        if (sorted_keys[1:] == sorted_keys[:-1]).any():
            order = np.argsort(keys, kind="stable")
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n)
    return rank


def _index_dtype(n: int) -> type:
    return np.int32 if n < 2**31 else np.int64


class KeyRanks:
    """:func:`key_rank` of a key column that only grows at the end and whose existing entries
    never change (worker keys: ids are appended, never reused, keys never rewritten).

    Keeps the ids in key order between calls (4 bytes an id); a call ranks only the ids added
    since the last one and merges them in, instead of sorting every key again. The result is
    the same permutation as ``key_rank(keys)``.
    """

    def __init__(self) -> None:
        self.order = np.zeros(0, np.int32)

    def __call__(self, keys: np.ndarray) -> np.ndarray:
        n, m = len(keys), len(self.order)
        if n < m:  # not a grown copy of what we ranked: start again
            self.order, m = np.zeros(0, np.int32), 0
        if n > m:
            dtype = _index_dtype(n)
            new_keys = keys[m:]
            by_key = np.argsort(new_keys, kind="stable")
            new_ids = (by_key + m).astype(dtype)
            new_keys = new_keys[by_key]
            # equal keys: older ids (already placed) first, so insert to the right of them
            at = (
                np.searchsorted(keys[self.order], new_keys, side="right")
                if m
                else np.zeros(len(new_keys), np.intp)
            )
            self.order = np.insert(self.order.astype(dtype, copy=False), at, new_ids)
        rank = np.empty(n, _index_dtype(n))
        rank[self.order] = np.arange(n, dtype=rank.dtype)
        return rank


def queue_order(
    ent: np.ndarray, cls: np.ndarray, applied: np.ndarray, tiebreak: np.ndarray
) -> np.ndarray:
    """The permutation that sorts by (ent, cls, applied, tiebreak): ``np.lexsort((tiebreak,
    applied, cls, ent))``.

    ``ent``, ``cls`` and ``tiebreak`` are non-negative integers, ``tiebreak`` distinct (a
    :func:`key_rank`). When the four fit in 63 bits together they are packed into one int64 and
    sorted once (all packed values differ, so an unstable sort gives the same permutation);
    otherwise this falls back to ``lexsort``.
    """
    n = len(ent)
    if n == 0:
        return np.zeros(0, np.int64)
    a_min = int(applied.min())
    b_t = int(tiebreak.max()).bit_length()
    b_a = (int(applied.max()) - a_min).bit_length()
    b_c = int(cls.max()).bit_length()
    b_e = int(ent.max()).bit_length()
    if (
        b_e + b_c + b_a + b_t > 63
        or int(ent.min()) < 0
        or int(cls.min()) < 0
        or int(tiebreak.min()) < 0
    ):
        return np.lexsort((tiebreak, applied, cls, ent))
    # built in place, one worker-sized temporary at a time
    packed = ent.astype(np.int64)
    packed <<= b_c
    packed |= cls
    packed <<= b_a
    part = applied.astype(np.int64)
    part -= a_min
    packed |= part
    del part
    packed <<= b_t
    packed |= tiebreak
    return np.argsort(packed)


BLOCK = 32_768  # workers per block: a block's temporaries stay in the CPU cache


def blocks(n: int, size: int = BLOCK) -> list[slice]:
    """``range(n)`` cut into consecutive slices of at most ``size``."""
    return [slice(lo, min(n, lo + size)) for lo in range(0, n, size)]


def segment_sum(
    indptr: np.ndarray, indices: np.ndarray, rows: np.ndarray, weights: np.ndarray, n: int
) -> np.ndarray:
    """Sum, at each column of a compressed sparse adjacency, the weights of the given rows.

    Plain definition::

        out = zeros(n, int64)
        for r, w in zip(rows, weights):
            out[indices[indptr[r]:indptr[r + 1]]] += w

    The rows' ranges are gathered at once (a repeat and an arange); few changes are added in
    place, many by one bincount over all columns.
    """
    rows = np.asarray(rows, np.int64)
    starts = indptr[rows]
    lens = indptr[rows + 1] - starts
    total = int(lens.sum())
    out = np.zeros(n, np.int64)
    if total == 0:
        return out
    offsets = np.cumsum(lens) - lens
    pos = np.repeat(starts - offsets, lens) + np.arange(total)
    targets = indices[pos]
    values = np.repeat(np.asarray(weights, np.int64), lens)
    if total > n // 8:
        return np.bincount(targets, weights=values, minlength=n).astype(np.int64)
    np.add.at(out, targets, values)
    return out


def strike_decisions(
    p_brigade: np.ndarray,
    q_brigade: np.ndarray,
    brigade: np.ndarray,
    ties: tuple[np.ndarray, np.ndarray],
    s_ent: np.ndarray,
    enterprise: np.ndarray,
    win: np.ndarray,
    cost: np.ndarray,
    at_risk: np.ndarray,
    striking: np.ndarray,
    employed: np.ndarray,
    stay_power: float,
    block: int = BLOCK,
) -> tuple[np.ndarray, np.ndarray]:
    """Ids that join a strike and ids that leave it, ascending.

    Plain definition, with ``p = p_brigade[brigade]`` except ``p[tie_ids] = tie_p`` (``ties``,
    ``tie_ids`` ascending; NaN where nobody decides), ``q = q_brigade[brigade]`` (the share of
    his selective win his own enterprise can deliver), ``risk = s_ent[enterprise] * at_risk``,
    ``gain = p * (win * q + risk)`` and ``need = risk + cost``::

        join  = flatnonzero(employed & ~striking & (gain >= need))
        leave = flatnonzero(employed & striking & (gain < stay_power * need))

    Evaluated in blocks of ``block`` workers: on whole columns the same arithmetic is several
    times slower, because every temporary is a fresh multi-megabyte array that misses the cache.
    """
    tie_ids, tie_p = ties
    joins, leaves = [], []
    for part in blocks(len(win), block):
        b = brigade[part].astype(np.intp)
        p = np.take(p_brigade, b)
        lo, hi = np.searchsorted(tie_ids, (part.start, part.stop))
        p[tie_ids[lo:hi] - part.start] = tie_p[lo:hi]
        risk = np.take(s_ent, enterprise[part].astype(np.intp))
        risk *= at_risk[part]
        need = risk + cost[part]
        risk += win[part] * np.take(q_brigade, b)
        risk *= p  # now the gain
        now, emp = striking[part], employed[part]
        joins.append(np.flatnonzero((risk >= need) & ~now & emp) + part.start)
        need *= stay_power
        with np.errstate(invalid="ignore"):
            leaves.append(np.flatnonzero((risk < need) & now & emp) + part.start)
    if not joins:
        return np.zeros(0, np.intp), np.zeros(0, np.intp)
    return np.concatenate(joins), np.concatenate(leaves)
