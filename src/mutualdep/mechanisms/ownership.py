"""Ownership and control: who owns each enterprise and who runs it.

An enterprise is state-owned, employee-owned with management in control (formal ownership),
employee-owned under workers' control (de facto), or a joint-stock company with a foreign
partner (``Enterprise.joint_stock``). The sources: directors favour privatisation plans that give
shares to the labour collective because that keeps them in command, and strikes can turn such
formal ownership into real control; one Kuzbass mine's elected leader found a foreign partner for
a joint-stock company that promised a good living for all, and a strike would have ended it.

- Privatisation (the reform that gives employees shares, ``enterprises.ownership``) makes a
  state enterprise employee-owned with management in control: the director keeps the
  privileged rule and his capacity; pay rises by ``management_pay`` (none by default).
- A won strike at an employee-owned enterprise under management, with at least
  ``control_share`` of its workers out at the peak, hands control to the workers with chance
  ``control_chance``: a single, published line, management's capacity times
  ``workers_capacity``, pay up by ``workers_pay``. A state enterprise's won strike does what
  management's response says and no more (no shares, no change of owner).
- A joint-stock enterprise's goods come through its foreign partner (``partners``, every
  worker); when a stoppage ends that contract (distribution: a foreign contract ends for good),
  the company stays with its employees under management, and the partner is gone for good.

Every change is an ``ownership`` event and a row of the ``ownership`` table (with each
enterprise's state on the first day).
"""

from __future__ import annotations

import numpy as np

from mutualdep.scenario import PARTNER_KINDS
from mutualdep.shared_state import (
    CONTROL,
    FOR_GOOD,
    JOINT_STOCK,
    MANAGEMENT_CONTROL,
    STATE_OWNED,
    WORKERS_CONTROL,
    log_event,
)
from mutualdep.world import World

FOREIGN = PARTNER_KINDS.index("foreign")


class Ownership:
    name = "ownership"
    reads = (
        "enterprises.control",
        "enterprises.ownership",
        "enterprises.partner_cut_until",
        "enterprises.wage_factor",
        "messages.outcomes",
        "world.ent_capacity",
    )
    writes = (
        "enterprises.control",
        "enterprises.wage_factor",
        "world.ent_capacity",
        "world.ent_published",
        "world.ent_single_line",
    )

    def __init__(self, world: World):
        self.p = world.scenario.ownership
        control = world.enterprises.control
        control[world.ent_joint_stock] = JOINT_STOCK
        rows = world.records.ownership
        for e in range(world.n_enterprises):
            rows.append((0, e, int(control[e]), int(control[e]), "start"))

    def step(self, world: World, day: int) -> None:
        ents = world.enterprises
        privatised = (ents.control == STATE_OWNED) & (ents.ownership > 0)
        for e in np.flatnonzero(privatised):
            self._change(world, day, e, MANAGEMENT_CONTROL, "privatisation")
            ents.wage_factor[e] *= 1 + self.p.management_pay
        ended = (ents.control == JOINT_STOCK) & (ents.partner_cut_until[:, FOREIGN] == FOR_GOOD)
        for e in np.flatnonzero(ended):
            self._change(world, day, e, MANAGEMENT_CONTROL, "strike ended the foreign partnership")
        won = [
            (e, share)
            for e, kind, share in world.messages.outcomes
            if kind == "won" and ents.control[e] == MANAGEMENT_CONTROL
        ]
        if won:
            u = world.streams.group_uniform("workers_control", day, world.n_enterprises)
            for e, share in won:
                if share >= self.p.control_share and u[e] < self.p.control_chance:
                    self._to_workers(world, day, e)

    def _to_workers(self, world: World, day: int, e: int) -> None:
        """Formal ownership becomes real control: the collective runs the lists and the pay."""
        world.ent_single_line[e] = True
        world.ent_published[e] = True
        world.ent_capacity[e] *= self.p.workers_capacity
        world.enterprises.wage_factor[e] *= 1 + self.p.workers_pay
        self._change(world, day, e, WORKERS_CONTROL, "won strike")

    def _change(self, world: World, day: int, e: int, to: int, cause: str) -> None:
        control = world.enterprises.control
        world.records.ownership.append((day, int(e), to, int(control[e]), cause))
        log_event(
            world, "ownership", int(e), detail=f"{CONTROL[control[e]]} -> {CONTROL[to]}: {cause}"
        )
        control[e] = to
