"""Start the app's server: Solara on loopback unless a host is given."""

from __future__ import annotations

import os
from pathlib import Path

from mutualdep.errors import InputError
from mutualdep.web.sources import DATA_ENV


def serve(port: int = 8765, host: str = "127.0.0.1", data: Path | None = None) -> None:
    """Serve ``mutualdep.web.app`` until interrupted. ``data`` is the only folder of the
    server's disk the page may read scenario files from."""
    if data is not None:
        if not data.is_dir():
            raise InputError(f"--data {data}: expected an existing folder")
        os.environ[DATA_ENV] = str(data.resolve())
    else:
        os.environ.pop(DATA_ENV, None)
    # the app runs offline: no usage telemetry, no look-up of newer solara releases
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    from solara.__main__ import cli

    args = ["run", "mutualdep.web.app:Page", "--host", host, "--port", str(port)]
    flags = ["--production", "--no-open", "--no-check-version"]
    cli.main(args=[*args, *flags], standalone_mode=False)
