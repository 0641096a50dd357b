"""The app's logic without a browser: levers from the schema, safe sources, the live snapshot,
the worker view and compare mode."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pytest

import mutualdep
from mutualdep.errors import InputError
from mutualdep.report.summary import participation
from mutualdep.web import live, sources
from mutualdep.web.compare import ALL, compare
from mutualdep.web.levers import BY_KEY, LEVERS, defaults, overrides
from mutualdep.web.map import QUIET, share_colour, town_map_svg


@pytest.fixture(scope="module")
def small():
    return mutualdep.load_scenario("small-town")


def test_levers_take_limits_and_descriptions_from_the_schema():
    assert BY_KEY["collective_action.strike_fund"].limits == (0.0, 1.0)
    assert BY_KEY["state.openness"].limits == (0.0, 1.0)
    assert BY_KEY["management.threat"].limits == (0.0, 2.0)  # no schema top: the stated one
    assert BY_KEY["scale"].limits[0] == 1  # PositiveInt: gt=0
    assert BY_KEY["distribution.rule"].choices == ["privileged", "single_line"]
    assert BY_KEY["distribution.published"].kind == "switch"
    assert all(lever.description for lever in LEVERS)


def test_overrides_name_only_changed_levers_and_load_through_the_schema(small):
    values = defaults(small)
    assert overrides(small, values) == {}
    values["collective_action.strike_fund"] = 0.4
    changed = overrides(small, values, frozenset())
    assert changed == {"collective_action.strike_fund": 0.4}
    sc = mutualdep.load_scenario("small-town", changed)
    assert sc.collective_action.strike_fund == 0.4


def test_reforms_switched_off_leave_the_timeline(small):
    base = mutualdep.load_scenario("transition-1992")
    n = len(base.reforms.timeline)
    changed = overrides(base, defaults(base), frozenset({0}))
    sc = mutualdep.load_scenario("transition-1992", changed)
    assert len(sc.reforms.timeline) == n - 1
    assert sc.reforms.timeline == base.reforms.timeline[1:]


def test_an_upload_may_not_reach_outside_its_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(sources.DATA_ENV, raising=False)
    for ref in ("/etc/hostname", "../../../../etc/hostname"):
        up = sources.Upload("evil.toml", f'name = "x"\nextends = "{ref}"\n'.encode())
        with pytest.raises(InputError, match=r"^evil.toml: key 'extends': expected a built-in"):
            up.load()
        up.remove()
    up = sources.Upload("evil.toml", b'name = "x"\nextends = "small-town"\ncombine = ["/etc/x"]\n')
    with pytest.raises(InputError, match=r"key 'combine\[0\]'"):
        up.load()
    up.remove()


def test_upload_errors_are_the_cli_messages_without_the_server_folder(tmp_path):
    text = b'name = "bad"\nextends = "small-town"\n[state]\nopenness = 3\n'
    up = sources.Upload("../../bad file.toml", text)
    assert up.name == "bad_file.toml" and up.path.parent == up.folder
    with pytest.raises(InputError) as caught:
        up.load()
    up.remove()
    (tmp_path / "bad_file.toml").write_bytes(text)
    with pytest.raises(InputError) as cli:
        mutualdep.load_scenario(tmp_path / "bad_file.toml")
    assert str(caught.value) == str(cli.value).replace(f"{tmp_path}/", "")
    assert str(caught.value).startswith("bad_file.toml: key 'state.openness'")


def test_the_data_folder_serves_its_files_and_nothing_else(tmp_path, monkeypatch):
    (tmp_path / "ok.toml").write_text('name = "ok"\nextends = "small-town"\n')
    monkeypatch.setenv(sources.DATA_ENV, str(tmp_path))
    assert sources.data_files() == ["ok.toml"]
    assert sources.load_from_data_folder("ok.toml").name == "ok"
    with pytest.raises(InputError, match="expected a scenario file in the app's data folder"):
        sources.load_from_data_folder("../../etc/hostname")


@pytest.fixture(scope="module")
def stepped(small):
    sim = mutualdep.Simulation(small, seed=2)
    sim.step(sim.n_days)
    return sim


def test_the_snapshot_agrees_with_the_tables(stepped):
    snap = live.snapshot(stepped)
    result = stepped.result()
    daily = participation(result, "industry").sort("industry", "date")
    present = set(daily["industry"])
    assert present and present <= set(snap.industries)
    for i, industry in enumerate(snap.industries):
        share = daily.filter(daily["industry"] == industry)["share"].to_numpy()
        if industry in present:
            np.testing.assert_allclose(snap.participation[i], share, rtol=1e-9)
        else:  # an industry with no enterprise here
            assert not snap.participation[i].any()
    assert snap.day == stepped.n_days and len(snap.dates) == snap.day
    assert ((snap.town_share >= 0) & (snap.town_share <= 1)).all()
    assert sum(r["workers"] for r in snap.enterprises) == snap.employed
    assert all(r["waiting"] > 0 and r["mean wait (years)"] >= 0 for r in snap.waiting)


def test_the_map_colours_follow_the_share_out(stepped):
    assert share_colour(0.0) == "rgb(238,238,238)" and share_colour(1.0) == "rgb(198,40,40)"
    assert QUIET.tolist() == [238, 238, 238]
    svg = town_map_svg(live.snapshot(stepped))
    assert svg.count('class="town"') == len(stepped.world.town_names)


def test_town_layout_is_deterministic_and_uses_coordinates_when_given(small):
    a, b = live.town_positions(small), live.town_positions(small)
    assert (a == b).all() and ((a >= 0) & (a <= 1)).all()
    towns = [
        SimpleNamespace(name="west", region="r", lat=50.0, lon=80.0),
        SimpleNamespace(name="east", region="r", lat=54.0, lon=90.0),
    ]
    fake = SimpleNamespace(towns=towns, regions=[SimpleNamespace(name="r")])
    xy = live.town_positions(fake)
    assert xy[0, 0] < xy[1, 0] and xy[0, 1] > xy[1, 1]  # east to the right, north up


def test_a_worker_view_shows_his_stake_threshold_and_what_he_sees(stepped):
    wid = int(live.employed_ids(stepped)[0])
    view = live.worker_view(stepped, wid)
    assert view["worker"] == wid
    assert view["in-kind stake (rub)"] == round(float(stepped.world.workers.stake[wid]))
    assert (
        view["threshold (share he needs to see out)"].endswith("%")
        or view["threshold (share he needs to see out)"] == "never"
    )
    assert live.worker_view(stepped, -1) is None
    assert live.worker_view(stepped, stepped.world.workers.n) is None


def test_compare_without_a_change_gives_zero_difference(small):
    stop = dt.date(small.start.year, 3, 31)
    c = compare(small, small, [0, 1], ALL, stop)
    assert c.base.shape == (2, (stop - small.start).days + 1)
    mean, low, high = c.interval()
    assert (mean == 0).all() and (low == 0).all() and (high == 0).all()


def test_compare_can_be_cancelled(small):
    assert compare(small, small, [0, 1], ALL, small.start, progress=lambda f: f < 0.5) is None
