"""Aggregates of one run that a reader wants first: who struck, who left, who got what."""

from __future__ import annotations

import polars as pl

from mutualdep.results import Result


def participation(result: Result, by: str = "industry") -> pl.DataFrame:
    """Daily strikers, workers and share striking per industry (or town, region)."""
    days = result.enterprise_days.join(result.enterprises.select("enterprise", by), on="enterprise")
    return (
        days.group_by("date", by)
        .agg(pl.col("striking").sum(), pl.col("workers").sum())
        .with_columns((pl.col("striking") / pl.col("workers")).alias("share"))
        .sort(by, "date")
    )


def peaks(result: Result, by: str) -> pl.DataFrame:
    """Peak strikers in a day and its date, per group."""
    daily = participation(result, by)
    return (
        daily.sort("striking", descending=True)
        .group_by(by, maintain_order=True)
        .first()
        .select(
            by,
            pl.col("striking").alias("peak_striking"),
            pl.col("share").alias("peak_share"),
            pl.col("date").alias("peak_date"),
            pl.col("workers"),
        )
        .sort("peak_striking", descending=True)
    )


def flows(result: Result) -> pl.DataFrame:
    return result.turnover.group_by("cause").agg(pl.col("count").sum()).sort("cause")


def allocations(result: Result) -> pl.DataFrame:
    """Units handed out per list (leakage to insiders
    included) and the listed recipients' mean wait."""
    listed = pl.col("occupation") != "insider"
    return (
        result.allocations.group_by("list")
        .agg(
            pl.col("count").sum(),
            (
                (pl.col("wait_years_mean") * pl.col("count")).filter(listed).sum()
                / pl.col("count").filter(listed).sum()
            ).alias("mean_wait_years"),
        )
        .sort("list")
    )
