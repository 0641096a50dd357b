"""The world's tables: workers, brigades, shops, enterprises, towns, regions.

State is columns; an agent is an integer id. Worker ids are dense and never reused: leaving is
a status. Capacity grows by a quarter when hires run past it. Every worker also carries a stable
64-bit ``key`` (enterprise and hiring ordinal) that indexes his random draws, so that a lever
which changes hiring in one enterprise leaves every other enterprise's draws untouched.

Group membership is integer columns; group arithmetic is ``np.bincount``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mutualdep.calendar import Calendar
from mutualdep.random import Streams, keys_for, stable_key
from mutualdep.scenario import LISTS, Scenario
from mutualdep.world_state import (
    Brigades,
    Economy,
    Enterprises,
    Industries,
    Messages,
    Records,
    Regions,
    Shops,
    Towns,
)

EMPLOYED, QUIT, FIRED, RETIRED = 0, 1, 2, 3
# a quitter or a dismissed worker looks for work in his town (QUIT and FIRED are exit causes)
SEEKING = 4
# an arrested striker is held until ``held_until``, then seeks work (also an exit cause, counted
# as fired)
ARRESTED = 5
# every status a worker can be in (the invariant tests check against this set: add new ones here)
STATUSES = (EMPLOYED, RETIRED, SEEKING, ARRESTED)
BARRACKS, SHARED, OWN_FLAT = 0, 1, 2
N_LISTS = len(LISTS)
HOUSING, CAR, VOUCHER, DAYCARE = range(N_LISTS)
NOT_ON_LIST = np.iinfo(np.int32).min


class Workers:
    """Worker columns. Arrays are sized to capacity; ids ``0..n-1`` are in use."""

    # ``enterprise`` of a job seeker is the one he left, ``left`` the day he left it;
    # ``held_until`` the day an arrested worker is released
    int32_cols = (
        "enterprise",
        "shop",
        "brigade",
        "hired",
        "ordinal",
        "walked_out",
        "goods_cut_until",
        "left",
        "held_until",
    )
    float32_cols = (
        "born",
        "skill",
        "wage",
        "savings",
        "grievance",
        "risk",
        "benefit",
        "pay_cost",
        "stake",
        "at_risk",
        "inkind",
        "dependence",
        "g_noise",
        "coupons",
    )
    # ``union``: shared_state.UNIONS code (kept by institutions)
    int8_cols = ("status", "housing", "children", "struck_days", "exit_cause", "union")
    bool_cols = (
        "male",
        "married",
        "exemplary",
        "striking",
        "initiator",
        "daycare_place",
        "sanctioned",
        "barred",
    )

    def __init__(self, capacity: int):
        self.n = 0
        self.capacity = 0
        self.occupation = np.zeros(0, np.int16)
        # the trade and shop a worker left for a privileged job to get a flat (-1: none)
        self.trade = np.zeros(0, np.int16)
        self.trade_shop = np.zeros(0, np.int32)
        self.key = np.zeros(0, np.uint64)
        self.applied = np.zeros((N_LISTS, 0), np.int32)
        for name in self.int32_cols:
            setattr(self, name, np.zeros(0, np.int32))
        for name in self.float32_cols:
            setattr(self, name, np.zeros(0, np.float32))
        for name in self.int8_cols:
            setattr(self, name, np.zeros(0, np.int8))
        for name in self.bool_cols:
            setattr(self, name, np.zeros(0, bool))
        self.grow(capacity)

    def columns(self) -> list[str]:
        return [
            "occupation",
            "trade",
            "trade_shop",
            "key",
            *self.int32_cols,
            *self.float32_cols,
            *self.int8_cols,
            *self.bool_cols,
        ]

    def grow(self, capacity: int) -> None:
        if capacity <= self.capacity:
            return
        for name in self.columns():
            old = getattr(self, name)
            new = np.zeros(capacity, old.dtype)
            new[: self.n] = old[: self.n]
            setattr(self, name, new)
        applied = np.full((N_LISTS, capacity), NOT_ON_LIST, np.int32)
        applied[:, : self.n] = self.applied[:, : self.n]
        self.applied = applied
        self.status[self.n :] = RETIRED  # unused slots are never "employed"
        self.capacity = capacity

    def reserve(self, extra: int) -> tuple[int, int]:
        """Make room for ``extra`` new ids; returns their range."""
        if self.n + extra > self.capacity:
            # by a quarter, not double: while growing, old and new columns are both alive
            self.grow(max(self.capacity + self.capacity // 4, self.n + extra))
        lo = self.n
        self.n += extra
        return lo, self.n

    def nbytes(self) -> int:
        return sum(getattr(self, c).nbytes for c in self.columns()) + self.applied.nbytes


@dataclass
class World:
    """Everything a mechanism may read or change, as arrays."""

    scenario: Scenario
    calendar: Calendar
    streams: Streams
    workers: Workers
    # names
    occupation_names: list[str]
    industry_names: list[str]
    region_names: list[str]
    town_names: list[str]
    enterprise_names: list[str]
    shop_kinds: list[str]
    # regions
    region_wage_coef: np.ndarray
    # towns
    town_region: np.ndarray
    town_company: np.ndarray
    town_isolation: np.ndarray
    town_other_employers: np.ndarray
    town_market_access: np.ndarray
    town_links: np.ndarray  # (towns, towns) committee link weights
    # industries
    industry_params: list
    industry_trust: np.ndarray
    # enterprises
    ent_industry: np.ndarray
    ent_town: np.ndarray
    ent_region: np.ndarray
    ent_social_scale: np.ndarray
    ent_single_line: np.ndarray
    ent_published: np.ndarray
    ent_capacity: np.ndarray
    ent_privileged: np.ndarray  # (enterprises, occupations) bool
    ent_partners: list[list]
    ent_joint_stock: np.ndarray  # a joint-stock company with a foreign partner at the start
    ent_workers_start: np.ndarray
    # shops
    shop_enterprise: np.ndarray
    shop_kind: np.ndarray
    shop_tech_age: np.ndarray
    shop_pollution: np.ndarray
    shop_target: np.ndarray  # staffing target
    shop_occ_mix: list[tuple[np.ndarray, np.ndarray]]  # occupations, probabilities per shop
    # brigades
    brigade_shop: np.ndarray
    # random-stream key of each enterprise; hires so far (each worker's ordinal), add_workers
    ent_key: np.ndarray
    hire_ordinal: np.ndarray
    # personal ties between the initial workers, a symmetric compressed sparse adjacency:
    # the ties of worker i are tie_indices[tie_indptr[i]:tie_indptr[i + 1]] (see build_ties)
    tie_indptr: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    tie_indices: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    day: int = 0
    # real workers one agent stands for (the scenario's ``scale``); counts here are agents
    scale: int = 1
    # each shop's brigades are ids first .. first + count - 1 (set once the brigades are made)
    shop_first_brigade: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    shop_brigade_count: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    # padded occupation mix of each shop, built on first use (``shop_occupation_table``)
    shop_occ_table: tuple | None = field(default=None, repr=False)
    # the live state of each group (world_state), set by shared_state.init_shared_state
    shops: Shops = field(init=False, repr=False)
    brigades: Brigades = field(init=False, repr=False)
    enterprises: Enterprises = field(init=False, repr=False)
    towns: Towns = field(init=False, repr=False)
    regions: Regions = field(init=False, repr=False)
    industries: Industries = field(init=False, repr=False)
    economy: Economy = field(init=False, repr=False)
    messages: Messages = field(init=False, repr=False)
    records: Records = field(init=False, repr=False)

    @property
    def n_regions(self) -> int:
        return len(self.region_names)

    @property
    def n_towns(self) -> int:
        return len(self.town_names)

    @property
    def n_enterprises(self) -> int:
        return len(self.enterprise_names)

    @property
    def n_shops(self) -> int:
        return len(self.shop_enterprise)

    @property
    def n_brigades(self) -> int:
        return len(self.brigade_shop)

    @property
    def n_occupations(self) -> int:
        return len(self.occupation_names)

    def employed(self) -> np.ndarray:
        """Boolean mask over ids 0..n-1."""
        w = self.workers
        return w.status[: w.n] == EMPLOYED

    def age(self) -> np.ndarray:
        w = self.workers
        return self.calendar.fractional_year(self.day) - w.born[: w.n]


def build_world(scenario: Scenario, seed: int) -> World:
    """Create the tables of a scenario: places first, then one block of workers per enterprise."""
    s = scenario
    cal = Calendar(s.start, s.end)
    streams = Streams(seed)
    occ_index = {o.name: i for i, o in enumerate(s.occupations)}
    ind_names = list(s.industries)
    ind_index = {n: i for i, n in enumerate(ind_names)}
    region_index = {r.name: i for i, r in enumerate(s.regions)}
    town_index = {t.name: i for i, t in enumerate(s.towns)}
    shop_kinds = sorted({sh.kind for ind in s.industries.values() for sh in ind.shops})
    kind_index = {k: i for i, k in enumerate(shop_kinds)}

    town_region = np.array([region_index[t.region] for t in s.towns], np.int32)
    links = np.where(
        town_region[:, None] == town_region[None, :],
        s.spread.same_region_weight,
        s.spread.cross_region_weight,
    ).astype(np.float64)
    for link in s.spread.links:
        a, b = town_index[link.a], town_index[link.b]
        links[a, b] = links[b, a] = link.weight
    np.fill_diagonal(links, 0.0)

    ent_rows = []  # (enterprise spec, name)
    for e in s.enterprises:
        names = [e.name] if e.count == 1 else [f"{e.name} {i + 1}" for i in range(e.count)]
        ent_rows += [(e, n) for n in names]
    n_ent = len(ent_rows)
    n_occ = len(s.occupations)

    ent_industry = np.array([ind_index[e.industry] for e, _ in ent_rows], np.int32)
    ent_town = np.array([town_index[e.town] for e, _ in ent_rows], np.int32)
    ent_privileged = np.zeros((n_ent, n_occ), bool)
    for i, (e, _) in enumerate(ent_rows):
        names = e.privileged_occupations
        if names is None:
            names = s.industries[e.industry].privileged_occupations
        ent_privileged[i, [occ_index[o] for o in names]] = True

    shop_ent, shop_kind, shop_age, shop_poll, shop_target, shop_mix = [], [], [], [], [], []
    brigade_shop: list[np.ndarray] = []
    worker_blocks = []  # (enterprise, shop ids per worker)
    for ei, (e, _) in enumerate(ent_rows):
        ind = s.industries[e.industry]
        shares = np.array([sh.share for sh in ind.shops], np.float64)
        sizes = _split(agents_for(e.workers, s.scale), shares / shares.sum())
        shops_here = []
        for sh, size in zip(ind.shops, sizes, strict=True):
            sid = len(shop_ent)
            shop_ent.append(ei)
            shop_kind.append(kind_index[sh.kind])
            shop_age.append(e.shop_technology_age.get(sh.kind, sh.technology_age))
            shop_poll.append(sh.pollution)
            shop_target.append(size)
            occ = np.array([occ_index[o] for o in sh.occupations], np.int16)
            p = np.array(list(sh.occupations.values()), np.float64)
            shop_mix.append((occ, p / p.sum()))
            shops_here.append(np.full(size, sid, np.int32))
        worker_blocks.append(
            (ei, np.concatenate(shops_here) if shops_here else np.zeros(0, np.int32))
        )

    n_workers = sum(len(b) for _, b in worker_blocks)
    workers = Workers(capacity=max(16, int(n_workers * 1.25)))
    world = World(
        scenario=s,
        calendar=cal,
        streams=streams,
        workers=workers,
        occupation_names=[o.name for o in s.occupations],
        industry_names=ind_names,
        region_names=[r.name for r in s.regions],
        town_names=[t.name for t in s.towns],
        enterprise_names=[n for _, n in ent_rows],
        shop_kinds=shop_kinds,
        region_wage_coef=np.array([r.wage_coefficient for r in s.regions]),
        town_region=town_region,
        town_company=np.array([t.company_town for t in s.towns]),
        town_isolation=np.array([t.isolation for t in s.towns]),
        town_other_employers=np.array([t.other_employers for t in s.towns]),
        town_market_access=np.array([t.market_access for t in s.towns]),
        town_links=links,
        industry_params=[s.industries[n] for n in ind_names],
        industry_trust=np.array([s.industries[n].team_trust for n in ind_names]),
        ent_industry=ent_industry,
        ent_town=ent_town,
        ent_region=town_region[ent_town],
        ent_social_scale=np.array([e.social_scale for e, _ in ent_rows]),
        ent_single_line=np.array(
            [(e.distribution or s.distribution.rule) == "single_line" for e, _ in ent_rows]
        ),
        ent_published=np.array(
            [s.distribution.published if e.published is None else e.published for e, _ in ent_rows]
        ),
        ent_capacity=np.array(
            [
                e.management_capacity
                if e.management_capacity is not None
                else min(
                    1.0, s.industries[e.industry].management_capacity * (e.workers / 5000) ** 0.25
                )
                for e, _ in ent_rows
            ]
        ),
        ent_privileged=ent_privileged,
        ent_partners=[list(e.partners) for e, _ in ent_rows],
        ent_joint_stock=np.array([e.joint_stock for e, _ in ent_rows], bool),
        ent_workers_start=np.array([len(b) for _, b in worker_blocks], np.int64),
        shop_enterprise=np.array(shop_ent, np.int32),
        shop_kind=np.array(shop_kind, np.int32),
        shop_tech_age=np.array(shop_age, np.float64),
        shop_pollution=np.array(shop_poll, np.float64),
        shop_target=np.array(shop_target, np.int64),
        shop_occ_mix=shop_mix,
        brigade_shop=np.zeros(0, np.int32),
        ent_key=np.array([stable_key("enterprise", n) for _, n in ent_rows], np.uint64),
        hire_ordinal=np.zeros(n_ent, np.int64),
        scale=s.scale,
    )

    # brigades: consecutive blocks of each shop's initial workers
    brigade_of_worker = []
    first = 0  # brigades made so far
    for ei, shops in worker_blocks:
        size = agents_for(s.industries[ent_rows[ei][0].industry].brigade_size, s.scale)
        for sid in np.unique(shops):
            members = int((shops == sid).sum())
            n_brig = max(1, round(members / size))
            brigade_shop.append(np.full(n_brig, sid, np.int32))
            brigade_of_worker.append(first + (np.arange(members) * n_brig) // members)
            first += n_brig
    world.brigade_shop = np.concatenate(brigade_shop) if brigade_shop else np.zeros(0, np.int32)
    world.shop_first_brigade, world.shop_brigade_count = _shop_brigade_ranges(
        world.brigade_shop, world.n_shops
    )

    b_iter = iter(brigade_of_worker)
    for ei, shops in worker_blocks:
        if len(shops) == 0:
            continue
        brig = np.concatenate([next(b_iter) for _ in np.unique(shops)])
        add_workers(world, np.full(len(shops), ei), shops, brig.astype(np.int32), initial=True)
    world.tie_indptr, world.tie_indices = build_ties(world)
    return world


def occupation_targets(world: World) -> np.ndarray:
    """(enterprises, occupations) headcount each enterprise's staffing targets call for."""
    target = np.zeros((world.n_enterprises, world.n_occupations))
    for sid, (occ, prob) in enumerate(world.shop_occ_mix):
        target[world.shop_enterprise[sid], occ] += world.shop_target[sid] * prob
    return target


