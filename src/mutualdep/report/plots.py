"""Static figures (matplotlib, no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from mutualdep.report.summary import participation  # noqa: E402
from mutualdep.results import Result  # noqa: E402


def plot_participation(result: Result, path: str | Path, by: str = "industry") -> Path:
    """Share of workers on strike each day, one line per industry (or town, region)."""
    daily = participation(result, by)
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    for (group,), frame in daily.group_by(by, maintain_order=True):
        ax.plot(frame["date"].to_list(), (100 * frame["share"]).to_list(), label=str(group), lw=1.6)
    ax.set_ylabel("workers on strike (%)")
    ax.set_title(f"{result.info['scenario']}, seed {result.info['seed']}: strike participation by {by}")
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, ncol=2)
    fig.autofmt_xdate()
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.partial{path.suffix}")
    fig.savefig(tmp)
    plt.close(fig)
    tmp.replace(path)
    return path
