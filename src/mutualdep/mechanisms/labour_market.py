"""Labour market and exit: quits, retirements, firings, hires, retention privileges.

This is the one resolution point for flows. Other mechanisms *request* exits (management fires
initiators, reforms close enterprises) by appending to ``exit_requests``; every day this phase
applies the scheduled and requested exits, then fills vacancies, and counts flows by cause.

Quits are scheduled at each month start from a monthly hazard: young and single workers quit
most, workers with children tied to enterprise services least; a large in-kind stake (a year's
pay of stake multiplies the hazard by exp(-stake_effect)) and a town with few other employers
hold people, grievance pushes them out, and so does pay below what he expects (a bonus
withheld): he can be hired elsewhere soon at more. A leaver loses every place in line. Labour
is short: vacancies fill at ``fill_rate`` a day, more slowly in a shop whose pay falls short,
faster once a surplus reform lowers ``labour_factor``.
A quitter or a dismissed worker does not leave the model: he becomes a job seeker in his town,
keeping his age, family, skill, savings and flat, and vacancies in the town go to seekers
before new entrants: the best-paid first, never at the enterprise he left. So in a shortage he
waits days, in a surplus (few vacancies) months, in a company town whose one employer let him go
for ever. A worker compares his pay with the best another industry with vacancies pays in his
town (``outside_pay_effect``): once a steelworker has his flat his stake is gone and the mines'
wage pulls him. A worker in an unprivileged job on the housing line (a cook) takes a privileged
job in a shop of his enterprise with vacancies, keeping his place in line (``transfer_rate``);
once housed he asks to go back to his trade, and a boss short of workers will not let him
(``return_rate``). Moves by reason and seekers' waits go to the records.
A striker arrested in a crackdown (an exit request with cause ARRESTED) leaves his job as a
dismissed worker does, counted as fired, but is held: not employed and not hireable until his
``held_until`` day (``state.arrest_days`` after the arrest), when he is released as a job
seeker (his wait as a seeker counts from the day he was arrested).
Managers who lack an occupation (vacancy rate above ``privilege_vacancy`` of its posts)
privilege it on their lists. A failing shop can spiral: plan missed, no bonus, pay grievance,
quits, plan missed.
"""

from __future__ import annotations

import numpy as np

from mutualdep.random import stochastic_round
from mutualdep.shared_state import (
    BACK_TO_TRADE,
    FOR_A_FLAT,
    MOVE_REASONS,
    expected_pay,
    group_mean,
    group_sum,
    log_event,
    stop_striking,
    turnover_codes,
)
from mutualdep.world import (
    ARRESTED,
    CAR,
    DAYCARE,
    EMPLOYED,
    FIRED,
    HOUSING,
    NOT_ON_LIST,
    OWN_FLAT,
    QUIT,
    RETIRED,
    SEEKING,
    VOUCHER,
    World,
    add_workers,
    choose_occupations,
    occupation_targets,
    shop_occupation_table,
)

_REFERENCE_OUTSIDE = 0.5 * (1 - 0.3)  # default other_employers x (1 - isolation)
_ROUNDS = 4  # rounds of matching a day: enough to put every clash at the back of the queue