def _draw_outside(
    u: np.ndarray, lo: np.ndarray, size: np.ndarray, own_lo: np.ndarray, own_size: np.ndarray
) -> np.ndarray:
    """Positions drawn uniformly in [lo, lo + size) outside the worker's own block
    [own_lo, own_lo + own_size) that lies inside it; -1 where nothing lies outside."""
    room = size - own_size
    pos = lo + np.minimum((u * room).astype(np.int64), np.maximum(room - 1, 0))
    pos = np.where(pos >= own_lo, pos + own_size, pos)
    return np.where(room > 0, pos, -1)


def build_ties(world: World) -> tuple[np.ndarray, np.ndarray]:
    """Each initial worker's personal ties: ``spread.ties_shop`` workmates drawn from the other
    shops of his enterprise and ``spread.ties_town`` neighbours or kin drawn from the other
    enterprises of his town; every tie is mutual. Returned as a compressed sparse adjacency
    (indptr, indices). Workers hired later have no personal ties.

    Built without a per-worker loop: initial workers are contiguous by enterprise and, within
    it, by shop, so "another shop" or "another enterprise" is a uniform draw in a range with
    the worker's own block cut out.
    """
    w, sp = world.workers, world.scenario.spread
    n = w.n
    ids = np.arange(n, dtype=np.int64)
    keys = w.key[:n]
    src, dst = [], []

    def first_and_size(group: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
        size = np.bincount(group, minlength=n_groups).astype(np.int64)
        return np.concatenate([[0], np.cumsum(size)[:-1]]), size

    ent = w.enterprise[:n].astype(np.int64)
    shop = w.shop[:n].astype(np.int64)
    e_lo, e_size = first_and_size(ent, world.n_enterprises)
    s_lo, s_size = first_and_size(shop, world.n_shops)
    for j in range(sp.ties_shop):
        u = world.streams.uniform(f"init/tie_shop/{j}", 0, keys)
        pos = _draw_outside(u, e_lo[ent], e_size[ent], s_lo[shop], s_size[shop])
        src.append(ids[pos >= 0])
        dst.append(pos[pos >= 0])
    town = world.ent_town[ent].astype(np.int64)
    by_town = np.argsort(town, kind="stable")  # enterprise blocks stay whole inside a town
    t_lo, t_size = first_and_size(town, world.n_towns)
    place = np.empty(n, np.int64)
    place[by_town] = ids
    own_lo = place[e_lo[ent]]  # where his enterprise's block starts in the town order
    for j in range(sp.ties_town):
        u = world.streams.uniform(f"init/tie_town/{j}", 0, keys)
        pos = _draw_outside(u, t_lo[town], t_size[town], own_lo, e_size[ent])
        src.append(ids[pos >= 0])
        dst.append(by_town[pos[pos >= 0]])
    a = np.concatenate([*src, *dst]) if src else np.zeros(0, np.int64)
    b = np.concatenate([*dst, *src]) if src else np.zeros(0, np.int64)
    order = np.argsort(a, kind="stable")
    indptr = np.concatenate([[0], np.cumsum(np.bincount(a, minlength=n))]).astype(np.int64)
    return indptr, b[order].astype(np.int32)


def agents_for(workers: int, scale: int) -> int:
    """Agents that stand for ``workers`` real workers
    at ``scale`` workers an agent (at least one)."""
    return workers if scale == 1 else max(1, round(workers / scale))


def _shop_brigade_ranges(brigade_shop: np.ndarray, n_shops: int) -> tuple[np.ndarray, np.ndarray]:
    counts = np.bincount(brigade_shop, minlength=n_shops)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return first, counts


def _split(total: int, shares: np.ndarray) -> list[int]:
    """Integer sizes that sum to total (largest remainder)."""
    raw = shares * total
    sizes = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - sizes))[: total - sizes.sum()]:
        sizes[i] += 1
    return sizes.tolist()


