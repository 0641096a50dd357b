"""Campaigns over the rules of distribution: publication, a single line, admission to the
privileged line.

Once a month, in every enterprise, workers may press one of three claims:

- *publication* of who got what (while lists are opaque), then
- a *single line* (once published, while a priority line exists), backed by everyone on the
  housing list who is neither privileged nor exemplary;
- *admission* of their own occupation to the privileged line (under the privileged rule), backed
  by that occupation's members on the housing list. Any occupation can campaign; managers also
  grant privileges on their own (labour_market).

A supporter takes part when what the change is worth to him (``value`` x his grievance) times
the chance it wins if every supporter who may speak takes part (supporters x openness) is at
least what voice costs him: ``voice_sanction`` x (1 - openness) x his in-kind stake (where voice
is dangerous a campaigner risks his places in line) plus ``effort`` x his private cost of acting.

A campaign is held when at least ``min_share`` of its supporters take part. Its outcome follows
the mutual dependence between management and these workers:

    pressure = (campaigners / the enterprise's workers) x (1 + scarcity)
    P(win)   = affordable x pressure / (pressure + management capacity)

where scarcity is the vacancy rate of the campaigners' occupation (for the rules of the whole
line, the enterprise's overall vacancy rate): what management needs from these workers;
``affordable`` is the enterprise's social funding (at most 1): what it can afford to hand out;
management capacity is its own resources to resist. Every campaign is an event.
"""

from __future__ import annotations

import numpy as np

from mutualdep.shared_state import log_event
from mutualdep.world import HOUSING, NOT_ON_LIST, World, occupation_targets


class Campaigns:
    name = "campaigns"
    reads = (
        "economy.openness",
        "enterprises.council_admits",
        "enterprises.funding",
        "world.ent_capacity",
        "world.ent_privileged",
        "world.ent_published",
        "world.ent_single_line",
        "world.shop_target",
    )
    writes = (
        "enterprises.thresholds_stale",
        "world.ent_privileged",
        "world.ent_published",
        "world.ent_single_line",
    )

    def __init__(self, world: World):
        self.p = world.scenario.campaigns
        self.occ_target = occupation_targets(world)

    def step(self, world: World, day: int) -> None:
        if not world.calendar.month_start[day]:
            return
        w = world.workers
        n = w.n
        emp = world.employed()
        ent, occ = w.enterprise[:n], w.occupation[:n]
        n_ent, n_occ = world.n_enterprises, world.n_occupations
        favoured = world.ent_privileged[ent, occ] | w.exemplary[:n]
        waiting = emp & (w.applied[HOUSING, :n] != NOT_ON_LIST)
        code = ent.astype(np.int64) * n_occ + occ
        have = np.bincount(code[emp], minlength=n_ent * n_occ).reshape(n_ent, n_occ)
        target = self.occ_target
        occ_scarcity = np.clip(1 - have / np.maximum(target, 1e-9), 0, 1)
        ent_scarcity = np.clip(1 - have.sum(axis=1) / np.maximum(target.sum(axis=1), 1e-9), 0, 1)
        workers = np.maximum(have.sum(axis=1), 1)
        afford = np.minimum(world.enterprises.funding, 1.0)
        resist = world.ent_capacity

        def chance(taking_part: np.ndarray, scarcity: np.ndarray, e: np.ndarray) -> np.ndarray:
            pressure = taking_part / workers[e] * (1 + scarcity)
            return afford[e] * pressure / np.maximum(pressure + resist[e], 1e-12)

        # the rules of the whole line: publication first, then a single line
        rule_open = ~world.ent_single_line | ~world.ent_published
        supporters = waiting & ~favoured & rule_open[ent]
        taking_part, group_size = self._turnout(
            world, supporters, ent, n_ent, lambda k, e: chance(k, ent_scarcity[e], e)
        )
        u = world.streams.group_uniform("campaign", day, n_ent)
        held = np.flatnonzero(
            rule_open & (group_size > 0) & (taking_part >= self.p.min_share * group_size)
        )
        odds = chance(taking_part[held], ent_scarcity[held], held)
        for e, p_win in zip(held, odds, strict=True):
            won = bool(u[e] < p_win)
            target_rule = "publication" if not world.ent_published[e] else "single line"
            self._log(world, e, target_rule, taking_part[e] / group_size[e], p_win, won)
            if won and target_rule == "publication":
                world.ent_published[e] = True
            elif won:
                world.ent_single_line[e] = True

        # admission of an occupation to the privileged line
        admissible = (
            ~world.ent_single_line[:, None]
            & ~world.ent_privileged
            & (target >= 1)
            & world.enterprises.council_admits  # the labour council rules (institutions)
        )
        backers = waiting & ~w.exemplary[:n] & admissible[ent, occ]
        taking_part, group_size = self._turnout(
            world,
            backers,
            code,
            n_ent * n_occ,
            lambda k, g: chance(k, occ_scarcity.ravel()[g], g // n_occ),
        )
        u = world.streams.group_uniform("admission", day, n_ent * n_occ)
        held = np.flatnonzero(
            admissible.ravel() & (group_size > 0) & (taking_part >= self.p.min_share * group_size)
        )
        odds = chance(taking_part[held], occ_scarcity.ravel()[held], held // n_occ)
        for g, p_win in zip(held, odds, strict=True):
            e, o = divmod(int(g), n_occ)
            won = bool(u[g] < p_win)
            claim = f"admission of {world.occupation_names[o]}s to the privileged line"
            self._log(world, e, claim, taking_part[g] / group_size[g], p_win, won)
            if won:
                world.ent_privileged[e, o] = True
                world.enterprises.thresholds_stale[e] = True

    def _turnout(
        self, world: World, supporters: np.ndarray, group: np.ndarray, n_groups: int, chance
    ) -> tuple[np.ndarray, np.ndarray]:
        """Campaigners and supporters per group: a supporter takes part when the chance the
        claim wins with every supporter who may speak behind it, times what it is worth to him,
        covers what voice costs him."""
        w, p, openness = world.workers, self.p, world.economy.openness
        idx = np.flatnonzero(supporters)
        g = group[idx]
        size = np.bincount(g, minlength=n_groups).astype(float)
        groups = np.arange(n_groups)
        possible = chance(size * openness, groups)
        gain = p.value * w.grievance[idx] * possible[g]
        cost = p.voice_sanction * (1 - openness) * w.stake[idx] + p.effort * w.risk[idx]
        acting = gain >= cost
        return np.bincount(g[acting], minlength=n_groups).astype(float), size

    @staticmethod
    def _log(world: World, e: int, claim: str, share: float, p_win: float, won: bool) -> None:
        log_event(
            world,
            "campaign",
            e,
            detail=f"{claim}: {share:.0%} took part, chance {p_win:.0%}, "
            + ("won" if won else "lost"),
        )
