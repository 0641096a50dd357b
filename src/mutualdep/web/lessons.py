"""Guided presets: a scenario, some lever values and a short text of what to watch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from mutualdep.evidence.facts import PORTABLE_STAKE, STEEL_PACKAGE_FOR_MINERS


@dataclass(frozen=True)
class Lesson:
    title: str
    scenario: str
    text: str
    notice: str
    levers: dict[str, Any] = field(default_factory=dict)  # lever keys shown as controls
    overrides: dict[str, Any] = field(default_factory=dict)  # other scenario keys
    compare: str | None = None  # a lever worth comparing afterwards


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "The July 1989 wave",
        "kuzbass-1989",
        "On the night of 10 July 1989 one shift at a Mezhdurechensk mine refused to go down. "
        "Within a week almost every mine of the Kuzbass had stopped. In the model each miner "
        "joins when the share out that he sees around him (his brigade, his mine, his town, and "
        "the strike committees' news from other towns) passes his own threshold.",
        "Play from early July. Watch the map: Mezhdurechensk turns red first, then committees "
        "link it to the other towns and they follow within days. The wave ends when the state "
        "signs a protocol (a marker on the chart).",
        levers={"scale": 10},
    ),
    Lesson(
        "Why steel stayed at work",
        "kuzbass-1989",
        "The steelworkers of the same towns, with the same shortages, did not strike in 1989. "
        "The sources' answer: their plants gave them flats, cars, holidays and food orders "
        "through waiting lists, a stake they would lose if punished as the first to strike. "
        "In this model every stake is built from each worker's own places on the lists, with "
        "no flat per-industry goods; built that way, most steelworkers have little at stake "
        "and the model's steel plants DO strike. That gap between model and record is the "
        "open question this lesson is about.",
        "Compare the coal and steel lines on the chart, then pick a steelworker in the worker "
        "panel: how large is his stake, and how far is his threshold from what he sees? Try "
        "raising management's threat, the goods an enterprise hands out in kind, or a single "
        "line instead of the privileged lists, and ask which one the sources would support.",
        levers={"scale": 10},
        compare="distribution.rule",
    ),
    Lesson(
        "Ablation: a portable stake",
        "kuzbass-1989",
        "The thesis says that dependence on the enterprise kept steelworkers quiet. Take it away: "
        "from January 1989 the town takes over housing and services, so nothing in kind is lost "
        "by striking. If the thesis is right, the steel plants strike more.",
        "Look at the steel line in July and compare it with the lesson before.",
        levers={"scale": 10},
        overrides=PORTABLE_STAKE,
    ),
    Lesson(
        "Ablation: miners with a steel package",
        "kuzbass-1989",
        "The mirror test: give the mines the generous social package and the privileged lists "
        "of a steel plant. If dependence is what restrains a strike, the miners' wave should "
        "fail to take off.",
        "The spark on 10 July still happens; watch whether it spreads.",
        levers={"scale": 10},
        overrides=STEEL_PACKAGE_FOR_MINERS,
    ),
    Lesson(
        "The 1991 strike",
        "strike-1991",
        "In March 1991 the miners struck again, now with political demands, and the state held "
        "out for two months. Mines differed: some had rich social infrastructure and contracts "
        "with a state farm or barter partners, which a long stoppage would breach.",
        "Notice the mines that stay out long and those that go back early, in the enterprise "
        "table (sort by share out), and the length of the strike on the chart.",
        levers={"scale": 10},
    ),
    Lesson(
        "The transition",
        "transition-1992",
        "From January 1992 prices were freed, enterprises had to pay their own way, the labour "
        "shortage turned into a surplus and the town took over services. The ties that bound "
        "workers to their enterprise loosened, and so did the enterprise's need of them.",
        "Watch pay and in kind fall in the enterprise table, and switch reforms off one at a "
        "time to see which matter.",
        levers={"scale": 10},
    ),
)


def lesson_start(lesson: Lesson) -> dt.date | None:
    """The wave lessons are most instructive from early July 1989."""
    return dt.date(1989, 7, 1) if lesson.scenario == "kuzbass-1989" else None
