"""Output folders: mutualdep replaces only what it wrote itself, and a write is all or nothing.

Every folder a command writes (a run, an experiment catalog) carries a marker file
``.mutualdep`` naming its kind. ``check_target`` refuses, with an ``InputError``,
a path that is a file, a folder holding anything mutualdep did not write, a folder of another
kind, and the places no command should ever replace: ``/``, the home folder, the current folder
and its parents. ``write_folder`` builds the new content in a hidden ``.NAME.partial-*`` folder
beside the target and swaps it in by renames, so a failure or a kill leaves the previous good
folder in place (or, for the instant between two renames, under ``.NAME.previous-*``, from
where the next write restores it).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from mutualdep.errors import InputError

MARKER = ".mutualdep"
# Folders written before the marker existed: recognised by their key file, and only if
# everything in them is something mutualdep writes there.
_LEGACY = {
    "run": ("run.json", re.compile(r"run\.json|[a-z_]+\.parquet")),
}
_PARTIAL, _PREVIOUS = ".partial-", ".previous-"


def kind_of(folder: Path) -> str | None:
    """The kind of mutualdep folder ``folder`` is, or None if mutualdep did not write it."""
    marker = folder / MARKER
    if marker.is_file():
        return marker.read_text(errors="replace").strip() or None
    for kind, (key, names) in _LEGACY.items():
        if (folder / key).is_file() and all(names.fullmatch(p.name) for p in folder.iterdir()):
            return kind
    if (folder / "catalog.duckdb").is_file():  # an experiment is resumed in place, never replaced
        return "experiment"
    return None


def check_target(target: str | Path, kind: str, option: str = "--out") -> Path:
    """``target`` if a ``kind`` folder may be written there, else an InputError saying why."""
    if str(target).strip() == "":
        raise InputError(f"{option}: expected a folder name, got an empty path")
    path = Path(target)
    real = path.resolve()
    if real == Path(real.anchor) or real == Path.home().resolve():
        raise InputError(f"{option} {path}: refusing to write into {real}; give a new folder")
    if Path.cwd().resolve().is_relative_to(real):
        raise InputError(
            f"{option} {path}: is the current folder or one of its parents; give a new folder"
        )
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise InputError(f"{option} {path}: is a file, not a folder; give a new folder name")
    ancestor = next(p for p in path.absolute().parents if p.exists())
    if not ancestor.is_dir():
        raise InputError(f"{option} {path}: {ancestor} is a file, not a folder")
    if path.is_dir() and any(path.iterdir()):
        found = kind_of(path)
        if found is None:
            first = sorted(p.name for p in path.iterdir())[:3]
            raise InputError(
                f"{option} {path}: holds files mutualdep did not write ({', '.join(first)}); "
                "give a new folder, or move those files away first"
            )
        if found != kind:
            raise InputError(
                f"{option} {path}: is a mutualdep folder of kind {found!r}, not {kind!r}; "
                "give another folder"
            )
    return path


def mark(folder: Path, kind: str) -> None:
    (folder / MARKER).write_text(kind + "\n")


def clean_stale(target: Path) -> None:
    """Remove hidden partial folders mutualdep left beside ``target`` when killed; put back a
    previous folder that a kill caught between the two renames of a swap."""
    parent = target.parent
    if not parent.is_dir():
        return
    pattern = re.compile(re.escape("." + target.name) + f"({_PARTIAL}|{_PREVIOUS})")
    for stale in sorted(parent.iterdir()):
        m = pattern.match(stale.name)
        if m is None or not stale.is_dir() or stale.is_symlink():
            continue
        if not any(stale.iterdir()):  # killed before its marker was written
            stale.rmdir()
            continue
        if kind_of(stale) is None:
            continue
        if m.group(1) == _PREVIOUS and not target.exists():
            os.replace(stale, target)
        else:
            shutil.rmtree(stale)


def write_folder(target: str | Path, kind: str, fill: Callable[[Path], None]) -> Path:
    """Write a ``kind`` folder at ``target``: ``fill(tmp)`` writes the content into a fresh
    hidden folder, which then replaces the target; on any failure the target is left as it was."""
    path = check_target(target, kind)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(path)
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}{_PARTIAL}", dir=path.parent))
    except OSError as exc:
        raise InputError(f"--out {path}: cannot write there: {exc.strerror}") from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp's folder is private; an output is not
        mark(tmp, kind)
        fill(tmp)
        swap_in(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return path


def swap_in(tmp: Path, path: Path) -> None:
    """Move a finished folder onto ``path``, keeping the old one until the new is in place."""
    if not path.exists():
        os.replace(tmp, path)
        return
    previous = path.parent / f".{path.name}{_PREVIOUS}{os.getpid()}"
    os.replace(path, previous)
    try:
        os.replace(tmp, path)
    except BaseException:
        os.replace(previous, path)
        raise
    shutil.rmtree(previous)


def check_files(folder: str | Path, signatures: dict[str, str]) -> Path:
    """``folder`` if report files named as in ``signatures`` may be written into it: each is new,
    or a regular file whose first 4 kB contain its signature (mutualdep wrote it)."""
    path = Path(folder)
    if str(folder).strip() == "":
        raise InputError("--out: expected a folder name, got an empty path")
    if path.exists() and not path.is_dir():
        raise InputError(f"--out {path}: is a file, not a folder; give a folder name")
    for name, signature in signatures.items():
        target = path / name
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise InputError(f"--out {path}: {name} is not a regular file; move it away first")
        if target.exists():
            with open(target, "rb") as f:
                head = f.read(4096).decode("utf-8", errors="replace")
            if signature not in head:
                raise InputError(
                    f"--out {path}: {name} exists and was not written by mutualdep; "
                    "give another folder, or move it away first"
                )
    return path


def write_files(folder: str | Path, texts: dict[str, str], signatures: dict[str, str]) -> Path:
    """Write report files into a folder that may hold other files (``evidence --out docs``):
    nothing unless every one may be (``check_files``), each under a temporary name renamed
    over its target."""
    path = check_files(folder, {name: signatures[name] for name in texts})
    path.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        tmp = path / f".{name}{_PARTIAL}{os.getpid()}"
        try:
            tmp.write_text(text)
            os.replace(tmp, path / name)
        finally:
            tmp.unlink(missing_ok=True)
    return path


def safe_name(name: str, limit: int = 80) -> str:
    """A file name made from a scenario or experiment name: never a path, never hidden."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip(".-")[:limit]
    return slug or "scenario"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` without control characters (ANSI escapes cannot reach the terminal)."""
    return _CONTROL.sub("", text)
