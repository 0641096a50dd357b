"""One module per mechanism of the brief; the engine calls them in a fixed order.

Each mechanism is a class with ``name``, ``__init__(world)`` (reads its parameter section and
sets up what it owns) and ``step(world, day)``. Mechanisms talk only through the world's
columns and the documented shared arrays in ``world.state`` (see ``shared_state``), so any of
them can be switched off with ``enabled = false`` in its scenario section.
"""

from __future__ import annotations

from typing import Protocol

from mutualdep.world import World


class Mechanism(Protocol):
    name: str

    def __init__(self, world: World) -> None: ...

    def step(self, world: World, day: int) -> None: ...
