"""The Mesa peer of benchmarks/peers/ and the model's own strike rules agree exactly.

benchmarks/peer_compare.py times the two; this checks, on small-town, that they still
compute the same thing, so that a change to the model's rules (or to the peer) that makes
the speed comparison unfair fails here rather than going unnoticed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from peers.mesa_strike import StrikeModel  # noqa: E402
from peers.state import export, prepare, run_mutualdep  # noqa: E402

DAYS = 12


def mesa_trajectory(data: dict, days: int) -> np.ndarray:
    model = StrikeModel(data, seed=1)
    out = np.zeros((days, model.n_enterprises), np.int64)
    for i in range(days):
        model.step()
        out[i] = model.strikers_by_enterprise()
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_mesa_peer_and_model_give_the_same_strikers_every_day(seed):
    eve = prepare("small-town", seed)
    mesa = mesa_trajectory(export(eve, DAYS), DAYS)
    kept, _ = run_mutualdep(eve, DAYS)
    renewed, _ = run_mutualdep(prepare("small-town", seed), DAYS, renew_all=True)
    assert mesa.sum(axis=1).max() > 1000  # a real wave, not a quiet town
    assert (mesa.max(axis=0) > 0).sum() >= 3  # it spread beyond the sparked enterprise
    assert np.array_equal(kept, mesa)
    assert np.array_equal(renewed, mesa)


@pytest.mark.parametrize("town_share", [0.0, 0.5])
def test_mesa_peer_and_model_agree_with_the_gain_won_in_the_own_enterprise(town_share):
    """The same, with a win's selective gain weighed by what the worker's own enterprise can
    deliver (collective_action.gain_in_own_enterprise), with its own exponent, and with a
    weight on the share of the whole town out (prospect_town_share)."""
    on = {
        "collective_action.gain_in_own_enterprise": True,
        "collective_action.prospect_curve": 0.4,
        "collective_action.prospect_town_share": town_share,
    }
    eve = prepare("small-town", 1, overrides=on)
    mesa = mesa_trajectory(export(eve, DAYS), DAYS)
    kept, _ = run_mutualdep(eve, DAYS)
    assert mesa.sum() > 0  # the spark's strikers at least
    assert np.array_equal(kept, mesa)


def test_mesa_peer_and_model_agree_on_the_committees_news_between_basins():
    """miners-1989 at 20,000 workers: the Kuzbass spark reaches the other coalfields only
    through the committees' news of mines out (spread.industry_news), in both codes alike."""
    eve = prepare("miners-1989", 1, workers=20000)
    mesa = mesa_trajectory(export(eve, 14), 14)
    kept, _ = run_mutualdep(eve, 14)
    donbass = eve.world.ent_region == eve.world.region_names.index("Donbass")
    assert kept[-1][donbass].sum() > 0  # the news carried the strike to another basin
    assert np.array_equal(kept, mesa)
