"""Named, keyed random streams (common random numbers).

Every random decision draws from a stream named for it (``"quit"``, ``"spark"`` ...). A draw is a
pure function of (run seed, stream name, day, key), computed by counter-based hashing
(SplitMix64 finalizer), so:

- two runs that differ in one lever see identical draws for every other decision;
- a worker's draws follow his stable key (enterprise and hiring ordinal), not his position in
  the arrays, so extra hires in one enterprise never shift the draws of another;
- the cost is proportional to the number of keys drawn for.

The global ``np.random`` is never used.
"""

from __future__ import annotations

import hashlib

import numpy as np

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_TO_UNIT = 1.0 / float(1 << 53)


def _mix(x: np.ndarray, tmp: np.ndarray | None = None) -> np.ndarray:
    """SplitMix64 finalizer, in place on a uint64 array (wrapping arithmetic).

    ``tmp``, a scratch uint64 array of the same shape, saves the shifts' temporaries.
    """
    if tmp is None:
        tmp = np.empty_like(x)
    x ^= np.right_shift(x, _S30, out=tmp)
    x *= _M1
    x ^= np.right_shift(x, _S27, out=tmp)
    x *= _M2
    x ^= np.right_shift(x, _S31, out=tmp)
    return x


def stable_key(*parts: int | str) -> int:
    """A 64-bit key from a tuple of names and integers, stable across runs and platforms."""
    text = "\x1f".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little")


def keys_for(base: int | np.ndarray, ordinals: np.ndarray) -> np.ndarray:
    """Keys for ordinals under base keys (e.g. each enterprise's hiring ordinals)."""
    with np.errstate(over="ignore"):
        x = ordinals.astype(np.uint64) * _GOLDEN + np.asarray(base, dtype=np.uint64)
        return _mix(x)


class Streams:
    """All random streams of one run, derived from its seed."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._stream_keys: dict[str, int] = {}

    def _base(self, stream: str, day: int) -> np.uint64:
        key = self._stream_keys.get(stream)
        if key is None:
            key = self._stream_keys[stream] = stable_key("mutualdep", self.seed, stream)
        with np.errstate(over="ignore"):
            return np.uint64(key) ^ (np.uint64(day + (1 << 20)) * _GOLDEN)

    def uniform(self, stream: str, day: int, keys: np.ndarray) -> np.ndarray:
        """One U[0,1) float64 per key for this stream and day."""
        with np.errstate(over="ignore"):
            x = keys.astype(np.uint64, copy=True)
            x ^= self._base(stream, day)
            tmp = np.empty_like(x)
            _mix(x, tmp)
            x += _GOLDEN
            _mix(x, tmp)
            del tmp
            x >>= np.uint64(11)
        out = x.astype(np.float64)
        out *= _TO_UNIT
        return out

    def normal(self, stream: str, day: int, keys: np.ndarray) -> np.ndarray:
        """Standard normals by Box-Muller from two keyed uniforms."""
        u1 = self.uniform(stream, day, keys)
        u2 = self.uniform(stream + "/2", day, keys)
        return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)

    def group_uniform(self, stream: str, day: int, n: int) -> np.ndarray:
        """One uniform per group id 0..n-1 (shops, enterprises, towns, regions)."""
        return self.uniform(stream, day, np.arange(n, dtype=np.uint64))


def stochastic_round(x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Round non-negative reals to integers so that the expectation is exact."""
    base = np.floor(x)
    return (base + (u < (x - base))).astype(np.int64)
