"""What a user sees, in a real browser: the page loads, stepping moves the date, a lever changes
the run, the map reddens as the wave spreads, compare draws two curves and their difference,
bad files and paths outside the data folder are refused with the CLI's clear message.

Screenshots go to a temporary folder; with MUTUALDEP_SCREENSHOTS=docs they refresh the README's
pictures in docs/img/ instead.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

import mutualdep
from conftest import IMG

QUIET = "rgb(238,238,238)"
pytestmark = pytest.mark.slow


def shot(page, tmp_path, name: str) -> None:
    folder = IMG if os.environ.get("MUTUALDEP_SCREENSHOTS") == "docs" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


def date_text(page) -> str:
    return page.locator(".mutualdep-date").inner_text()


def slider(page, label: str, value: float) -> None:
    """Move the slider labelled ``label: N`` to ``value`` with the keyboard, one key at a time,
    waiting for the page to show each new value (keys pressed during a redraw can be lost)."""
    box = page.locator(".v-input", has_text=f"{label}: ")

    def shown() -> float:
        return float(re.search(rf"{label}: ([\d.]+)", box.first.inner_text()).group(1))

    for _ in range(200):
        now = shown()
        if now == value:
            return
        box.locator("[role=slider]").first.focus()
        page.keyboard.press("ArrowRight" if now < value else "ArrowLeft")
        page.wait_for_function(
            "([el, old]) => !el.innerText.includes(old)",
            arg=[box.first.element_handle(), f"{label}: {now:g}"],
        )
    raise AssertionError(f"slider {label} did not reach {value}")


def step(page, times: int, days_each: int) -> None:
    for _ in range(times):
        m = re.search(r"day (\d+) of", date_text(page))
        before = int(m.group(1)) if m else 0
        page.get_by_role("button", name="Step").click()
        page.get_by_text(f"(day {before + days_each} of").wait_for()


def strikers(page) -> int:
    m = re.search(r"([\d,]+) of [\d,]+ on strike", date_text(page))
    assert m, date_text(page)
    return int(m.group(1).replace(",", ""))


def quick_setup(page, days_per_frame: int) -> None:
    """Scale 10 (fast) and a number of days per frame, then Setup / Reset."""
    slider(page, "Scale", 10)
    slider(page, "Days per frame", days_per_frame)
    page.get_by_role("button", name="Setup / Reset").click()
    page.get_by_text("before 01 January 1989").wait_for()


def towns(page) -> list[tuple[str, float]]:
    """(fill colour, share out) of each town on the map, once it shows the date's day."""
    day = re.search(r"day (\d+) of", date_text(page))
    page.locator(f"svg[data-day='{day.group(1) if day else 0}']").wait_for()
    return page.locator("circle.town").evaluate_all(
        "els => els.map(e => [e.getAttribute('fill').replace(/ /g, ''),"
        " parseFloat(e.getAttribute('data-share'))])"
    )


def test_page_loads_with_date_levers_and_views(page, tmp_path):
    assert "kuzbass-1989" in date_text(page) and "before 01 January 1989" in date_text(page)
    for label in ("Strike fund", "Management threat", "Openness", "Communication", "Scale"):
        assert page.locator(".v-input", has_text=label).count() >= 1, label
    assert page.locator("circle.town").count() == 10
    for tab in ("Watch", "Compare", "Lessons", "Info", "Download"):
        assert page.get_by_role("tab", name=tab).count() == 1
    shot(page, tmp_path, "web-start")


def test_step_advances_the_date_and_step_is_disabled_while_playing(page):
    page.get_by_role("button", name="Step").click()
    page.get_by_text("01 January 1989 (day 1 of 365)").wait_for()
    step(page, 2, 1)
    assert "03 January 1989 (day 3 of 365)" in date_text(page)
    page.get_by_role("button", name="Play").click()
    expect(page.get_by_role("button", name="Step")).to_be_disabled()
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()
    expect(page.get_by_role("button", name="Step")).to_be_enabled()


def test_a_lever_changed_before_a_run_changes_the_result(page):
    quick_setup(page, 15)
    step(page, 13, 15)  # to 14 July 1989, in the wave
    assert "14 July 1989" in date_text(page)
    default = strikers(page)
    assert default > 0
    box = page.locator(".v-input", has_text="Strike fund: ")
    box.locator("[role=slider]").focus()
    page.keyboard.press("End")
    box.get_by_text("Strike fund: 1").wait_for()
    page.get_by_role("button", name="Setup / Reset").click()
    page.get_by_text("before 01 January 1989").wait_for()
    step(page, 13, 15)
    with_fund = strikers(page)
    assert with_fund != default
    page.get_by_role("button", name="Setup / Reset").click()  # a second reset keeps the lever
    page.get_by_text("before 01 January 1989").wait_for()
    step(page, 13, 15)
    assert strikers(page) == with_fund


def test_the_map_reddens_as_the_wave_spreads(page, tmp_path):
    # The 1989 wave is marginal under the refit: at scale 10 it starts in seed 2 and not in
    # seeds 0-1 (docs/decision.md). This test is about the map, so it takes a seed with a wave.
    seed = page.locator(".v-input", has=page.locator("label", has_text=re.compile(r"^Seed$")))
    seed.locator("input").fill("2")
    seed.locator("input").press("Enter")
    quick_setup(page, 30)
    step(page, 6, 30)  # to 29 June 1989: before the spark
    assert {fill for fill, _ in towns(page)} == {QUIET}
    slider(page, "Days per frame", 2)
    red = []  # towns at least a tenth out, drawn clearly red
    for _ in range(8):  # to 15 July
        step(page, 1, 2)
        now = towns(page)
        assert all(fill != QUIET for fill, share in now if share >= 0.01)
        red.append(sum(share >= 0.1 for _, share in now))
    page.get_by_role("button", name="Pick one at random").click()
    page.get_by_text("in-kind stake (rub)").wait_for()
    assert page.get_by_text("threshold (share he needs to see out)").count() == 1
    shot(page, tmp_path, "web-app")
    assert red[0] == 0 and red[-1] >= 7, red
    assert red == sorted(red), red


