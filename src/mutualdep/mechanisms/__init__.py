"""One module per mechanism of the brief; the engine calls them in a fixed order.

Each mechanism is a class with ``name``, ``reads`` and ``writes`` (the "group.field" names of
the live state it uses and changes: ``world_state`` tables such as ``enterprises.threat``,
the changing World columns such as ``world.ent_published``, and in ``writes`` the worker
columns such as ``workers.striking``), ``__init__(world)`` (reads its parameter section and
sets up what it owns) and ``step(world, day)``. Mechanisms talk only through the world, never
by importing each other; what several need lives in ``shared_state``. Any of them can be
switched off with ``enabled = false`` in its scenario section: the others then see the neutral
starting values. tests/test_declarations.py checks the declarations against a real run.
"""

from __future__ import annotations

from typing import ClassVar, Protocol

from mutualdep.world import World


class Mechanism(Protocol):
    name: ClassVar[str]
    reads: ClassVar[tuple[str, ...]]
    writes: ClassVar[tuple[str, ...]]

    def __init__(self, world: World) -> None: ...

    def step(self, world: World, day: int) -> None: ...
