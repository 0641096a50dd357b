"""Every built-in scenario states which of the actors it runs, and an actor it runs acts there.

The actors of the model brief's mechanisms 4, 5, 9 and 11 (the unions and the labour council,
the city soviet, the market outside the enterprise, ownership) each have a switch. A built-in
that left one to the schema's default would hide from its reader whether the actor is in its
world; so each switch is set in the scenario's own file or in one it extends, with the reason
in a comment beside it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

import mutualdep
from mutualdep.scenario import _builtin_path, _load_raw, builtin_names

ACTORS = ("institutions", "city", "market", "ownership")


@pytest.mark.parametrize("name", builtin_names())
def test_every_builtin_states_each_actor_it_runs_or_leaves_out(name):
    raw = _load_raw(_builtin_path(name))
    unstated = [actor for actor in ACTORS if "enabled" not in raw.get(actor, {})]
    assert not unstated, f"{name} leaves {unstated} to the schema's defaults"


def test_the_builtins_that_run_an_actor_are_the_documented_ones():
    """Which built-in runs which actor, as kuzbass-1989.toml's comment says."""
    running = {
        actor: sorted(
            n for n in builtin_names() if getattr(mutualdep.load_scenario(n), actor).enabled
        )
        for actor in ACTORS
    }
    assert running["institutions"] == ["strike-1991"]
    assert running["city"] == ["magnitogorsk"]
    assert running["market"] == ["mixed-economy-1989", "transition-1992"]
    assert "granovetter" not in running["ownership"]


def mean_at_risk(market: bool, freed: bool) -> float:
    """Mean at_risk of the employed on 15 February 1992 in transition-1992 (1 agent for 50)."""
    timeline = [r.model_dump() for r in mutualdep.load_scenario("transition-1992").reforms.timeline]
    if not freed:
        timeline = [r for r in timeline if r["kind"] != "price_liberalisation"]
    over = {
        "scale": 50,
        "market.enabled": market,
        "end": "1992-02-15",
        "reforms.timeline": timeline,
    }
    sim = mutualdep.Simulation(mutualdep.load_scenario("transition-1992", over), seed=0)
    sim.run()
    w = sim.world.workers
    return float(np.mean(w.at_risk[: w.n][sim.world.employed()]))


def test_in_transition_1992_freeing_prices_reaches_the_stake_through_the_market():
    """With the market running (as transition-1992 has it), the January 1992 liberalisation
    fills the state shops and what a sanction would take falls (seed 0: 1,068 to 601 rubles);
    with the market off, freeing prices leaves it where it was (1,582 and 1,585)."""
    assert mean_at_risk(True, True) < 0.7 * mean_at_risk(True, False)
    off = mean_at_risk(False, True) / mean_at_risk(False, False)
    assert off == pytest.approx(1.0, abs=0.02)


def test_in_strike_1991_the_mines_that_win_go_to_the_independent_union():
    """strike-1991 runs the institutions: every enterprise whose won strike removed its
    director gets a new one, the independent union holds its lists on 1 May 1991, and
    members have moved to it."""
    sc = mutualdep.load_scenario("strike-1991", {"scale": 20, "end": "1991-05-31"})
    tables = mutualdep.run(sc, seed=0).tables
    events = tables["events"]
    removed = set(events.filter(pl.col("kind") == "director_removed")["enterprise"])
    appointed = set(events.filter(pl.col("kind") == "director_appointed")["enterprise"])
    assert len(removed) >= 10
    assert appointed == removed
    may = tables["unions"].filter(
        (pl.col("date") == dt.date(1991, 5, 1)) & (pl.col("union") == "independent")
    )
    distributes = set(may.filter(pl.col("distributes"))["enterprise"])
    assert distributes == removed
    assert may.filter(pl.col("enterprise").is_in(list(removed)))["members"].sum() > 0