class LabourMarket:
    name = "labour_market"
    reads = (
        "economy.labour_factor",
        "economy.price_index",
        "enterprises.council_admits",
        "messages.exit_requests",
        "enterprises.wage_factor",
        "regions.pay_raise",
        "shops.workers",
        "world.ent_single_line",
        "world.shop_target",
    )
    writes = (
        "brigades.striking",
        "brigades.workers",
        "enterprises.fired",
        "enterprises.hires",
        "enterprises.quits",
        "enterprises.retired",
        "enterprises.thresholds_stale",
        "messages.exit_requests",
        "shops.striking",
        "shops.workers",
        "workers.applied",
        "workers.barred",
        "workers.brigade",
        "workers.daycare_place",
        "workers.enterprise",
        "workers.exemplary",
        "workers.exit_cause",
        "workers.goods_cut_until",
        "workers.hired",
        "workers.initiator",
        "workers.left",
        "workers.occupation",
        "workers.sanctioned",
        "workers.shop",
        "workers.trade",
        "workers.trade_shop",
        "workers.status",
        "workers.striking",
        "workers.wage",
        "workers.walked_out",
        "world.ent_privileged",
    )

    def __init__(self, world: World):
        self.p = world.scenario.labour_market
        self.retire_age = np.array([o.retire_age for o in world.scenario.occupations])
        self.shop_pay_gap = np.zeros(world.n_shops)
        self.sched_ids = np.zeros(0, np.int64)
        self.sched_days = np.zeros(0, np.int64)
        self.sched_cause = np.zeros(0, np.int8)
        # An occupation's posts: what the shops' mix calls for, but no more than it had at the
        # start, so that a random draw of occupations short of the mix is not a vacancy.
        self.posts = np.minimum(occupation_targets(world), self._headcounts(world))
        self.seekers = np.zeros(0, np.int64)  # ids of the job seekers, in the order they left
        self.held = np.zeros(0, np.int64)  # ids of the arrested, not yet released
        base = np.array([o.base_wage for o in world.scenario.occupations])
        self.shop_base_pay = np.array([base[occ] @ prob for occ, prob in world.shop_occ_mix])

    def step(self, world: World, day: int) -> None:
        ents = world.enterprises
        for counts in (ents.quits, ents.hires, ents.fired, ents.retired):
            counts[:] = 0
        if world.calendar.month_start[day]:
            self._schedule(world, day)
            self._privileges(world)
            self._transfers(world, day)
        lo, hi = np.searchsorted(self.sched_days, [day, day + 1])
        ids = [self.sched_ids[lo:hi]]
        causes = [self.sched_cause[lo:hi]]
        for req_ids, cause in world.messages.exit_requests:
            ids.append(np.asarray(req_ids, np.int64))
            causes.append(np.full(len(req_ids), cause, np.int8))
        world.messages.exit_requests = []
        left = resolve_exits(world, day, np.concatenate(ids), np.concatenate(causes))
        status = world.workers.status[left]
        self.held = np.concatenate([self.held, left[status == ARRESTED]])
        self.seekers = np.concatenate([self.seekers, left[status == SEEKING]])
        self._release(world, day)
        self._hire(world, day)

    def _release(self, world: World, day: int) -> None:
        """The arrested whose time is up become job seekers."""
        w = world.workers
        out = w.held_until[self.held] <= day
        if out.any():
            w.status[self.held[out]] = SEEKING
            self.seekers = np.concatenate([self.seekers, self.held[out]])
            self.held = self.held[~out]

    def _schedule(self, world: World, day: int) -> None:
        """Draw this month's quits, retirements and disciplinary firings, each on a day."""
        w, p = world.workers, self.p
        # Only employed workers can leave: everything below is over their ids ``e`` (draws are
        # keyed, so drawing for fewer workers gives each the same number), and the hazard is
        # multiplied up in place, factor by factor, to keep few worker-sized arrays alive.
        e = np.flatnonzero(world.employed())
        age = world.calendar.fractional_year(world.day) - w.born[e]
        town = world.ent_town[w.enterprise[e]]
        hazard = p.quit_rate * np.where(age < 30, p.young_factor, 1.0)
        children, married = w.children[e], w.married[e]
        hazard *= np.where(children > 0, p.children_factor, np.where(married, 1.0, p.single_factor))
        del children, married
        wage = w.wage[e]
        hazard *= np.exp(-p.stake_effect * w.stake[e] / np.maximum(12 * wage, 1.0))
        expected = expected_pay(world)[e]
        pay_gap = np.clip(1 - wage / np.maximum(expected, 1e-6), 0, 1)
        if p.outside_pay_effect:
            outside = self._outside_pay(
                world, group_mean(w.enterprise[e], expected, world.n_enterprises)
            )
            pull = np.clip(outside[w.enterprise[e]] / np.maximum(wage, 1.0) - 1, 0, 1)
            hazard *= np.exp(p.outside_pay_effect * pull)
            del pull
        del wage, expected
        self.shop_pay_gap = group_mean(w.shop[e], pay_gap, world.n_shops)
        hazard *= 1 + p.grievance_effect * w.grievance[e]
        hazard *= np.exp(p.pay_effect * pay_gap)
        del pay_gap
        hazard *= (
            world.town_other_employers[town] * (1 - world.town_isolation[town]) / _REFERENCE_OUTSIDE
        )
        del town
        hazard *= world.economy.labour_factor
        month = int(world.calendar.month_index[day])
        dim = world.calendar.days_in_month(day)
        keys = w.key[e]
        old = age >= self.retire_age[w.occupation[e]]
        del age
        retire = np.zeros(len(e), bool)
        retire[old] = world.streams.uniform("retire", month, keys[old]) < p.retire_rate
        fire = ~retire & (world.streams.uniform("fire", month, keys) < p.fire_rate)
        np.negative(hazard, out=hazard)
        p_quit = 1 - np.exp(hazard, out=hazard)
        quit_ = ~retire & ~fire & (world.streams.uniform("quit", month, keys) < p_quit)
        del p_quit, hazard
        leaving = np.flatnonzero(retire | fire | quit_)
        sel = e[leaving]
        cause = np.where(retire[leaving], RETIRED, np.where(fire[leaving], FIRED, QUIT)).astype(
            np.int8
        )
        u_day = world.streams.uniform("exit_day", month, w.key[sel])
        days = day + np.minimum((u_day * dim).astype(np.int64), dim - 1)
        order = np.argsort(days, kind="stable")
        self.sched_ids, self.sched_days, self.sched_cause = sel[order], days[order], cause[order]
        self._age_seekers(world, day, month)

    def _outside_pay(self, world: World, ent_pay: np.ndarray) -> np.ndarray:
        """Per enterprise, the best mean pay of another industry's enterprise in its town that
        has vacancies (0 where there is none)."""
        n_ent = world.n_enterprises
        vacant = group_sum(
            world.shop_enterprise,
            np.maximum(world.shop_target - world.shops.workers, 0).astype(float),
            n_ent,
        )
        other = (
            (world.ent_town[:, None] == world.ent_town[None, :])
            & (world.ent_industry[:, None] != world.ent_industry[None, :])
            & (vacant > 0)[None, :]
        )
        return np.where(other, ent_pay[None, :], 0.0).max(axis=1, initial=0.0)

    def _age_seekers(self, world: World, day: int, month: int) -> None:
        """Seekers past retirement age retire at ``retire_rate`` a month; the others are counted
        by town with how long they have waited."""
        w = world.workers
        s = self.seekers[w.status[self.seekers] == SEEKING]
        age = world.calendar.fractional_year(day) - w.born[s]
        old = age >= self.retire_age[w.occupation[s]]
        retire = old & (
            world.streams.uniform("retire_seeker", month, w.key[s]) < self.p.retire_rate
        )
        w.status[s[retire]] = RETIRED
        s = s[~retire]
        self.seekers = s
        town = world.ent_town[w.enterprise[s]]
        world.records.seekers.append(
            (
                month,
                np.bincount(town, minlength=world.n_towns),
                np.bincount(town, weights=day - w.left[s], minlength=world.n_towns),
            )
        )

    @staticmethod
    def _headcounts(world: World) -> np.ndarray:
        """(enterprises, occupations) employed workers."""
        w = world.workers
        emp = world.employed()
        n_occ = world.n_occupations
        code = w.enterprise[: w.n][emp].astype(np.int64) * n_occ + w.occupation[: w.n][emp]
        return np.bincount(code, minlength=world.n_enterprises * n_occ).reshape(-1, n_occ)

    def _privileges(self, world: World) -> None:
        vacancy = 1 - self._headcounts(world) / np.maximum(self.posts, 1e-9)
        still_open = (
            group_sum(world.shop_enterprise, world.shop_target.astype(float), world.n_enterprises)
            > 0
        )
        grant = (
            (self.posts >= 1)
            & still_open[:, None]
            & (vacancy >= self.p.privilege_vacancy)
            & ~world.ent_privileged
            & ~world.ent_single_line[:, None]
            & world.enterprises.council_admits  # the labour council rules (institutions)
        )
        for e, o in zip(*np.nonzero(grant), strict=True):
            world.ent_privileged[e, o] = True
            log_event(world, "privilege_granted", e, detail=world.occupation_names[o])

    def _hire(self, world: World, day: int) -> None:
        vacancies = np.maximum(world.shop_target - world.shops.workers, 0)
        if not vacancies.any():
            return
        rate = min(1.0, self.p.fill_rate / max(world.economy.labour_factor, 1e-6))
        u = world.streams.group_uniform("hire", day, world.n_shops)
        attraction = np.exp(-self.p.pay_effect * self.shop_pay_gap)
        hires = stochastic_round(vacancies * rate * attraction, u)
        if not hires.any():
            return
        slots = np.repeat(np.arange(world.n_shops), hires)
        taken = np.zeros(len(slots), bool)
        rehired = np.zeros(0, np.int64)
        if self.p.rehire and len(self.seekers):
            rehired, slot = self._match(world, day, slots)
            taken[slot] = True
            self._rehire(world, day, rehired, slots[slot])
            # a worker with a new enterprise, shop and job decides on new coefficients
            world.enterprises.thresholds_stale[world.workers.enterprise[rehired]] = True
        shops = slots[~taken]
        ids = add_workers(
            world, world.shop_enterprise[shops], shops.astype(np.int32), None, initial=False
        )
        world.workers.wage[ids] = expected_pay(world, ids)
        ids = np.concatenate([rehired, ids])
        world.shops.workers += hires
        w = world.workers
        world.brigades.workers += np.bincount(w.brigade[ids], minlength=world.n_brigades)
        world.enterprises.hires += np.bincount(w.enterprise[ids], minlength=world.n_enterprises)
        _record_turnover(world, day, ids, np.full(len(ids), -1))

    def _match(self, world: World, day: int, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Today's seekers for today's hiring slots, town by town, like a labour exchange:
        the longest waiting first take the slots best pay first (ties of pay in a random
        order). A seeker matched with the enterprise he left goes to the back of the queue
        and the rest are matched again, for up to ``_ROUNDS`` rounds. Only seekers a slot of
        another enterprise in their town could take are queued at all.
        Returns the seekers hired and the index of the slot each takes."""
        s = self.seekers  # in the order they left
        s_ent = world.workers.enterprise[s]
        slot_ent = world.shop_enterprise[slots]
        n_ent, n_towns = world.n_enterprises, world.n_towns
        slot_by_ent = np.bincount(slot_ent, minlength=n_ent)
        slot_by_town = group_sum(world.ent_town, slot_by_ent.astype(float), n_towns)
        s_town = world.ent_town[s_ent]
        able = np.flatnonzero(slot_by_town[s_town] > slot_by_ent[s_ent])
        able = able[np.argsort(s_town[able], kind="stable")]
        # the front of each town's queue: twice its slots is room enough for the clashes
        queue_rank = _rank_in_town(s_town[able], 0)
        pool = able[queue_rank < 2 * slot_by_town[s_town[able]] + _ROUNDS]
        if len(pool) == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        region, ind = world.ent_region[slot_ent], world.ent_industry[slot_ent]
        pay = (
            self.shop_base_pay[slots]
            * world.region_wage_coef[region]
            * world.regions.pay_raise[region, ind]
        )
        k_town = world.ent_town[slot_ent]
        k_order = np.lexsort((world.streams.group_uniform("slot", day, len(slots)), -pay, k_town))
        width = max(len(pool), len(slots)) + 1
        slot_left = np.ones(len(slots), bool)
        hired, taken = [], []
        for _ in range(_ROUNDS):
            k_idx = k_order[slot_left[k_order]]
            s_code = _rank_in_town(s_town[pool], width)
            k_code = _rank_in_town(k_town[k_idx], width)
            _, i_s, i_k = np.intersect1d(s_code, k_code, assume_unique=True, return_indices=True)
            seeker, slot = pool[i_s], k_idx[i_k]
            clash = s_ent[seeker] == slot_ent[slot]
            hired.append(seeker[~clash])
            taken.append(slot[~clash])
            slot_left[slot[~clash]] = False
            if not clash.any():
                break
            # the clashing to the back of their town's queue, the hired out of it
            rest = np.ones(len(pool), bool)
            rest[i_s] = False
            pool = np.concatenate([pool[rest], seeker[clash]])
            pool = pool[np.argsort(s_town[pool], kind="stable")]
        hired_idx = np.concatenate(hired)
        self.seekers = np.delete(s, hired_idx)
        return s[hired_idx], np.concatenate(taken)

    def _transfers(self, world: World, day: int) -> None:
        """This month's moves inside enterprises: to a privileged job for a flat, and back."""
        p, w = self.p, world.workers
        month = int(world.calendar.month_index[day])
        n_shops, n_ent = world.n_shops, world.n_enterprises
        vacant = np.maximum(world.shop_target - world.shops.workers, 0)
        _, codes, length = shop_occupation_table(world)
        in_mix = np.arange(codes.shape[1])[None, :] < length[:, None]
        privileged = world.ent_privileged[world.shop_enterprise[:, None], codes] & in_mix
        job = codes[np.arange(n_shops), privileged.argmax(axis=1)]
        score = np.where(privileged.any(axis=1) & (vacant > 0), vacant, 0)
        # each enterprise's shop with the most vacancies in a privileged job (shops are by
        # enterprise, in order)
        order = np.lexsort((-score, world.shop_enterprise))
        best = order[np.searchsorted(world.shop_enterprise[order], np.arange(n_ent))]
        e = np.flatnonzero(world.employed() & ~w.striking[: w.n] & (w.trade[: w.n] < 0))
        ent = w.enterprise[e]
        e = e[
            (score[best[ent]] > 0)
            & (w.shop[e] != best[ent])
            & w.married[e]
            & (w.housing[e] != OWN_FLAT)
            & (w.applied[HOUSING, e] != NOT_ON_LIST)
            & ~world.ent_privileged[ent, w.occupation[e]]
        ]
        u = world.streams.uniform("transfer", month, w.key[e])
        e, u = e[u < p.transfer_rate], u[u < p.transfer_rate]
        target = best[w.enterprise[e]]
        e = e[np.lexsort((u, target))]
        target = np.sort(target)
        rank = np.arange(len(e)) - np.searchsorted(target, target, side="left")
        keep = rank < vacant[target]
        self._move_within(world, day, e[keep], target[keep], job[target[keep]], FOR_A_FLAT)
        # back to his trade, once housed, if his boss lets him go
        back = np.flatnonzero(
            world.employed()
            & ~w.striking[: w.n]
            & (w.trade[: w.n] >= 0)
            & (w.housing[: w.n] == OWN_FLAT)
        )
        back = back[world.shop_target[w.trade_shop[back]] > 0]
        shop = w.shop[back]
        short = (
            vacant[shop] / np.maximum(world.shop_target[shop], 1) / max(p.privilege_vacancy, 1e-9)
        )
        release = p.return_rate * np.clip(1 - short, 0, 1)
        back = back[world.streams.uniform("return", month, w.key[back]) < release]
        self._move_within(world, day, back, w.trade_shop[back], w.trade[back], BACK_TO_TRADE)

    def _move_within(
        self, world: World, day: int, ids: np.ndarray, shops, occupations, reason: int
    ) -> None:
        """Move workers to other shops of their enterprise, in these jobs."""
        if len(ids) == 0:
            return
        w = world.workers
        world.shops.workers += np.bincount(shops, minlength=world.n_shops) - np.bincount(
            w.shop[ids], minlength=world.n_shops
        )
        world.brigades.workers -= np.bincount(w.brigade[ids], minlength=world.n_brigades)
        if reason == FOR_A_FLAT:
            w.trade[ids], w.trade_shop[ids] = w.occupation[ids], w.shop[ids]
        else:
            w.trade[ids] = -1
        ent = w.enterprise[ids]
        world.enterprises.thresholds_stale[ent] = True
        _record_moves(world, day, ent, ent, reason, np.zeros(len(ids)))
        _join_shop(world, ids, shops, world.streams.uniform(f"move/{reason}", day, w.key[ids]))
        w.occupation[ids] = occupations
        world.brigades.workers += np.bincount(w.brigade[ids], minlength=world.n_brigades)

    def _rehire(self, world: World, day: int, ids: np.ndarray, shops: np.ndarray) -> None:
        """Seekers start in new shops: same person, new job, at the end of every line."""
        w = world.workers
        ent = world.shop_enterprise[shops].astype(np.int64)
        _record_moves(world, day, w.enterprise[ids], ent, w.exit_cause[ids], day - w.left[ids])
        keys = w.key[ids]
        u = lambda name: world.streams.uniform("rehire/" + name, day, keys)  # noqa: E731
        w.enterprise[ids] = ent
        _join_shop(world, ids, shops, u("brigade"))
        w.occupation[ids] = choose_occupations(world, shops, u("occupation"))
        w.trade[ids] = -1
        # what his old enterprise held against him stays there
        w.barred[ids] = False
        w.sanctioned[ids] = False
        w.initiator[ids] = False
        w.walked_out[ids] = -1
        w.goods_cut_until[ids] = 0
        w.status[ids] = EMPLOYED
        w.hired[ids] = day
        w.wage[ids] = expected_pay(world, ids)
        age = world.calendar.fractional_year(day) - w.born[ids]
        family = w.married[ids] & (w.housing[ids] != OWN_FLAT)
        w.applied[HOUSING, ids] = np.where(family, day, NOT_ON_LIST)
        car = u("car") < world.scenario.population.car_line_share
        w.applied[CAR, ids] = np.where(car, day, NOT_ON_LIST)
        w.applied[VOUCHER, ids] = day
        young_child = (w.children[ids] > 0) & (age < 36)
        w.applied[DAYCARE, ids] = np.where(young_child, day, NOT_ON_LIST)


def _record_moves(world: World, day: int, src, dst, reason, waits: np.ndarray) -> None:
    """Count moves by (from, to, reason), with their summed waits in days."""
    n_ent = world.n_enterprises
    code = (src.astype(np.int64) * n_ent + dst) * len(MOVE_REASONS) + reason
    uniq, inverse, counts = np.unique(code, return_inverse=True, return_counts=True)
    wait = np.bincount(inverse, weights=waits, minlength=len(uniq))
    world.records.moves.append((int(world.calendar.month_index[day]), uniq, counts, wait))


def _join_shop(world: World, ids: np.ndarray, shops: np.ndarray, u: np.ndarray) -> None:
    """Put these workers into these shops, each into a brigade drawn by ``u``."""
    count = world.shop_brigade_count[shops]
    world.workers.shop[ids] = shops
    world.workers.brigade[ids] = world.shop_first_brigade[shops] + np.minimum(
        (u * count).astype(np.int64), count - 1
    )


def _rank_in_town(town: np.ndarray, width: int) -> np.ndarray:
    """For ids sorted by town: town x width + rank within the town (the rank at width 0)."""
    rank = np.arange(len(town)) - np.searchsorted(town, town, side="left")
    return town.astype(np.int64) * width + rank


def resolve_exits(world: World, day: int, ids: np.ndarray, causes: np.ndarray) -> np.ndarray:
    """Apply exits once each: status (seeking, arrested or retired), lost places in line,
    headcounts, flows by cause (an arrest counts as a firing). Returns the ids that left."""
    w = world.workers
    ids, first = np.unique(ids, return_index=True)
    causes = causes[first]
    keep = w.status[ids] == EMPLOYED
    ids, causes = ids[keep], causes[keep]
    if len(ids) == 0:
        return ids
    stop_striking(world, ids[w.striking[ids]])
    w.status[ids] = np.where(
        causes == RETIRED, RETIRED, np.where(causes == ARRESTED, ARRESTED, SEEKING)
    )
    causes = np.where(causes == ARRESTED, FIRED, causes).astype(np.int8)
    w.exit_cause[ids] = causes
    w.left[ids] = day
    w.applied[:, ids] = NOT_ON_LIST
    w.exemplary[ids] = False
    w.daycare_place[ids] = False
    world.shops.workers -= np.bincount(w.shop[ids], minlength=world.n_shops)
    world.brigades.workers -= np.bincount(w.brigade[ids], minlength=world.n_brigades)
    n_ent = world.n_enterprises
    ents = world.enterprises
    for counts, code in ((ents.quits, QUIT), (ents.fired, FIRED), (ents.retired, RETIRED)):
        counts += np.bincount(w.enterprise[ids[causes == code]], minlength=n_ent)
    _record_turnover(world, day, ids, causes)
    return ids


def _record_turnover(world: World, day: int, ids: np.ndarray, causes: np.ndarray) -> None:
    """Aggregate today's flows by enterprise, cause, age band and family (cause -1 = hired)."""
    code = turnover_codes(world, day, ids, causes)
    uniq, counts = np.unique(code, return_counts=True)
    # compact rows: (month, codes, counts) arrays; results.turnover_frame decodes them
    world.records.turnover.append((int(world.calendar.month_index[day]), uniq, counts))
