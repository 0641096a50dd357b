"""Experiment and calibration files: TOML validated by pydantic, unknown keys rejected.

Every problem becomes an `InputError` naming the file, the key and what was expected, before
anything is run or written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mutualdep.errors import InputError
from mutualdep.scenario import read_toml

Scalar = bool | int | float | str
Name = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested TOML tables to dotted keys, so `a.b = 1` and `"a.b" = 1` mean the same."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


class Factor(_Strict):
    """A scenario key that varies: explicit `values`, or a range `low`..`high`."""

    key: str = Field(min_length=1)
    values: list[Scalar] | None = Field(None, min_length=1)
    low: float | None = None
    high: float | None = None
    steps: int | None = Field(None, ge=2, description="factorial designs: grid points in the range")
    integer: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> Factor:
        has_range = self.low is not None or self.high is not None
        if (self.values is None) == (not has_range):
            raise ValueError("give either values = [...] or low and high")
        if has_range:
            if self.low is None or self.high is None or not self.low < self.high:
                raise ValueError("expected low < high")
        elif self.steps is not None or self.integer:
            raise ValueError("steps and integer apply to ranges (low, high), not to values")
        else:
            kinds = {type(v) for v in self.values}
            if len(kinds) > 1 and kinds != {int, float}:
                raise ValueError(
                    f"expected values of one type, got {sorted(k.__name__ for k in kinds)}"
                )
        return self

    @property
    def bounds(self) -> tuple[float, float]:
        """Bounds for SALib: the range, or [0, 1] mapped onto the list of values."""
        return (self.low, self.high) if self.values is None else (0.0, 1.0)

    def grid(self) -> list[Scalar]:
        """The levels of a factorial design."""
        if self.values is not None:
            return list(self.values)
        step = (self.high - self.low) / (self.steps - 1)
        return [self._cast(self.low + i * step) for i in range(self.steps)]

    def from_sample(self, x: float) -> Scalar:
        """A sampled coordinate (within `bounds`) to the factor's value."""
        if self.values is None:
            return self._cast(x)
        return self.values[min(int(x * len(self.values)), len(self.values) - 1)]

    def _cast(self, x: float) -> float | int:
        return round(x) if self.integer else float(x)

    def sql_type(self) -> str:
        if self.values is None:
            return "BIGINT" if self.integer else "DOUBLE"
        kinds = {type(v) for v in self.values}
        if kinds == {bool}:
            return "BOOLEAN"
        if kinds == {int}:
            return "BIGINT"
        return "VARCHAR" if kinds == {str} else "DOUBLE"


class Design(_Strict):
    """How design points are drawn. samples: LHS points, Sobol base N, Morris trajectories."""

    kind: Literal["factorial", "lhs", "sobol", "morris"] = "factorial"
    samples: int | None = Field(None, ge=1)
    seed: int = 0
    second_order: bool = Field(False, description="sobol: also sample for second-order indices")
    levels: int = Field(4, ge=2, description="morris: grid levels")

    @model_validator(mode="after")
    def _samples(self) -> Design:
        if self.kind == "factorial" and self.samples is not None:
            raise ValueError(
                "a factorial design takes no samples (its size is the product of the levels)"
            )
        if self.kind != "factorial" and self.samples is None:
            raise ValueError(f"a {self.kind} design needs samples = N")
        if self.kind == "sobol" and self.samples & (self.samples - 1):
            raise ValueError(f"sobol samples must be a power of two, got {self.samples}")
        return self


class Replications(_Strict):
    """Seeds every design point is run with: `count = n` (seeds 0..n-1) or `seeds = [...]`."""

    count: int | None = Field(None, ge=1)
    seeds: list[Annotated[int, Field(ge=0)]] | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _one(self) -> Replications:
        if (self.count is None) == (self.seeds is None):
            raise ValueError("give either count or seeds")
        if self.seeds is not None and len(set(self.seeds)) != len(self.seeds):
            raise ValueError("seeds must be distinct")
        return self

    def seed_list(self) -> list[int]:
        return list(self.seeds) if self.seeds is not None else list(range(self.count))


class Outputs(_Strict):
    metrics: list[str] = Field(min_length=1)
    tables: list[str] = []

    @field_validator("metrics", "tables")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("names must be distinct")
        return v


class _Base(_Strict):
    """What every experiment file shares: the base scenario and how to run it."""

    name: Name
    scenario: str = Field(description="a built-in scenario name or a path relative to this file")
    model: str = Field("mutualdep", description="'mutualdep' or 'package.module:object'")
    until: dt.date | None = None
    fixed: dict[str, Any] = Field(default_factory=dict, alias="set")
    replications: Replications = Replications(count=1)

    @field_validator("fixed", mode="before")
    @classmethod
    def _flatten(cls, v: Any) -> Any:
        return flatten(v) if isinstance(v, dict) else v


