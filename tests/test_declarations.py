"""Each mechanism's declared reads and writes against what it really does, and the hand-written
phase order against the timing rules the declarations imply."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

import mutualdep
from mdsupport import scenario_of, tiny_data
from mutualdep.engine import PHASES
from mutualdep.mechanisms.spread import Spread
from mutualdep.results import Recorder
from mutualdep.world import Workers
from mutualdep.world_state import GROUPS, Messages, fields_of
from watch import WORLD_COLUMNS, watched_run

FIELDS = fields_of()
WORKER_COLUMNS = {f"workers.{c}" for c in [*Workers(0).columns(), "applied"]}
KNOWN = set(FIELDS) | {f"world.{c}" for c in WORLD_COLUMNS}
BY_NAME = {cls.name: cls for cls in PHASES}
ORDER = [cls.name for cls in PHASES]
# inputs of the kept strike thresholds that live in worker columns (CollectiveAction)
THRESHOLD_INPUTS = {"workers.stake", "workers.pay_cost", "workers.grievance", "workers.risk"}


# Short real runs that between them take every mechanism down its paths: strike waves with
# settlements and reprisals, and the reforms of the transition (at 20 workers an agent).
RUNS = [
    ("kuzbass-1989", {"scale": 20}, 1, 240),
    ("small-town", {}, 1, 365),
    ("transition-1992", {"scale": 20}, 1, None),
    ("magnitogorsk", {"scale": 20}, 1, 100),  # the city soviet
    ("small-town", {"institutions.enabled": True}, 1, 240),  # unions, council, new directors
    # the union's goods to members, the scandal, directors in office, coupons resold
    (
        "small-town",
        {
            "institutions.enabled": True,
            "institutions.union_goods.enabled": True,
            "institutions.scandal.enabled": True,
            "institutions.office_command.enabled": True,
            "institutions.office_largesse": 0.0,
            "institutions.office_chance": 1.0,
            "market.enabled": True,
            "market.coupons.enabled": True,
            "market.coupons.per_worker": 1.0,
            "market.coupons.black_market": True,
            "distribution.published": True,
        },
        1,
        120,
    ),
    ("joint-stock-mine", {}, 1, 240),  # ownership and partners by kind
    # the market, its coupons and a law on cooperatives
    (
        "mixed-economy-1989",
        {
            "scale": 20,
            "market.coupons.enabled": True,
            "market.coupons.per_worker": 1.0,
            "reforms.timeline": [
                {"date": dt.date(1989, 2, 1), "kind": "market_opening", "value": 0.2},
                {"date": dt.date(1989, 2, 1), "kind": "price_liberalisation", "value": 0.5},
            ],
        },
        1,
        70,
    ),
]


@pytest.fixture(scope="module")
def observed() -> dict[str, tuple[set, set]]:
    seen: dict[str, tuple[set, set]] = {}
    for name, overrides, seed, days in RUNS:
        sc = mutualdep.load_scenario(name, overrides)
        for phase, (reads, writes) in watched_run(sc, seed, days).items():
            r, w = seen.setdefault(phase, (set(), set()))
            r |= reads
            w |= writes
    return seen


def test_declarations_name_real_fields():
    for cls in PHASES:
        assert set(cls.reads) <= KNOWN, (cls.name, set(cls.reads) - KNOWN)
        assert set(cls.writes) <= KNOWN | WORKER_COLUMNS, (cls.name, set(cls.writes) - KNOWN)
        assert len(set(cls.reads)) == len(cls.reads) and len(set(cls.writes)) == len(cls.writes)
    assert set(Recorder.reads) <= set(FIELDS)


def mechanisms(observed: dict) -> dict[str, tuple[set, set]]:
    return {k: v for k, v in observed.items() if k != "record"}


def undeclared_writes(observed: dict, classes=PHASES) -> dict[str, set]:
    by_name = {cls.name: cls for cls in classes}
    out = {}
    for name, (_, writes) in mechanisms(observed).items():
        if extra := writes - set(by_name[name].writes):
            out[name] = extra
    return out


def test_mechanisms_write_only_what_they_declare(observed):
    assert undeclared_writes(observed) == {}


class LeakySpread(Spread):
    """Spread that also changes management's threat, in place and by assignment."""

    def step(self, world, day: int) -> None:
        super().step(world, day)
        world.enterprises.threat[0] = 0.5
        world.economy.openness = 0.9


