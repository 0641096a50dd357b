"""Static figures (matplotlib, no display needed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import matplotlib
import polars as pl

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from mutualdep.report.summary import participation  # noqa: E402
from mutualdep.results import Result  # noqa: E402


def plot_participation(result: Result, path: str | Path, by: str = "industry") -> Path:
    """Share of workers on strike each day, one line per industry (or town, region).

    A second panel zooms on the weeks with strikes, which a year-long axis squeezes to a spike.
    """
    daily = participation(result, by)
    struck = daily.filter(pl.col("striking") > 0)["date"]
    zoom = None
    if len(struck):
        pad = dt.timedelta(days=10)
        zoom = (struck.min() - pad, struck.max() + pad)
    fig, axes = plt.subplots(
        2 if zoom else 1, 1, figsize=(9, 7 if zoom else 4.5), dpi=110, squeeze=False
    )
    for ax, window in zip(axes[:, 0], (None, zoom), strict=False):
        frame_all = daily if window is None else daily.filter(pl.col("date").is_between(*window))
        for (group,), frame in frame_all.group_by(by, maintain_order=True):
            ax.plot(
                frame["date"].to_list(), (100 * frame["share"]).to_list(), label=str(group), lw=1.6
            )
        ax.set_ylabel("workers on strike (%)")
        ax.grid(alpha=0.3)
        ax.tick_params(axis="x", labelrotation=25)
    axes[0, 0].set_title(
        f"{result.info['scenario']}, seed {result.info['seed']}: strike participation by {by}"
    )
    axes[0, 0].legend(frameon=False, ncol=2)
    if zoom:
        axes[1, 0].set_title("the weeks with strikes", fontsize=10)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.partial{path.suffix}")
    fig.savefig(tmp)
    plt.close(fig)
    tmp.replace(path)
    return path
