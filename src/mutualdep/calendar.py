"""Integer days on a real calendar.

Day 0 is the scenario's start date. Everything that happens on a calendar (monthly pay and
plan, quarterly storming, yearly housing completions) asks this helper, which precomputes
flags once so the daily loop only indexes arrays.
"""

from __future__ import annotations

import datetime as dt

import numpy as np


class Calendar:
    def __init__(self, start: dt.date, end: dt.date):
        self.start = start
        self.end = end
        self.n_days = (end - start).days + 1
        self.dates = [start + dt.timedelta(days=d) for d in range(self.n_days)]
        self.month_start = np.array([d.day == 1 for d in self.dates]) | (
            np.arange(self.n_days) == 0
        )
        self.month_end = np.array([(d + dt.timedelta(days=1)).day == 1 for d in self.dates]) | (
            np.arange(self.n_days) == self.n_days - 1
        )
        self.year = np.array([d.year for d in self.dates], dtype=np.int32)
        self.month_index = np.array([(d.year - 1900) * 12 + d.month - 1 for d in self.dates])
        self.days_left_in_quarter = np.array([_days_to_quarter_end(d) for d in self.dates])
        self.year_end = np.array([d.month == 12 and d.day == 31 for d in self.dates])

    def day_of(self, when: dt.date) -> int:
        """Day number of a date (may be negative or beyond the run)."""
        return (when - self.start).days

    def date(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=day)

    def fractional_year(self, day: int) -> float:
        d = self.date(day)
        return d.year + (d.timetuple().tm_yday - 1) / 365.25

    def days_in_month(self, day: int) -> int:
        d = self.date(day)
        nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return (nxt - dt.date(d.year, d.month, 1)).days

    def is_annual(self, day: int, month_day: tuple[int, int]) -> bool:
        d = self.dates[day]
        return (d.month, d.day) == month_day


def _days_to_quarter_end(d: dt.date) -> int:
    q_end_month = ((d.month - 1) // 3 + 1) * 3
    nxt = dt.date(d.year + (q_end_month == 12), q_end_month % 12 + 1, 1)
    return (nxt - d).days - 1
