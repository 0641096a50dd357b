"""Where the app's scenarios come from: the built-ins, the data folder, and uploads.

The page may read no file on the server's disk outside its data folder. An uploaded file is
kept in a private folder of its own; it and the data folder's files may name, in ``extends``
and ``combine``, only built-ins and files inside these folders. Errors are the CLI's messages,
with the private folder's path taken out so the page names only the file the user gave.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from mutualdep.errors import InputError
from mutualdep.scenario import Scenario, builtin_names, load_scenario

DATA_ENV = "MUTUALDEP_WEB_DATA"  # the data folder, set by ``mutualdep serve --data``


def data_folder() -> Path | None:
    text = os.environ.get(DATA_ENV)
    return Path(text).resolve() if text else None


def data_files() -> list[str]:
    """Scenario files in the data folder, as paths relative to it."""
    root = data_folder()
    if root is None or not root.is_dir():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.toml") if p.is_file())


def inside(path: Path, roots: list[Path]) -> bool:
    real = path.resolve()
    return any(real.is_relative_to(root) for root in roots)


def check_references(path: Path, roots: list[Path], shown: str) -> None:
    """Refuse ``extends``/``combine`` names that are neither built-ins nor files in ``roots``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return  # load_scenario says what is wrong with it
    refs: list[tuple[str, Any]] = [("extends", data.get("extends"))]
    combine = data.get("combine", [])
    if isinstance(combine, list):
        refs += [(f"combine[{i}]", ref) for i, ref in enumerate(combine)]
    for key, ref in refs:
        if not isinstance(ref, str) or ref in builtin_names():
            continue
        target = path.parent / ref
        if not inside(target, roots):
            raise InputError(
                f"{shown}: key '{key}': expected a built-in scenario or a file in the app's "
                f"data folder, got {ref!r} (the app reads no other file on the server)"
            )
        if target.is_file():
            check_references(target, roots, shown)


def load_from_data_folder(name: str, overrides: dict[str, Any] | None = None) -> Scenario:
    """A file of the data folder, named relative to it."""
    root = data_folder()
    if root is None or not inside(root / name, [root]) or not (root / name).is_file():
        raise InputError(f"{name}: expected a scenario file in the app's data folder")
    path = root / name
    check_references(path, [root], name)
    return _load(path, overrides, {str(root) + os.sep: ""})


class Upload:
    """An uploaded scenario, kept in a private temporary folder for this browser tab."""

    def __init__(self, filename: str, content: bytes):
        self.name = _safe_name(filename)
        self.folder = Path(tempfile.mkdtemp(prefix="mutualdep-upload-"))
        self.path = self.folder / self.name
        self.path.write_bytes(content)

    def load(self, overrides: dict[str, Any] | None = None) -> Scenario:
        roots = [self.folder.resolve()] + ([data_folder()] if data_folder() else [])
        check_references(self.path, roots, self.name)
        return _load(self.path, overrides, {str(self.folder) + os.sep: ""})

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
        self.folder.rmdir()


def load_builtin(name: str, overrides: dict[str, Any] | None = None) -> Scenario:
    if name not in builtin_names():
        raise InputError(
            f"{name}: not a built-in scenario (built-ins: {', '.join(builtin_names())})"
        )
    return load_scenario(name, overrides)


def _load(path: Path, overrides: dict[str, Any] | None, hide: dict[str, str]) -> Scenario:
    try:
        return load_scenario(path, overrides)
    except InputError as exc:
        text = str(exc)
        for prefix, shown in hide.items():
            text = text.replace(prefix, shown)
        raise InputError(text) from None


def _safe_name(filename: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]", "_", Path(filename).name) or "upload.toml"
    return name if name.endswith(".toml") else name + ".toml"
