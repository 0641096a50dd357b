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


def queue_order(ent: np.ndarray, cls: np.ndarray, applied: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
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
    ent = ent.astype(np.int64, copy=False)
    cls = cls.astype(np.int64, copy=False)
    applied = applied.astype(np.int64, copy=False)
    tiebreak = tiebreak.astype(np.int64, copy=False)
    a_min = int(applied.min())
    b_t = int(tiebreak.max()).bit_length()
    b_a = (int(applied.max()) - a_min).bit_length()
    b_c = int(cls.max()).bit_length()
    b_e = int(ent.max()).bit_length()
    if b_e + b_c + b_a + b_t > 63 or int(ent.min()) < 0 or int(cls.min()) < 0 or int(tiebreak.min()) < 0:
        return np.lexsort((tiebreak, applied, cls, ent))
    packed = ent << (b_c + b_a + b_t)
    packed |= cls << (b_a + b_t)
    packed |= (applied - a_min) << b_t
    packed |= tiebreak
    return np.argsort(packed)
