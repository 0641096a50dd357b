"""``mutualdep query`` is read-only and sees only its experiment folder: COPY, ATTACH, settings
and reads of any other file are refused, and the stored tables are unchanged afterwards."""

from __future__ import annotations

import pytest
from xp_support import SHORT_UNTIL

from mutualdep.experiments.sweep import run_sweep

SWEEP = f"""
name = "sandbox"
scenario = "granovetter"
until = {SHORT_UNTIL}
[replications]
seeds = [1]
[outputs]
metrics = ["peak_share_striking"]
tables = ["enterprise_days"]
"""


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sandbox")
    (folder / "secret.txt").write_text("password=hunter2\n")
    (folder / "s.toml").write_text(SWEEP)
    return folder, run_sweep(folder / "s.toml", folder / "out", workers=1)


def _query(cli, catalog, sql):
    return cli("query", str(catalog.folder), sql, "--format", "csv")


def test_select_over_runs_and_kept_tables_works(swept, cli):
    _, catalog = swept
    r = _query(cli, catalog, "SELECT count(*) AS n FROM enterprise_days")
    assert r.exit_code == 0, r.output
    assert int(r.stdout.splitlines()[1]) > 0


@pytest.mark.parametrize(
    "sql",
    [
        "COPY (SELECT run_id, 0 AS striking FROM enterprise_days) "
        "TO '{tables}/enterprise_days/run-000000.parquet' (FORMAT parquet)",
        "COPY (SELECT 1) TO '{tables}/enterprise_days/extra.parquet' (FORMAT parquet)",
        "ATTACH '{root}/other.duckdb' AS other",
        "SET enable_external_access = true",
        "PRAGMA disable_checkpoint_on_shutdown",
        "INSERT INTO runs SELECT * FROM runs",
        "SELECT * FROM read_csv('{root}/secret.txt')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM glob('{root}/*')",
        "SELECT 1; COPY (SELECT 1) TO '{root}/x.csv'",
    ],
)
def test_writes_and_outside_reads_are_refused(swept, cli, sql):
    root, catalog = swept
    stored = catalog.folder / "tables" / "enterprise_days" / "run-000000.parquet"
    before = stored.read_bytes()
    listing = sorted(p.name for p in root.rglob("*"))
    r = _query(cli, catalog, sql.format(root=root, tables=catalog.folder / "tables"))
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and "hunter2" not in r.output
    assert stored.read_bytes() == before
    assert sorted(p.name for p in root.rglob("*")) == listing
