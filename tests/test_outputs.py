"""Output folders: mutualdep replaces only folders it wrote, never a user's files, the current
folder, its parents, home or ``/``; a failed write leaves the previous folder as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mdsupport import run_cli
from mutualdep.errors import InputError
from mutualdep.experiments.catalog import Catalog
from mutualdep.outputs import MARKER, check_target, clean_stale, kind_of, printable, write_folder


def _fill(text: str):
    def fill(tmp: Path) -> None:
        (tmp / "run.json").write_text(text)

    return fill


def test_new_folder_is_written_and_marked(tmp_path):
    out = write_folder(tmp_path / "a" / "r", "run", _fill("one"))
    assert (out / "run.json").read_text() == "one"
    assert kind_of(out) == "run"
    assert sorted(p.name for p in tmp_path.joinpath("a").iterdir()) == ["r"]


def test_an_earlier_run_folder_is_replaced(tmp_path):
    write_folder(tmp_path / "r", "run", _fill("one"))
    write_folder(tmp_path / "r", "run", _fill("two"))
    assert (tmp_path / "r" / "run.json").read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_a_user_folder_is_refused_and_kept(tmp_path):
    user = tmp_path / "d"
    user.mkdir()
    (user / "chapter1.txt").write_text("notes")
    with pytest.raises(InputError, match="chapter1.txt"):
        write_folder(user, "run", _fill("x"))
    assert (user / "chapter1.txt").read_text() == "notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]


def test_a_regular_file_is_refused(tmp_path):
    f = tmp_path / "f"
    f.write_text("keep")
    with pytest.raises(InputError, match="is a file"):
        check_target(f, "run")
    with pytest.raises(InputError, match="is a file, not a folder"):
        check_target(f / "inside", "run")
    assert f.read_text() == "keep"


@pytest.mark.parametrize("where", [".", "..", "", "sub/../.."])
def test_current_folder_and_parents_are_refused(tmp_path, monkeypatch, where):
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    with pytest.raises(InputError):
        check_target(where, "run")


def test_root_and_home_are_refused_without_touching_them(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="refusing"):
        check_target(home, "run")  # empty, yet never a place to write a run
    with pytest.raises(InputError, match="refusing"):
        check_target("/", "run")
    with pytest.raises(InputError, match="refusing"):
        write_folder("/", "run", _fill("x"))


def test_an_experiment_folder_is_not_replaced_by_a_run(tmp_path):
    exp = Catalog.open_or_create(
        tmp_path / "exp",
        name="e",
        kind="sweep",
        spec={},
        fingerprint="f",
        columns={},
        metrics=[],
        tables=[],
        points=[{}],
        runs=[],
    )
    assert kind_of(exp.folder) == "experiment"
    with pytest.raises(InputError, match="of kind 'experiment', not 'run'"):
        write_folder(exp.folder, "run", _fill("x"))
    assert (exp.folder / "catalog.duckdb").is_file()
    run = write_folder(tmp_path / "run", "run", _fill("x"))
    with pytest.raises(InputError, match="of kind 'run', not 'experiment'"):
        Catalog.open_or_create(
            run,
            name="e",
            kind="sweep",
            spec={},
            fingerprint="f",
            columns={},
            metrics=[],
            tables=[],
            points=[],
            runs=[],
        )


def test_a_failed_write_keeps_the_previous_folder(tmp_path):
    write_folder(tmp_path / "r", "run", _fill("good"))

    def broken(tmp: Path) -> None:
        (tmp / "run.json").write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_folder(tmp_path / "r", "run", broken)
    assert (tmp_path / "r" / "run.json").read_text() == "good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_stale_partials_are_cleaned_but_not_a_users_look_alike(tmp_path):
    ours = tmp_path / ".r.partial-abc"
    ours.mkdir()
    (ours / MARKER).write_text("run\n")
    theirs = tmp_path / ".r.partial-mine"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("keep")
    write_folder(tmp_path / "r", "run", _fill("x"))
    assert not ours.exists()
    assert (theirs / "notes.txt").read_text() == "keep"


def test_a_kill_between_the_two_renames_is_undone(tmp_path):
    """The old folder moved aside, the new one not yet in: the next write puts it back first."""
    previous = tmp_path / ".r.previous-123"
    previous.mkdir()
    (previous / MARKER).write_text("run\n")
    (previous / "run.json").write_text("good")
    clean_stale(tmp_path / "r")
    assert (tmp_path / "r" / "run.json").read_text() == "good"
    assert not previous.exists()


def test_control_characters_are_stripped():
    assert printable("T\x1b[31mown\x07\x9b") == "T[31mown"
    assert printable("a\tb\nc") == "a\tb\nc"


# ------------------------------------------------------------------ the real command line


def test_cli_refuses_a_user_folder(tmp_path):
    user = tmp_path / "d"
    user.mkdir()
    (user / "chapter1.txt").write_text("notes")
    r = run_cli("run", "granovetter", "--out", str(user), "--quiet", cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert "chapter1.txt" in r.stderr and "Traceback" not in r.stderr
    assert (user / "chapter1.txt").read_text() == "notes"


@pytest.mark.parametrize("where", [".", ".."])
def test_cli_refuses_here_and_parent(tmp_path, where):
    (tmp_path / "work").mkdir()
    (tmp_path / "keep.txt").write_text("k")
    (tmp_path / "work" / "keep.txt").write_text("k")
    r = run_cli("run", "granovetter", "--out", where, "--quiet", cwd=tmp_path / "work")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert (tmp_path / "keep.txt").exists() and (tmp_path / "work" / "keep.txt").exists()


def test_cli_scenario_name_stays_inside_the_current_folder(tmp_path):
    victim = tmp_path / "victim-seed0"
    victim.mkdir()
    (victim / "v.txt").write_text("v")
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    (work / "s.toml").write_text('name = "../../victim"\nextends = "granovetter"\n')
    r = run_cli("run", "s.toml", "--quiet", cwd=work)
    assert r.returncode == 0, r.stderr
    assert (victim / "v.txt").read_text() == "v"
    assert (work / "runs" / "victim-seed0" / "run.json").is_file()
    assert os.listdir(work / "runs") == ["victim-seed0"]


def test_cli_rerun_replaces_its_own_folder_and_plot_must_be_png(tmp_path):
    args = ("run", "granovetter", "--out", "r", "--quiet")
    assert run_cli(*args, cwd=tmp_path).returncode == 0
    first = (tmp_path / "r" / "run.json").stat().st_mtime_ns
    assert run_cli(*args, cwd=tmp_path).returncode == 0
    assert (tmp_path / "r" / "run.json").stat().st_mtime_ns >= first
    r = run_cli("run", "granovetter", "--out", "p", "--plot", "x.txt", "--quiet", cwd=tmp_path)
    assert r.returncode == 2 and ".png" in r.stderr
    assert not (tmp_path / "p").exists()


def test_an_old_run_folder_without_marker_is_recognised_only_if_it_holds_only_tables(tmp_path):
    old = tmp_path / "old"
    old.mkdir()
    (old / "run.json").write_text("{}")
    (old / "events.parquet").write_bytes(b"")
    assert kind_of(old) == "run"
    (old / "thesis.docx").write_text("mine")
    assert kind_of(old) is None
    with pytest.raises(InputError, match="thesis.docx"):
        write_folder(old, "run", _fill("x"))
    assert (old / "thesis.docx").read_text() == "mine"


def test_cli_never_prints_control_characters_from_a_scenario(tmp_path):
    (tmp_path / "s.toml").write_text('name = "T\\u001b[2J"\nextends = "granovetter"\n')
    town = ["--set", 'towns.0.name="t\\u001b[31m"', "--set", 'enterprises.0.town="t\\u001b[31m"']
    for args in (
        ("validate", "s.toml", *town),
        ("run", "s.toml", "--out", "o", "--until", "1989-07-05", *town),
    ):
        r = run_cli(*args, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert "T[2J" in r.stdout and "\x1b" not in r.stdout + r.stderr


def test_report_files_go_beside_other_files_and_replace_only_their_own(tmp_path):
    from mutualdep.evidence.runner import SIGNATURES
    from mutualdep.outputs import write_files

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "guide.md").write_text("mine")
    texts = {"evidence.md": SIGNATURES["evidence.md"] + " (2)\n", "evidence.json": '{"facts": []}'}
    write_files(docs, texts, SIGNATURES)
    write_files(docs, {**texts, "evidence.md": SIGNATURES["evidence.md"] + " (3)\n"}, SIGNATURES)
    assert (docs / "evidence.md").read_text().endswith("(3)\n")
    assert sorted(p.name for p in docs.iterdir()) == ["evidence.json", "evidence.md", "guide.md"]
    (docs / "evidence.md").write_text("my own notes")
    with pytest.raises(InputError, match="evidence.md exists and was not written by mutualdep"):
        write_files(docs, texts, SIGNATURES)
    assert (docs / "evidence.md").read_text() == "my own notes"
    assert (docs / "evidence.json").read_text() == '{"facts": []}'
    (tmp_path / "f").write_text("x")
    with pytest.raises(InputError, match="is a file"):
        write_files(tmp_path / "f", texts, SIGNATURES)