def test_an_undeclared_write_is_caught():
    data = tiny_data(on=("spread",), end=dt.date(1989, 7, 3))
    seen = watched_run(scenario_of(data), 0, None, phases=(LeakySpread,))
    assert undeclared_writes(seen, (LeakySpread,)) == {
        "spread": {"enterprises.threat", "economy.openness"}
    }


def test_mechanisms_read_only_what_they_declare(observed):
    for name, (reads, _) in mechanisms(observed).items():
        cls = BY_NAME[name]
        undeclared = reads - set(cls.reads) - set(cls.writes)
        assert not undeclared, f"{name} reads {sorted(undeclared)} without declaring it"


def test_the_runs_exercise_the_declarations(observed):
    """Most declared writes happen in the watched runs (a declaration nobody honours is a lie)."""
    declared = {(cls.name, f) for cls in PHASES for f in cls.writes}
    seen = {(name, f) for name, (_, writes) in mechanisms(observed).items() for f in writes}
    assert len(seen & declared) >= 0.8 * len(declared), sorted(declared - seen)


def test_the_recorder_only_reads_what_it_declares(observed):
    reads, writes = observed["record"]
    assert not writes
    assert reads == set(Recorder.reads)


def test_every_field_has_one_owner_that_writes_it():
    for field, owner in FIELDS.items():
        assert owner in BY_NAME, (field, owner)
        assert field in BY_NAME[owner].writes, f"{owner} owns {field} but does not write it"


def test_every_field_is_read_by_someone():
    """State that nothing reads is dead (as ``ent_quality`` and ``deaths`` were)."""
    read = set(Recorder.reads).union(*(cls.reads for cls in PHASES))
    assert set(FIELDS) <= read, sorted(set(FIELDS) - read)


def message_timing(order: list[str]) -> dict[str, dict[str, str]]:
    """When each message's consumer (its owner) sees what each sender puts in it."""
    out = {}
    for f in dataclasses.fields(Messages):
        key = f"messages.{f.name}"
        consumer = FIELDS[key]
        senders = [cls.name for cls in PHASES if key in cls.writes and cls.name != consumer]
        out[f.name] = {
            s: "same day" if order.index(s) < order.index(consumer) else "next day" for s in senders
        }
    return out


def test_phase_order_delivers_messages_as_documented():
    assert message_timing(ORDER) == {
        # labour_market resolves exits the day they are asked for, so it runs after every sender
        "exit_requests": {
            "reforms": "same day",
            "management": "same day",
            "state": "same day",
            "city": "same day",
        },
        # management acts on a collapse the same day, on a settlement by the state the next
        "outcomes": {"collective_action": "same day", "state": "next day"},
    }


def test_phase_order_check_fails_when_the_order_changes():
    moved = [n for n in ORDER if n != "labour_market"]
    moved.insert(moved.index("management"), "labour_market")
    assert message_timing(moved)["exit_requests"]["management"] == "next day"


def test_threshold_inputs_changed_after_the_strike_round_mark_thresholds_stale():
    """The kept thresholds are renewed at every month start and for stale enterprises: a
    mechanism after collective_action that changes a worker's inputs must mark them stale."""
    after = ORDER[ORDER.index("collective_action") + 1 :]
    for name in after:
        cls = BY_NAME[name]
        if THRESHOLD_INPUTS & set(cls.writes):
            assert "enterprises.thresholds_stale" in cls.writes, name


def test_groups_are_the_world_attributes():
    world_fields = {f.name for f in dataclasses.fields(mutualdep.engine.World)}
    assert set(GROUPS) <= world_fields


def test_no_mechanism_imports_another_and_the_recorder_imports_none():
    src = Path(mutualdep.__file__).parent
    for path in [*sorted((src / "mechanisms").glob("*.py")), src / "results.py"]:
        tree = ast.parse(path.read_text())
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not {m for m in imported if m and m.startswith("mutualdep.mechanisms")}, path.name
