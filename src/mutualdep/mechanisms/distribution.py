"""Distribution through waiting lists: flats, cars, holiday vouchers, day-care places, goods.

Each enterprise gets, once a year on each list's allocation day, so many units: its industry's
provision per 1,000 workers, scaled by the enterprise's social infrastructure and by its
social funding (which self-financing can starve), plus what trading partners supply under
contracts. Each kind of partner has its own terms (``partner_terms``): a state farm's food
contract tolerates a short stoppage, barter partners break at one stoppage day and stay away for
months, a foreign joint-stock partner leaves for good; a partner may set its own. A month's
stoppage days at or above a contract's ``breach_days`` cut its supplies for its
``suspension_months`` (a ``contract_breached`` event names the kind). With ``labour_response``
on, all of it, goods included, scales each month by the enterprise's effort to get the labour
it lacks (``LabourResponse`` below): managers compete for labour with what they hand out.

Units go down each list in the order its rule sets. Under the *privileged* rule a quota of
them (``privileged_quota``) goes down a priority line, exemplary workers first, then the
occupations the enterprise privileges, each by date of application; the rest go to everyone
else by date. Under a *single line* only the date counts. A share of units
leaks to insiders who were never on the list. A worker who leaves, is fired or is sanctioned
loses his place (his application is dropped or re-dated; see labour_market and management).

Every month each worker's stake is valued from his own position in the world, each item against
what it would cost him to get it outside the enterprise (source: the comparative study's
argument; the values and discounting are assumptions in the scenario):

- a place on a list is worth V x (exp(-r x his remaining wait) - exp(-r x the wait outside)),
  where outside is the city's line (``restart_wait_years``) for a leaver, and for a sanctioned
  worker, who stays but goes to the back, a fresh place in his enterprise's general line (its
  length over its yearly units); a privileged or exemplary worker loses his priority line too,
  so his place is worth more;
- a day-care place his family holds is worth V x (1 - exp(-r x the city's day-care wait));
- the goods his enterprise actually obtains (its farm and shops, ``social.goods``, and its
  trading partners while their contracts hold) and his coupons (``workers.coupons``, see
  market) count for ``goods_horizon_months``, less the share his town's shops, market and
  shadow economy would supply (``towns.goods_access``: its ``market_access``, or what the
  market mechanism makes of it); goods withdrawn by a sanction are not his to lose; where the
  market sells a list's item (``towns.market_alt``), the better of it and the line outside
  counts.

With ``institutions.union_goods`` on, the voucher list queues only members of the union that
holds the lists, and non-members get ``1 - goods_share`` of the goods: what a member holds
through the union is valued with the rest of his stake, a non-member has none of it to lose.

``stake`` is what a leaver loses (labour market, dependence), ``at_risk`` what a sanction after
a failed strike takes (collective action). What the city has taken over (``welfare``) is
portable and does not count; with ``portable_places`` no place in line counts. ``dependence``
is the stake's share of what he would lose by leaving or by a failed strike:
stake / (stake + ``portable_months`` of pay).
"""

from __future__ import annotations

import numpy as np

from mutualdep.kernels import KeyRanks, queue_order
from mutualdep.random import stochastic_round
from mutualdep.scenario import LISTS, PARTNER_KINDS, LabourResponseParams
from mutualdep.shared_state import FOR_GOOD, group_sum, log_event, own_goods, union_members
from mutualdep.world import CAR, DAYCARE, HOUSING, NOT_ON_LIST, OWN_FLAT, VOUCHER, World

_MONTHS = 12  # the quits that count are those of the last year