def shop_occupation_table(world: World) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each shop's occupation mix as padded arrays: cumulative probabilities (inf past the end),
    occupation codes and the number of choices. Built once from ``shop_occ_mix`` and cached."""
    table = world.shop_occ_table
    if table is None:
        width = max((len(c) for c, _ in world.shop_occ_mix), default=1)
        cum = np.full((world.n_shops, width), np.inf)
        codes = np.zeros((world.n_shops, width), np.int16)
        length = np.ones(world.n_shops, np.int64)
        for sid, (choices, p) in enumerate(world.shop_occ_mix):
            cum[sid, : len(p)] = np.cumsum(p)
            codes[sid, : len(p)] = choices
            length[sid] = len(p)
        table = world.shop_occ_table = (cum, codes, length)
    return table


def choose_occupations(world: World, shops: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Occupation of each new worker from his shop's mix and one uniform each: the choice
    ``searchsorted(cumsum(p), u, side="right")``, clipped to the last choice."""
    cum, codes, length = shop_occupation_table(world)
    below = (cum[shops] <= u[:, None]).sum(axis=1)
    return codes[shops, np.minimum(below, length[shops] - 1)]


def add_workers(
    world: World,
    enterprises: np.ndarray,
    shops: np.ndarray,
    brigades: np.ndarray | None,
    initial: bool,
) -> np.ndarray:
    """Append workers; their attributes come from streams keyed by (enterprise, hiring ordinal).

    Initial workers have a spread of ages and tenures; hires are mostly young entrants. Without
    ``brigades``, a hire joins the brigades of his shop in turn. Returns the new ids.
    """
    w, s, st = world.workers, world.scenario, world.streams
    enterprises = np.asarray(enterprises, np.int64)
    n = len(shops)
    lo, hi = w.reserve(n)
    ids = np.arange(lo, hi)
    order = np.argsort(enterprises, kind="stable")
    sorted_ent = enterprises[order]
    within = np.empty(n, np.int64)
    within[order] = np.arange(n) - np.searchsorted(sorted_ent, sorted_ent, side="left")
    hire_ordinal = world.hire_ordinal
    ordinal = hire_ordinal[enterprises] + within
    hire_ordinal += np.bincount(enterprises, minlength=len(hire_ordinal))
    keys = keys_for(world.ent_key[enterprises], ordinal)
    if brigades is None:
        first, count = world.shop_first_brigade, world.shop_brigade_count
        brigades = first[shops] + ordinal % count[shops]
    enterprise = enterprises
    day = world.day
    now = world.calendar.fractional_year(day)

    u = lambda name: st.uniform("init/" + name, 0, keys)  # noqa: E731 - attribute streams, day-independent
    # occupation from the shop's mix (inverse CDF; the same as searchsorted(cumsum(p), u, "right"))
    occ = choose_occupations(world, shops, u("occupation"))
    pop = s.population
    male = u("sex") < pop.male_share
    if initial:
        age = 18 + 42 * u("age") ** pop.initial_age_exponent
    else:
        age = 18 + 20 * u("age") ** pop.entrant_age_exponent
    retire = np.array([o.retire_age for o in s.occupations])[occ]
    age = np.minimum(age, retire - 0.5)
    married = u("married") < np.clip((age - 20) / 10, 0.05, 0.85)
    children = np.where(married, np.floor(u("children") * 3.2 * np.clip((age - 21) / 12, 0, 1)), 0)
    tenure_years = np.where(initial, np.minimum(age - 18, 30 * u("tenure") ** 1.5), 0.0)
    skill = 0.6 + 0.8 * u("skill") * np.clip(tenure_years / 10 + 0.3, 0, 1)

    w.enterprise[lo:hi] = enterprise
    w.shop[lo:hi] = shops
    w.brigade[lo:hi] = brigades
    w.occupation[lo:hi] = occ
    w.trade[lo:hi] = -1
    w.key[lo:hi] = keys
    w.ordinal[lo:hi] = ordinal
    w.born[lo:hi] = now - age
    w.male[lo:hi] = male
    w.married[lo:hi] = married
    w.children[lo:hi] = children
    w.skill[lo:hi] = skill
    w.hired[lo:hi] = day - np.round(tenure_years * 365.25).astype(np.int32)
    w.status[lo:hi] = EMPLOYED
    occ_params = s.occupations
    base = np.array([o.base_wage for o in occ_params], np.float32)[occ]
    w.wage[lo:hi] = base * world.region_wage_coef[world.ent_region[enterprise]]
    w.savings[lo:hi] = w.wage[lo:hi] * np.where(
        initial, 1 + 6 * u("savings") * np.clip(tenure_years / 10, 0, 1), 0.5
    )
    ca = s.collective_action
    w.risk[lo:hi] = ca.risk_mean * np.exp(
        ca.risk_sd * st.normal("init/risk", 0, keys) - ca.risk_sd**2 / 2
    )
    w.g_noise[lo:hi] = s.grievance.noise * st.normal("init/grievance", 0, keys)
    w.striking[lo:hi] = False
    w.initiator[lo:hi] = False
    w.sanctioned[lo:hi] = False
    w.barred[lo:hi] = False
    w.walked_out[lo:hi] = -1
    w.goods_cut_until[lo:hi] = 0

    d = s.distribution
    housed_p = np.where(initial, d.own_flat_share * np.clip((age - 20) / 25 + 0.3, 0, 1.6), 0.05)
    own = u("housing") < housed_p
    barracks = u("barracks") < np.where(married, d.barracks_share * 0.5, d.barracks_share * 1.5)
    w.housing[lo:hi] = np.where(own, OWN_FLAT, np.where(barracks, BARRACKS, SHARED))
    hired = w.hired[lo:hi]
    delay = np.round(365 * 2 * u("applied")).astype(np.int32)
    # families join the flat line (singles live in hostels); some time after hiring or marriage
    w.applied[HOUSING, lo:hi] = np.where(
        own | ~married, NOT_ON_LIST, np.minimum(hired + delay, day)
    )
    w.applied[CAR, lo:hi] = np.where(
        u("car") < pop.car_line_share, np.minimum(hired + delay, day), NOT_ON_LIST
    )
    # the holiday line recycles every year: his current application is from the last two years
    w.applied[VOUCHER, lo:hi] = np.maximum(
        hired, day - np.round(730 * u("voucher")).astype(np.int32)
    )
    young_child = (children > 0) & (age < 36)
    w.daycare_place[lo:hi] = young_child & (u("daycare") < pop.daycare_share)
    w.applied[DAYCARE, lo:hi] = np.where(
        young_child & ~w.daycare_place[lo:hi],
        day - np.round(300 * u("dc")).astype(np.int32),
        NOT_ON_LIST,
    )
    w.exemplary[lo:hi] = initial & (
        u("exemplary") < d.exemplary_share * np.clip(tenure_years / 8, 0, 2)
    )
    w.grievance[lo:hi] = pop.starting_grievance
    return ids
