"""The levers the app shows, read from the scenario schema.

Each lever is a dotted scenario key. Its lower and upper limits and its description come from
the schema's field; where the schema sets no upper limit (a non-negative number), the slider
stops at ``top``, a teaching range stated here, and typing a larger value is still allowed
by the schema through an uploaded file.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from mutualdep.scenario import Scenario


@dataclass(frozen=True)
class Lever:
    key: str  # dotted scenario key
    label: str
    top: float | None = None  # slider end where the schema has no upper limit
    step: float = 0.0001  # fine enough to hold calibrated values such as 0.5002
    note: str = ""  # said where the schema has no description

    def field(self):
        model: type[BaseModel] = Scenario
        parts = self.key.split(".")
        for part in parts[:-1]:
            model = model.model_fields[part].annotation
        return model.model_fields[parts[-1]]

    @property
    def description(self) -> str:
        return self.field().description or self.note

    @property
    def kind(self) -> str:
        """ "number", "switch" or "choice"."""
        annotation = self.field().annotation
        if annotation is bool:
            return "switch"
        if typing.get_origin(annotation) is typing.Literal:
            return "choice"
        return "number"

    @property
    def choices(self) -> list[str]:
        return list(typing.get_args(self.field().annotation))

    @property
    def limits(self) -> tuple[float, float]:
        low, high = 0.0, self.top
        for m in self.field().metadata:
            for name in ("ge", "gt"):
                if getattr(m, name, None) is not None:
                    low = float(getattr(m, name)) + (self.step if name == "gt" else 0.0)
            if getattr(m, "le", None) is not None:
                high = float(m.le)
        if high is None:
            raise ValueError(f"lever {self.key}: the schema has no upper limit; give top")
        return low, high

    @property
    def range_text(self) -> str:
        if self.kind == "switch":
            return "on or off"
        if self.kind == "choice":
            return " or ".join(self.choices)
        low, high = self.limits
        return f"{low:g} to {high:g}"

    def value(self, scenario: Scenario) -> Any:
        node: Any = scenario
        for part in self.key.split("."):
            node = getattr(node, part)
        return node


LEVERS: tuple[Lever, ...] = (
    Lever("collective_action.strike_fund", "Strike fund"),
    Lever("management.threat", "Management threat", top=2.0),
    Lever(
        "distribution.rule",
        "List rule",
        note="privileged: priority lines for chosen occupations; single_line: one queue for all",
    ),
    Lever(
        "distribution.published",
        "Lists published",
        note="who got what is posted for all to see",
    ),
    Lever("state.openness", "Openness", note="glasnost: how openly the state answers strikes"),
    Lever("state.answer_rate", "State: answers", note="daily chance the regime takes a strike up"),
    Lever("state.army_reluctance", "Army's reluctance", note="chance a crackdown fails"),
    Lever("state.failure_cost", "Cost of a failed crackdown"),
    Lever(
        "spread.communication",
        "Communication",
        top=2.0,
        note="the strike committees' means: fax, duplicators, typewriters",
    ),
    Lever(
        "grievance.shortage",
        "Shortage outside",
        top=1.0,
        note="how much empty shops outside the enterprise add to a grievance",
    ),
    Lever("scale", "Scale", top=50, step=1),
)

BY_KEY = {lever.key: lever for lever in LEVERS}


def defaults(scenario: Scenario) -> dict[str, Any]:
    """The scenario's own value of every lever."""
    return {lever.key: lever.value(scenario) for lever in LEVERS}


def reform_rows(scenario: Scenario) -> list[str]:
    """One line per reform on the scenario's timeline, for its on/off switch."""
    out = []
    for r in scenario.reforms.timeline:
        where = r.industry or r.enterprise or "everywhere"
        value = f" {r.value:g}" if r.value else ""
        out.append(f"{r.date}: {r.kind.replace('_', ' ')}{value} ({where})")
    return out


def overrides(
    base: Scenario, values: dict[str, Any], reforms_off: frozenset[int] = frozenset()
) -> dict[str, Any]:
    """Dotted overrides for the levers that differ from the scenario, and the reforms kept."""
    out = {k: v for k, v in values.items() if BY_KEY[k].value(base) != v}
    if reforms_off:
        out["reforms.timeline"] = [
            r.model_dump() for i, r in enumerate(base.reforms.timeline) if i not in reforms_off
        ]
    return out