class Experiment(_Base):
    factors: list[Factor] = []
    design: Design = Design()
    outputs: Outputs

    @model_validator(mode="after")
    def _consistent(self) -> Experiment:
        keys = [f.key for f in self.factors]
        if len(set(keys)) != len(keys):
            raise ValueError("factor keys must be distinct")
        if clash := set(keys) & set(self.fixed):
            raise ValueError(f"{sorted(clash)} both fixed in [set] and varied in [[factors]]")
        if self.design.kind == "factorial":
            if open_ranges := [f.key for f in self.factors if f.values is None and f.steps is None]:
                raise ValueError(f"a factorial design needs steps (or values) for {open_ranges}")
        elif not self.factors:
            raise ValueError(f"a {self.design.kind} design needs at least one [[factors]]")
        return self


class Parameter(_Strict):
    """A scenario key to fit, searched in low..high."""

    key: str = Field(min_length=1)
    low: float
    high: float
    log: bool = False
    integer: bool = False

    @model_validator(mode="after")
    def _range(self) -> Parameter:
        if not self.low < self.high:
            raise ValueError("expected low < high")
        if self.log and self.low <= 0:
            raise ValueError("a log-scale parameter needs low > 0")
        return self


class Target(_Strict):
    """A metric to match: a `value` or an `interval` = [lo, hi]; `scale` sets what counts as far."""

    metric: str
    value: float | None = None
    interval: tuple[float, float] | None = None
    weight: float = Field(1.0, gt=0)
    scale: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _one(self) -> Target:
        if (self.value is None) == (self.interval is None):
            raise ValueError("give either value or interval")
        if self.interval is not None and not self.interval[0] < self.interval[1]:
            raise ValueError("expected interval = [lo, hi] with lo < hi")
        return self

    def loss(self, mean: float) -> float:
        """Weighted squared distance of a metric's mean from the target, in units of scale."""
        if self.value is not None:
            scale = self.scale or (abs(self.value) or 1.0)
            gap = mean - self.value
        else:
            lo, hi = self.interval
            scale = self.scale or (hi - lo)
            gap = max(lo - mean, 0.0, mean - hi)
        return self.weight * (gap / scale) ** 2

    def describe(self) -> str:
        return (
            f"{self.value:g}"
            if self.value is not None
            else f"[{self.interval[0]:g}, {self.interval[1]:g}]"
        )


class Search(_Strict):
    trials: int = Field(ge=1)
    sampler: Literal["tpe", "random"] = "tpe"
    seed: int = 0
    batch: int = Field(1, ge=1, description="trials evaluated at once (their runs run in parallel)")
    loss: Literal["per_seed", "mean"] = Field(
        "per_seed",
        description="per_seed: a target's loss is the mean over replications of each seed's own "
        "loss, so a trial whose seeds split (some far above, some far below) cannot pass on its "
        "average; mean: the loss of the replications' mean (how older fits were made)",
    )


class Calibration(_Base):
    parameters: list[Parameter] = Field(min_length=1)
    targets: list[Target] = Field(min_length=1)
    search: Search

    @model_validator(mode="after")
    def _consistent(self) -> Calibration:
        keys = [p.key for p in self.parameters]
        if len(set(keys)) != len(keys):
            raise ValueError("parameter keys must be distinct")
        if clash := set(keys) & set(self.fixed):
            raise ValueError(f"{sorted(clash)} both fixed in [set] and fitted in [[parameters]]")
        if indexed := [
            k for k in [*keys, *self.fixed] if any(part.isdigit() for part in k.split("."))
        ]:
            raise ValueError(
                f"{indexed}: array items cannot be written to the fitted scenario's tables"
            )
        return self

    @property
    def metrics(self) -> list[str]:
        return list(dict.fromkeys(t.metric for t in self.targets))


Spec = TypeVar("Spec", Experiment, Calibration)


def load(path: str | Path, kind: type[Spec]) -> Spec:
    """Read and validate an experiment or calibration file; raise InputError on any problem."""
    path = Path(path)
    data = read_toml(path)
    try:
        return kind.model_validate(data)
    except ValidationError as exc:
        raise InputError(describe_error(path, kind, exc)) from None


def describe_error(path: Path, kind: type[BaseModel], exc: ValidationError) -> str:
    """One line: file, dotted key, what was expected and what was given."""
    err = exc.errors()[0]
    loc = tuple(err.get("loc", ()))
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else ("." if key else "") + str(part)
    msg = err["msg"].removeprefix("Value error, ")
    got = err.get("input")
    got_text = "" if isinstance(got, dict | list) or err["type"] == "missing" else f", got {got!r}"
    if err["type"] == "extra_forbidden":
        allowed = _allowed_keys(kind, loc[:-1])
        msg = "unknown key" + (f" (expected one of: {', '.join(allowed)})" if allowed else "")
        got_text = ""
    elif err["type"] == "missing":
        msg = "required key is missing"
    more = f" (and {exc.error_count() - 1} more problem(s))" if exc.error_count() > 1 else ""
    return f"{path}: key '{key or '<top>'}': {msg}{got_text}{more}"


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys a nested table accepts, found by walking the schema along the error's location."""
    for part in loc:
        if isinstance(part, int):
            continue
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        sub = _model_in(field.annotation) if field else None
        if sub is None:
            return []
        model = sub
    return [f.alias or n for n, f in model.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        if found := _model_in(arg):
            return found
    return None