def test_compare_shows_two_curves_and_a_difference(page, tmp_path):
    quick_setup(page, 1)
    page.get_by_role("tab", name="Compare").click()
    page.locator(".v-input", has_text="Until").locator("input").fill("1989-07-31")
    page.keyboard.press("Enter")
    slider(page, "Seeds", 3)
    page.get_by_role("button", name="Compare").click()
    page.locator(".compare-summary").wait_for(timeout=120_000)
    page.get_by_role("button", name="Compare").wait_for()  # finished, not cancelled
    plots = page.locator(".bqplot")
    # the difference plot is drawn last (under load, after the summary): wait for it
    expect(plots.last.locator("g.curve")).to_have_count(3)  # the interval's edges and the mean
    curves, difference = plots.all()[-2:]
    expect(curves.locator("g.curve")).to_have_count(2)  # without and with the change
    page.wait_for_timeout(500)  # let the browser finish drawing before the picture
    legend = " ".join(curves.locator(".g_legend").all_text_contents())
    assert "collective_action.strike_fund = 0.0" in legend
    assert "collective_action.strike_fund = 1.0" in legend
    assert re.search(
        r"Largest mean difference [+-]\d", page.locator(".compare-summary").inner_text()
    )
    assert page.get_by_text("Difference (changed minus now), 95% interval").count() == 1
    shot(page, tmp_path, "web-compare")


def cli_message(tmp_path, name: str, text: str) -> str:
    """What `mutualdep validate` says of the same file, without its folder."""
    path = tmp_path / name
    path.write_text(text)
    out = subprocess.run(
        [sys.executable, "-m", "mutualdep", "validate", str(path)], capture_output=True, text=True
    )
    assert out.returncode == 2
    return " ".join(out.stderr.split()).removeprefix("error: ").replace(f"{tmp_path}/", "")


def upload(page, name: str, text: str) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload").click()
    chooser.value.set_files(
        files=[{"name": name, "mimeType": "text/plain", "buffer": text.encode()}]
    )


def test_an_uploaded_bad_file_shows_the_clear_error(page, tmp_path):
    bad = 'name = "bad"\nextends = "small-town"\n[collective_action]\nstrike_fund = 2.0\n'
    upload(page, "bad.toml", bad)
    error = page.locator(".mutualdep-error")
    error.wait_for()
    expected = cli_message(tmp_path, "bad.toml", bad)
    assert "bad.toml: key 'collective_action.strike_fund'" in expected
    assert " ".join(error.inner_text().split()) == expected
    assert "Traceback" not in page.locator("body").inner_text()
    shot(page, tmp_path, "web-error")
    upload(page, "good.toml", 'name = "good"\nextends = "small-town"\n')
    page.get_by_text("good · seed 0").wait_for()
    expect(page.locator(".mutualdep-error")).to_have_count(0)


def test_a_path_outside_the_data_folder_is_refused(page):
    upload(page, "outside.toml", 'name = "x"\nextends = "/etc/hostname"\n')
    error = page.locator(".mutualdep-error")
    error.wait_for()
    assert "outside.toml: key 'extends': expected a built-in scenario or a file in the app's " in (
        " ".join(error.inner_text().split())
    )
    assert "'/etc/hostname'" in error.inner_text()
    # a file of the data folder may not reach out of it either
    page.locator(".v-select", has_text="From the data folder").click()
    page.get_by_role("option", name="sneaky.toml").click()
    page.get_by_text("sneaky.toml: key 'extends': expected a built-in scenario").wait_for()
    page.locator(".v-select", has_text="From the data folder").click()
    page.get_by_role("option", name="small.toml").click()
    page.get_by_text("small-from-data · seed 0").wait_for()


def test_each_tab_has_its_own_simulation(page, browser, server):
    other = browser.new_page()
    other.goto(server)
    other.locator(".mutualdep-date").wait_for(timeout=60_000)
    step(page, 2, 1)
    assert "day 2 of 365" in date_text(page)
    assert "before 01 January 1989" in date_text(other)
    other.close()


def test_downloads_equal_the_run(page):
    quick_setup(page, 3)
    step(page, 1, 3)
    page.get_by_role("tab", name="Download").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Enterprise days (CSV)").click()
    got = Path(download.value.path()).read_bytes()
    sc = mutualdep.load_scenario("kuzbass-1989", {"scale": 10})
    result = mutualdep.run(sc, seed=0, until=dt.date(1989, 1, 3))
    assert got == result.enterprise_days.write_csv().encode()
    with page.expect_download() as download:
        page.get_by_role("button", name="Report of the run (HTML)").click()
    report = Path(download.value.path()).read_text()
    assert "kuzbass-1989, seed 0" in report and "data:image/png;base64," in report


def test_a_lesson_loads_its_world_and_text(page, tmp_path):
    page.get_by_role("tab", name="Lessons").click()
    lesson = page.locator(".v-card", has_text="Ablation: a portable stake")
    lesson.get_by_role("button", name="Load this lesson").click()
    page.get_by_text("30 June 1989 (day 181 of 365)").wait_for()
    page.get_by_role("tab", name="Watch").click()
    page.get_by_text("Ablation: a portable stake.").wait_for()
    page.wait_for_timeout(800)  # the tabs slide: take the picture once they have
    assert "Scale: 10" in page.locator(".v-input", has_text="Scale: ").first.inner_text()
    shot(page, tmp_path, "web-lesson")
