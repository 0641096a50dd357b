"""Paired counterfactuals on common seeds give narrower intervals than unpaired runs."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scipy import stats
from xp_support import SHORT_UNTIL

from mutualdep.errors import InputError
from mutualdep.experiments.catalog import Catalog
from mutualdep.experiments.compare import run_compare

METRICS = ["peak_share_striking:coal", "striker_days:coal", "quits_per_1000"]
REPS = 8


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare")
    alt = folder / "fund.toml"
    alt.write_text(
        'name = "fund"\nextends = "small-town"\n[collective_action]\nstrike_fund = 0.4\n'
    )
    return folder / "out", run_compare(
        "small-town",
        str(alt),
        REPS,
        METRICS,
        folder / "out",
        until=pl.Series([SHORT_UNTIL]).str.to_date()[0],
        workers=2,
    )


def test_pairing_shrinks_every_interval(compared):
    _, table = compared
    assert table["metric"].to_list() == METRICS
    assert (table["pairs"] == REPS).all()
    for row in table.iter_rows(named=True):
        paired = row["paired_high"] - row["paired_low"]
        unpaired = row["unpaired_high"] - row["unpaired_low"]
        assert unpaired > 0, row
        assert paired < unpaired, row
        assert row["width_ratio"] == pytest.approx(paired / unpaired)


def test_intervals_match_scipy_on_the_stored_values(compared):
    """Recompute both intervals from the catalog with scipy's own t tests."""
    out, table = compared
    values = Catalog.open(out).query(
        "SELECT p.arm, r.replicate, r.seed, m.metric, "
        "m.value FROM runs r JOIN points p USING (point) "
        "JOIN metrics m USING (run_id) ORDER BY r.replicate"
    )
    seeds = {
        arm: values.filter(pl.col("arm") == arm)["seed"].unique().sort().to_list()
        for arm in ("base", "alt", "alt_unpaired")
    }
    assert seeds["base"] == seeds["alt"] == list(range(REPS))
    assert seeds["alt_unpaired"] == list(range(REPS, 2 * REPS))
    for row in table.iter_rows(named=True):
        v = values.filter(pl.col("metric") == row["metric"])
        base, alt, other = (
            v.filter(pl.col("arm") == a)["value"].to_numpy()
            for a in ("base", "alt", "alt_unpaired")
        )
        paired = stats.ttest_rel(alt, base).confidence_interval(0.95)
        welch = stats.ttest_ind(other, base, equal_var=False).confidence_interval(0.95)
        assert row["difference"] == pytest.approx(np.mean(alt - base))
        assert (row["paired_low"], row["paired_high"]) == pytest.approx((paired.low, paired.high))
        assert (row["unpaired_low"], row["unpaired_high"]) == pytest.approx((welch.low, welch.high))


def test_comparison_is_stored_and_printed(compared, cli):
    out, table = compared
    assert Catalog.open(out).query("SELECT * FROM comparison").equals(table)
    again = cli(
        "compare",
        "small-town",
        str(out.parent / "fund.toml"),
        "--reps",
        str(REPS),
        "--until",
        SHORT_UNTIL,
        "--out",
        str(out),
        "--no-progress",
        *(arg for m in METRICS for arg in ("--metric", m)),
    )
    assert again.exit_code == 0, again.output
    assert "paired (same seeds) and unpaired" in " ".join(again.stdout.split())
    assert "striker_days:coal" in again.stdout


def test_reps_below_two_rejected():
    with pytest.raises(InputError, match="at least 2"):
        run_compare("small-town", "small-town", 1)
