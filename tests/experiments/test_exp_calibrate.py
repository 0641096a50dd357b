"""Calibration recovers a parameter the test set, resumes its study, writes a usable scenario."""

from __future__ import annotations

import tomllib

import numpy as np
import optuna
import pytest
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend
from xp_support import SHORT_UNTIL

import mutualdep
from mutualdep.experiments.calibrate import run_calibration

THETA = 0.7
NOISE = 0.1
SEEDS = [0, 1, 2, 3]
TOL = 0.02  # on theta in [0, 2]; TPE with 30 trials, seeded


def _toy_calibration(target: float, trials: int, log: str = "") -> str:
    return f"""
name = "toy-fit"
scenario = "toy"
model = "xp_toys:toy"
[set]
noise = {NOISE}
log = "{log}"
[[parameters]]
key = "theta"
low = 0.0
high = 2.0
[[targets]]
metric = "fitted"
value = {target}
[replications]
seeds = {SEEDS}
[search]
trials = {trials}
seed = 1
"""


def _target() -> float:
    """The toy's metric at THETA, averaged over the seeds: fitted = 2 theta + noise * N(0, 1)."""
    draws = [np.random.default_rng(s).standard_normal() for s in SEEDS]
    return float(np.mean([2 * THETA + NOISE * d for d in draws]))


@pytest.fixture(autouse=True)
def quiet_optuna():
    optuna.logging.set_verbosity(optuna.logging.WARNING)


def test_recovers_the_parameter_that_made_the_target(write, tmp_path):
    path = write("fit.toml", _toy_calibration(_target(), 30))
    result = run_calibration(path, tmp_path / "out", workers=2)
    assert result.params["theta"] == pytest.approx(THETA, abs=TOL)
    fit = result.fit.row(0, named=True)
    assert fit["metric"] == "fitted" and fit["mean"] == pytest.approx(_target(), abs=2 * TOL)
    assert fit["sd"] > 0  # replications differ: the noise is real
    fitted = tomllib.loads(result.scenario_path.read_text())
    assert fitted == {
        "name": "toy-fit-fitted",
        "extends": "toy",
        "noise": NOISE,
        "log": "",
        "theta": result.params["theta"],
    }
    trials = result.catalog.query("SELECT * FROM trials")
    assert trials.height == 30 and trials["loss"].min() == pytest.approx(result.loss)
    runs = result.catalog.query(
        "SELECT point, count(*) AS n, min(seed) AS lo, max(seed) AS hi FROM runs GROUP BY point"
    )
    assert (
        runs.height == 30
        and (runs["n"] == 4).all()
        and (runs["lo"] == 0).all()
        and (runs["hi"] == 3).all()
    )


def test_resumes_and_extends_without_rerunning(write, tmp_path):
    log = tmp_path / "executions.log"
    out = tmp_path / "out"
    path = write("fit.toml", _toy_calibration(1.4, 4, str(log)))
    run_calibration(path, out, workers=2)
    assert len(log.read_text().splitlines()) == 4 * len(SEEDS)

    # An interrupted session leaves a trial asked but never told: the next session finishes it.
    study = optuna.load_study(
        study_name="toy-fit",
        storage=JournalStorage(JournalFileBackend(str(out / "optuna.journal"))),
    )
    left_running = study.ask()
    left_running.suggest_float("theta", 0.0, 2.0)

    path.write_text(_toy_calibration(1.4, 7, str(log)))  # more trials: same experiment, extended
    result = run_calibration(path, out, workers=2)
    states = {
        t.number: t.state
        for t in optuna.load_study(study_name="toy-fit", storage=study._storage).trials
    }
    assert len(states) == 7 and set(states.values()) == {optuna.trial.TrialState.COMPLETE}
    assert len(log.read_text().splitlines()) == 7 * len(SEEDS)
    point = result.catalog.query("SELECT theta FROM points WHERE point = ?", [left_running.number])
    assert point["theta"].to_list() == [left_running.params["theta"]]


def test_real_scenario_fit_writes_a_loadable_extension(write, tmp_path):
    path = write(
        "cal.toml",
        f"""
        name = "fund-fit"
        scenario = "small-town"
        until = {SHORT_UNTIL}
        [set]
        collective_action.belief = 0.55
        [[parameters]]
        key = "collective_action.strike_fund"
        low = 0.0
        high = 0.5
        [[targets]]
        metric = "peak_share_striking:coal"
        interval = [0.5, 0.95]
        [[targets]]
        metric = "quits_per_1000"
        value = 100
        weight = 0.5
        [replications]
        count = 2
        [search]
        trials = 2
        sampler = "random"
        """,
    )
    result = run_calibration(path, tmp_path / "out", workers=2)
    assert result.fit["metric"].to_list() == ["peak_share_striking:coal", "quits_per_1000"]
    scenario = mutualdep.load_scenario(result.scenario_path)
    assert scenario.name == "fund-fit-fitted"
    assert scenario.collective_action.strike_fund == result.params["collective_action.strike_fund"]
    assert scenario.collective_action.belief == 0.55
    assert scenario.enterprises == mutualdep.load_scenario("small-town").enterprises


def _split_calibration(loss: str) -> str:
    """Seeds far apart (noise 1 around 2 theta) against a narrow interval."""
    return f"""
name = "toy-split"
scenario = "toy"
model = "xp_toys:toy"
[set]
noise = 1.0
[[parameters]]
key = "theta"
low = 0.0
high = 2.0
[[targets]]
metric = "fitted"
interval = [1.3, 1.5]
[replications]
seeds = {SEEDS}
[search]
trials = 3
sampler = "random"
loss = "{loss}"
"""


@pytest.mark.parametrize("loss", ["per_seed", "mean"])
def test_each_seed_is_judged_unless_the_mean_is_asked_for(write, tmp_path, loss):
    result = run_calibration(write("fit.toml", _split_calibration(loss)), tmp_path / "o", workers=2)
    draws = np.array([np.random.default_rng(s).standard_normal() for s in SEEDS])

    def gap(v):  # distance outside [1.3, 1.5] in units of its width
        return np.maximum(np.maximum(1.3 - v, 0), v - 1.5) / 0.2

    trials = result.catalog.query("SELECT theta, loss FROM trials")
    assert trials.height == 3
    for theta, got in trials.iter_rows():
        values = 2 * theta + draws
        want = np.mean(gap(values) ** 2) if loss == "per_seed" else gap(values.mean()) ** 2
        assert got == pytest.approx(want)
    fit = result.fit.row(0, named=True)
    values = 2 * result.params["theta"] + draws
    assert fit["seeds"] == len(SEEDS)
    assert fit["seeds_inside"] == int(((values >= 1.3) & (values <= 1.5)).sum())
    # the seeds spread over more than the interval: judged one by one, no trial passes
    if loss == "per_seed":
        assert result.loss > 0