class Distribution:
    name = "distribution"
    reads = (
        "economy.welfare",
        "enterprises.funding",
        "enterprises.ownership",
        "enterprises.partner_cut_until",
        "enterprises.quits",
        "enterprises.strike_days_month",
        "enterprises.union_lists",
        "shops.workers",
        "towns.goods_access",
        "towns.market_alt",
        "world.ent_privileged",
        "world.ent_single_line",
        "world.shop_target",
    )
    writes = (
        "enterprises.partner_cut_until",
        "enterprises.stoppage_cost",
        "enterprises.strike_days_month",
        "workers.applied",
        "workers.at_risk",
        "workers.daycare_place",
        "workers.dependence",
        "workers.housing",
        "workers.inkind",
        "workers.stake",
    )

    def __init__(self, world: World):
        self.p = p = world.scenario.distribution
        ind = world.industry_params
        self.social = np.array([[getattr(i.social, lst) for lst in LISTS] for i in ind])[
            world.ent_industry
        ]
        self.goods = own_goods(world)
        self._partner_terms(world)
        self._stoppage_cost(world)
        self.value = np.array([getattr(p.value, lst) for lst in LISTS])
        self.restart = np.array([getattr(p.restart_wait_years, lst) for lst in LISTS])
        self.alloc_day = [
            tuple(int(x) for x in getattr(p.allocation_day, lst).split("-")) for lst in LISTS
        ]
        inst = world.scenario.institutions
        # the union's goods and voucher list are its members' only (institutions.union_goods)
        self.union_vouchers = inst.enabled and inst.union_goods.enabled
        self.union_goods = inst.union_goods.goods_share if self.union_vouchers else 0.0
        self.key_ranks = KeyRanks()  # kernels.key_rank of the worker keys, kept between calls
        self.response = (
            LabourResponse(p.labour_response, world.n_enterprises)
            if p.labour_response.enabled
            else None
        )
        self.effort = np.ones(
            world.n_enterprises
        )  # acquisitions over plan, for the labour the enterprise lacks
        self._settle_history(world)
        self._monthly(world, 0)

    def _settle_history(self, world: World) -> None:
        """Hand out past years' flats and cars down each line by its own rule.

        The workforce starts with application dates spread over their careers; replaying the
        yearly allocations since the oldest application leaves the lines in the state their
        rules would have produced (privileged workers housed after a few years, others still
        waiting), instead of an arbitrary one.
        """
        w = world.workers
        n_ent = world.n_enterprises
        supply = self.supply_per_year(world) * (1 - self.p.leakage)
        rank_of_key = self.key_ranks(w.key[: w.n])
        for lst in (HOUSING, CAR):
            applied = w.applied[lst, : w.n]
            applied = applied[applied != NOT_ON_LIST]
            if len(applied) == 0:
                continue
            for day in range(int(applied.min()) + 365, 1, 365):
                idx, rank = self.queue(world, lst, rank_of_key, applied_by=day)
                units = stochastic_round(
                    supply[:, lst], world.streams.group_uniform(f"history/{LISTS[lst]}", day, n_ent)
                )
                position, line_units, _ = self.lines(world, idx, rank, units)
                got = idx[position < line_units]
                if lst == HOUSING:
                    w.housing[got] = OWN_FLAT
                w.applied[lst, got] = NOT_ON_LIST

    # ------------------------------------------------------------------ partners

    def _partner_terms(self, world: World) -> None:
        """Supplies and terms per (enterprise, kind of partner): a partner's own breach_days and
        suspension_months, else its kind's (``partner_terms``); two partners of a kind at one
        enterprise break together, at the shorter tolerance, for the longer suspension."""
        n_ent, n_kinds = world.n_enterprises, len(PARTNER_KINDS)
        self.partner_units = np.zeros((n_ent, n_kinds, len(LISTS)))
        self.partner_goods = np.zeros((n_ent, n_kinds))
        self.breach_days = np.full((n_ent, n_kinds), np.iinfo(np.int64).max)
        self.suspension = np.zeros((n_ent, n_kinds), np.int64)
        self.for_good = np.zeros((n_ent, n_kinds), bool)
        for e, partners in enumerate(world.ent_partners):
            for pa in partners:
                k = PARTNER_KINDS.index(pa.kind)
                terms = getattr(self.p.partner_terms, pa.kind)
                months = terms.suspension_months
                if pa.suspension_months is not None:
                    months = pa.suspension_months
                self.partner_units[e, k, HOUSING] += pa.housing
                self.partner_units[e, k, CAR] += pa.car
                self.partner_goods[e, k] += pa.goods
                self.breach_days[e, k] = min(
                    self.breach_days[e, k], pa.breach_days or terms.breach_days
                )
                if months is None:
                    self.for_good[e, k] = True
                else:
                    self.suspension[e, k] = max(self.suspension[e, k], months * 30)

    def _stoppage_cost(self, world: World) -> None:
        """Rubles of partner goods a worker loses if his enterprise stops for the expected
        length of a strike (``stoppage_cost``; 0 when off)."""
        if not self.p.stoppage_cost:
            return
        days = world.scenario.collective_action.expected_days
        months = np.where(self.for_good, self.p.goods_horizon_months, self.suspension / 30)
        breaks = (self.breach_days <= days) & self.partners_ok(world)
        lost = (self.partner_goods * months * breaks).sum(axis=1)
        world.enterprises.stoppage_cost[:] = lost * (1 - world.town_market_access[world.ent_town])

    def partners_ok(self, world: World) -> np.ndarray:
        """(enterprises, kinds): whose contracts deliver today."""
        return world.enterprises.partner_cut_until < world.day

    # ------------------------------------------------------------------ supplies

    def supply_per_year(self, world: World) -> np.ndarray:
        """(enterprises, lists) units a year at current staffing, funding and contracts."""
        workers = group_sum(
            world.shop_enterprise, world.shops.workers.astype(float), world.n_enterprises
        )
        partners_ok = self.partners_ok(world)[:, :, None]
        own = (
            self.social
            * (workers / 1000.0 * world.ent_social_scale * world.enterprises.funding)[:, None]
        )
        partners = (self.partner_units * partners_ok).sum(axis=1) * (workers / 1000.0)[:, None]
        return (own + partners) * self.effort[:, None]

    def goods_per_worker(self, world: World) -> np.ndarray:
        partner_goods = (self.partner_goods * self.partners_ok(world)).sum(axis=1)
        return (self.goods * world.enterprises.funding + partner_goods) * self.effort

    # ------------------------------------------------------------------ queues

    def priority_class(self, world: World, idx: np.ndarray) -> np.ndarray:
        """0 exemplary, 1 privileged occupation (unless a sanction barred him), 2 everyone else
        (int8); all 2 under a single line or when the priority line gets no quota."""
        w = world.workers
        ent = w.enterprise[idx].astype(np.intp)
        privileged = world.ent_privileged.ravel()[
            ent * world.ent_privileged.shape[1] + w.occupation[idx]
        ]
        cls = np.where(privileged & ~w.barred[idx], np.int8(1), np.int8(2))
        cls[w.exemplary[idx]] = 0
        cls[world.ent_single_line[ent] | (self.p.privileged_quota == 0)] = 2
        return cls

    def queue(
        self,
        world: World,
        lst: int,
        rank_of_key: np.ndarray | None = None,
        applied_by: int | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Employed applicants of a list in allocation order, and each one's rank in his enterprise.

        The order is by enterprise, priority class, date of application, then random key (then
        id). ``rank_of_key`` (``kernels.key_rank`` of the keys of ids 0..n-1) may be passed
        when several lists are queued at once. ``applied_by`` keeps only those who had applied
        by that day.
        """
        w = world.workers
        on_list = w.applied[lst, : w.n] != NOT_ON_LIST
        if applied_by is not None:
            on_list &= w.applied[lst, : w.n] <= applied_by
        if lst == VOUCHER and self.union_vouchers:
            on_list &= union_members(world)
        idx = np.flatnonzero(world.employed() & on_list)
        ent = w.enterprise[idx]
        if rank_of_key is None:
            rank_of_key = self.key_ranks(w.key[: w.n])
        order = queue_order(
            ent, self.priority_class(world, idx), w.applied[lst, idx], rank_of_key[idx]
        )
        idx = idx[order]
        sorted_ent = ent[order]
        first = np.searchsorted(sorted_ent, np.arange(world.n_enterprises))
        rank = np.arange(len(idx)) - first[sorted_ent]
        return idx, rank

    def lines(
        self, world: World, idx: np.ndarray, rank: np.ndarray, units: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Split each enterprise's units between the priority line and the general line.

        Under the privileged rule ``privileged_quota`` of the units go to the priority line
        (exemplary, then privileged occupations, by date; any it cannot use pass on), the rest
        to everyone else by date; with no quota there is one line. ``idx`` and ``rank`` come
        from ``queue``. Returns each
        applicant's position in his own line, the units his line gets, and whether his line is the
        priority line.
        """
        ent = world.workers.enterprise[idx]
        priority = self.priority_class(world, idx) < 2
        n_priority = np.bincount(ent[priority], minlength=world.n_enterprises)
        priority_units = np.minimum(np.floor(units * self.p.privileged_quota + 0.5), n_priority)
        position = np.where(priority, rank, rank - n_priority[ent])
        line_units = np.where(priority, priority_units[ent], (units - priority_units)[ent])
        return position, line_units, priority

    # ------------------------------------------------------------------ the day

    def step(self, world: World, day: int) -> None:
        cal = world.calendar
        if self.response is not None:
            self.response.count_quits(world)
            if cal.month_start[day]:
                self.effort = self.response.effort(world)
        for lst in range(len(LISTS)):
            if cal.is_annual(day, self.alloc_day[lst]):
                self.allocate(world, day, lst)
        if cal.month_end[day]:
            self._check_contracts(world, day)
        if cal.month_start[day]:
            self._monthly(world, day)

    def allocate(self, world: World, day: int, lst: int) -> None:
        w, p = world.workers, self.p
        n_ent = world.n_enterprises
        units = stochastic_round(
            self.supply_per_year(world)[:, lst],
            world.streams.group_uniform(f"alloc/{LISTS[lst]}", day, n_ent),
        )
        leaked = stochastic_round(
            units * p.leakage, world.streams.group_uniform(f"leak/{LISTS[lst]}", day, n_ent)
        )
        to_list = units - leaked
        idx, rank = self.queue(world, lst)
        position, line_units, priority = self.lines(world, idx, rank, to_list)
        served = position < line_units
        got = idx[served]
        wait = (day - w.applied[lst, got]) / 365.25
        privileged = priority[served]
        self._record(world, day, lst, got, wait, privileged, leaked)
        if lst == HOUSING:
            w.housing[got] = OWN_FLAT
        if lst == DAYCARE:
            w.daycare_place[got] = True
        w.applied[lst, got] = day if lst == VOUCHER else NOT_ON_LIST

    def _record(self, world, day, lst, got, wait, privileged, leaked) -> None:
        w = world.workers
        ent, occ = w.enterprise[got].astype(np.int64), w.occupation[got].astype(np.int64)
        group = (ent * world.n_occupations + occ) * 2 + privileged
        uniq, inv, counts = np.unique(group, return_inverse=True, return_counts=True)
        wait_mean = np.bincount(inv, weights=wait) / counts
        rows = world.records.allocations
        for g, c, m in zip(uniq.tolist(), counts.tolist(), wait_mean.tolist(), strict=True):
            e, rest = divmod(g, world.n_occupations * 2)
            o, priv = divmod(rest, 2)
            rows.append((day, e, LISTS[lst], world.occupation_names[o], bool(priv), c, m))
        for e in np.flatnonzero(leaked):
            rows.append((day, int(e), LISTS[lst], "insider", True, int(leaked[e]), float("nan")))

    def _check_contracts(self, world: World, day: int) -> None:
        """A month's stoppage days breach each kind of contract that tolerates fewer."""
        cut = world.enterprises.partner_cut_until
        breached = (world.enterprises.strike_days_month[:, None] >= self.breach_days) & (cut < day)
        for e, k in zip(*np.nonzero(breached), strict=True):
            label = PARTNER_KINDS[k].replace("_", " ")
            if self.for_good[e, k]:
                cut[e, k] = FOR_GOOD
                detail = f"{label} contract ended for good"
            else:
                cut[e, k] = day + self.suspension[e, k]
                detail = f"{label} supplies cut for {self.suspension[e, k]} days"
            log_event(world, "contract_breached", int(e), detail=detail)
        world.enterprises.strike_days_month[:] = 0
        self._stoppage_cost(world)

    # ------------------------------------------------------------------ stakes

    def _monthly(self, world: World, day: int) -> None:
        """Value every worker's in-kind flow, his places in line, and his dependence."""
        w, p = world.workers, self.p
        n = w.n
        ent = w.enterprise[:n]
        goods = self.goods_per_worker(world)
        supply = self.supply_per_year(world) * (1 - p.leakage)
        # a sanction withdraws them
        if self.union_goods:
            goods = goods[ent] * (1 - self.union_goods * ~union_members(world))
        else:
            goods = goods[ent]
        received = (goods + w.coupons[:n]) * (w.goods_cut_until[:n] <= day)
        daycare = w.daycare_place[:n]
        inkind = received + self.value[DAYCARE] / 12 * daycare
        r = p.discount_rate
        town = world.ent_town[ent]
        alt = world.towns.market_alt  # (towns, lists): the market's way to each item
        held_daycare = (
            self.value[DAYCARE]
            * (1 - np.maximum(np.exp(-r * self.restart[DAYCARE]), alt[town, DAYCARE]))
            * daycare
        )
        outside = 1 - world.towns.goods_access[town]
        goods_lost = p.goods_horizon_months * received * outside
        leave = held_daycare + goods_lost
        at_risk = leave.copy()
        rank_of_key = self.key_ranks(w.key[:n])
        for lst in range(len(LISTS)):
            idx, rank = self.queue(world, lst, rank_of_key)
            position, rate, priority = self.lines(world, idx, rank, supply[:, lst])
            remaining = position / np.maximum(rate, 1e-6)
            inkind[idx] += self.value[lst] / 12 * (position < rate)
            if p.portable_places:
                continue
            # a fresh place at the back of this enterprise's general line
            e = w.enterprise[idx]
            general = np.bincount(e[~priority], minlength=world.n_enterprises).astype(float)
            general_rate = np.bincount(
                e[~priority], weights=rate[~priority], minlength=world.n_enterprises
            ).astype(float)
            general_rate /= np.maximum(general, 1)
            fresh = (general / np.maximum(general_rate, 1e-6))[e]
            now = np.exp(-r * remaining)
            market = alt[town[idx], lst]
            elsewhere = np.maximum(np.exp(-r * self.restart[lst]), market)
            leave[idx] += self.value[lst] * np.maximum(now - elsewhere, 0.0)
            at_risk[idx] += self.value[lst] * np.maximum(
                now - np.maximum(np.exp(-r * fresh), market), 0.0
            )
        kept = 1 - world.economy.welfare
        stake = kept * leave + world.enterprises.ownership[ent]
        w.inkind[:n] = inkind
        w.stake[:n] = stake
        w.at_risk[:n] = kept * at_risk
        w.dependence[:n] = stake / np.maximum(stake + p.portable_months * w.wage[:n], 1e-6)


class LabourResponse:
    """Managers who answer the labour market: each enterprise's acquisition effort.

    Labour is as scarce as any input, and managers compete for it with what they hand out (the
    model brief, mechanism 5): an enterprise short of workers builds and buys more flats, gets
    more goods from its partners, hands out more vouchers and places, and so more privileged
    places; one with labour to spare does less. Each month the effort is
    1 + vacancy_effect x (vacancy rate - reference_vacancy) + quit_effect x (yearly quit rate -
    reference_quit_rate), kept between 1 - ``max_cut`` and 1 + ``max_raise`` x its social
    funding (at most 1): a raise needs money, so a fund that self-financing starved pays for
    none. The vacancy rate is its posts unfilled at the month's start, the quit rate its quits
    of the last 12 months (of those run so far) over its headcount, a year's worth. A labour
    surplus fills vacancies faster and damps quits, and so lowers the effort through them.
    """

    def __init__(self, p: LabourResponseParams, n_enterprises: int):
        self.p = p
        self.quits_by_month = np.zeros((_MONTHS, n_enterprises))
        self.month_quits = np.zeros(n_enterprises)
        self.months = 0

    def count_quits(self, world: World) -> None:
        """Add the quits the labour market booked on the day before (it runs after
        distribution and resets its counts each morning)."""
        self.month_quits += world.enterprises.quits

    def effort(self, world: World) -> np.ndarray:
        """Close the month's quit count and return each enterprise's effort (float, 1 =
        acquisitions as planned)."""
        p, n_ent = self.p, world.n_enterprises
        if self.months:  # the first call opens the first month: nothing to close
            self.quits_by_month[self.months % _MONTHS] = self.month_quits
        self.month_quits = np.zeros(n_ent)
        self.months += 1
        posts = group_sum(world.shop_enterprise, world.shop_target.astype(float), n_ent)
        workers = group_sum(world.shop_enterprise, world.shops.workers.astype(float), n_ent)
        vacancy = np.maximum(posts - workers, 0) / np.maximum(posts, 1)
        seen = min(self.months - 1, _MONTHS)
        quit_rate = np.full(n_ent, p.reference_quit_rate)
        if seen:
            quits = self.quits_by_month.sum(axis=0) * _MONTHS / seen
            quit_rate = quits / np.maximum(workers, 1)
        need = p.vacancy_effect * (vacancy - p.reference_vacancy) + p.quit_effect * (
            quit_rate - p.reference_quit_rate
        )
        ceiling = 1 + p.max_raise * np.clip(world.enterprises.funding, 0, 1)
        return np.clip(1 + need, 1 - p.max_cut, ceiling)
