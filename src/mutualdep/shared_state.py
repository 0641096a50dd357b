"""Below the mechanisms: the world's live state at the start, and the quantities several
mechanisms (and the recorder) need, so that no mechanism imports another.

- ``init_shared_state``: every group table (``world_state``) with its neutral starting values
- ``expected_pay``: what a worker expects to earn with his bonus (pay, grievance, labour market)
- ``start_striking`` / ``stop_striking``: the one place the strike counters change
- ``turnover_codes`` / ``CAUSES`` / ``AGE_BANDS`` / ``FAMILY``: the turnover rows' coding
- ``SANCTIONS``: the sanctions records' coding; ``UNIONS``: the unions' codes; ``CONTROL``:
  owners and control of an enterprise; ``FOR_GOOD``: a partner contract ended for good
- ``union_members``: who is in the union that holds his enterprise's lists (institutions,
  distribution, market); ``own_goods``: the goods in kind an enterprise obtains itself
  (distribution, market)
- ``log_event``, ``group_sum``, ``group_mean``, ``enterprise_counts``
"""

from __future__ import annotations

import numpy as np

from mutualdep.scenario import LISTS, PARTNER_KINDS
from mutualdep.world import World
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

AGE_BANDS = ("<25", "25-34", "35-44", "45+")
FAMILY = ("single", "married", "children")
# turnover causes by code: hired is 0, the others are world.QUIT, FIRED, RETIRED
CAUSES = ("hired", "quit", "fired", "retired")
# reasons of a move (the ``moves`` table): a job seeker taken on after he quit or was fired
# (world.QUIT, FIRED), or a move inside an enterprise to a privileged job for a flat, and back
MOVE_REASONS = ("for_a_flat", "quit", "fired", "back_to_trade")
FOR_A_FLAT, BACK_TO_TRADE = 0, 3
# the kinds of sanction management carries out, in the order the sanctions records code them
SANCTIONS = ("dismissed", "places_lost", "priority_lost", "daycare_lost", "goods_withdrawn")
# a worker's union (``workers.union``, the ``unions`` table): none, the official union, the
# independent union that forms after a won strike
UNIONS = ("none", "official", "independent")
NO_UNION, OFFICIAL, INDEPENDENT = 0, 1, 2
# who owns and controls an enterprise (enterprises.control), by code
CONTROL = ("state", "management", "workers", "joint_stock")
STATE_OWNED, MANAGEMENT_CONTROL, WORKERS_CONTROL, JOINT_STOCK = 0, 1, 2, 3
FOR_GOOD = np.iinfo(np.int64).max  # partner_cut_until of a contract ended for good


def init_shared_state(world: World) -> None:
    s = world.scenario
    n_shop, n_ent, n_brig = world.n_shops, world.n_enterprises, world.n_brigades
    n_ind = len(world.industry_names)
    w = world.workers
    emp = world.employed()
    world.shops = Shops(
        workers=np.bincount(w.shop[: w.n][emp], minlength=n_shop).astype(np.int64),
        striking=np.zeros(n_shop, np.int64),
        plan_met=np.ones(n_shop, bool),
        month_fulfilment=np.ones(n_shop),
        bonus_paid=np.ones(n_shop, bool),
        boss_elected=np.zeros(n_shop, bool),
    )
    if s.institutions.enabled:  # everyone employed at the start is in the official union
        w.union[: w.n][emp] = OFFICIAL
    world.brigades = Brigades(
        workers=np.bincount(w.brigade[: w.n][emp], minlength=n_brig).astype(np.int64),
        striking=np.zeros(n_brig, np.int64),
    )
    world.enterprises = Enterprises(
        output=np.zeros(n_ent),
        plan_fulfilment=np.ones(n_ent),
        month_output=np.zeros(n_ent),
        month_plan=np.zeros(n_ent),
        revenue=np.zeros(n_ent),
        wage_bill=np.zeros(n_ent),
        profit=np.zeros(n_ent),
        subsidy=np.zeros(n_ent),
        bonus_allowed=np.ones(n_ent, bool),
        funding=np.ones(n_ent),
        partner_cut_until=np.full((n_ent, len(PARTNER_KINDS)), -1, np.int64),
        stoppage_cost=np.zeros(n_ent),
        ownership=np.zeros(n_ent),
        control=np.zeros(n_ent, np.int8),
        shock=np.zeros(n_ent),
        strike_days_month=np.zeros(n_ent, np.int64),
        strike_peak=np.zeros(n_ent, np.int64),
        settled=np.zeros(n_ent, bool),
        truce_until=np.full(n_ent, -1, np.int64),
        local_work=np.zeros(n_ent),
        wage_factor=np.ones(n_ent),
        month_good_output=np.zeros(n_ent),
        thresholds_stale=np.ones(n_ent, bool),  # see CollectiveAction.current_thresholds
        threat=np.zeros(n_ent),
        committee=np.zeros(n_ent),
        enforce=np.full(n_ent, s.collective_action.sanction),
        strike_start=np.full(n_ent, -1, np.int64),
        quits=np.zeros(n_ent, np.int64),
        hires=np.zeros(n_ent, np.int64),
        fired=np.zeros(n_ent, np.int64),
        retired=np.zeros(n_ent, np.int64),
        director_removed=np.full(n_ent, -1, np.int64),
        director_since=np.full(n_ent, -1, np.int64),
        union_lists=np.full(n_ent, OFFICIAL, np.int8),
        removal_share=np.full(n_ent, s.management.removal_share),
        council_admits=np.ones((n_ent, world.n_occupations), bool),
    )
    world.towns = Towns(
        signal=np.zeros(world.n_towns),
        industry_news=np.zeros((world.n_towns, n_ind)),
        city_fund=np.zeros(world.n_towns),
        provider_closed=np.zeros(world.n_towns, bool),
        goods_access=world.town_market_access.astype(float),
        market_alt=np.zeros((world.n_towns, len(LISTS))),
    )
    world.regions = Regions(
        belief=np.full(world.n_regions, s.collective_action.belief),
        pay_raise=np.ones((world.n_regions, n_ind)),
    )
    world.industries = Industries(
        self_financing=np.zeros(n_ind, bool),
        price_to_cost=np.array([i.price_to_cost for i in world.industry_params], float),
    )
    world.economy = Economy(
        price_index=1.0,
        labour_factor=1.0,
        welfare=0.0,
        strike_fund=s.collective_action.strike_fund,
        openness=s.state.openness,
        shop_cost_accounting=False,
        prices_free=False,
        market_opening=0.0,
        crackdown_belief=s.state.crackdown_belief,
    )
    world.messages = Messages(exit_requests=[], outcomes=[])
    world.records = Records()
    # everyone starts having been paid in full last month
    w.wage[: w.n] = expected_pay(world)


def expected_pay(world: World, idx: np.ndarray | slice | None = None) -> np.ndarray:
    """What a worker expects to earn with his bonus: the yardstick of pay grievance."""
    w, p = world.workers, world.scenario.pay
    occupations = world.scenario.occupations
    base = np.array([o.base_wage for o in occupations])
    night = np.array([o.night_share for o in occupations])
    idx = slice(0, w.n) if idx is None else idx
    occ, ent = w.occupation[idx], w.enterprise[idx]
    region, ind = world.ent_region[ent], world.ent_industry[ent]
    return (
        base[occ]
        * world.region_wage_coef[region]
        * world.regions.pay_raise[region, ind]
        * world.enterprises.wage_factor[ent]
        * (1 + p.night_premium * night[occ])
        * (1 + p.skill_premium * (w.skill[idx] - 1.0))
        * (1 + p.bonus_share)
        / world.economy.price_index
    )


def start_striking(world: World, ids: np.ndarray) -> None:
    """Put these workers (not yet striking) on strike, with the shop and brigade counters."""
    world.workers.striking[ids] = True
    _count_strikers(world, ids, 1)


def stop_striking(world: World, ids: np.ndarray) -> None:
    """Send these strikers back, with the shop and brigade counters."""
    world.workers.striking[ids] = False
    _count_strikers(world, ids, -1)


def _count_strikers(world: World, ids: np.ndarray, sign: int) -> None:
    if len(ids):
        w = world.workers
        world.shops.striking += sign * np.bincount(w.shop[ids], minlength=world.n_shops)
        world.brigades.striking += sign * np.bincount(w.brigade[ids], minlength=world.n_brigades)


def family_code(world: World, day: int, ids: np.ndarray) -> np.ndarray:
    """(enterprise, age band, family) of each worker as one integer, family fastest."""
    w = world.workers
    age = world.calendar.fractional_year(day) - w.born[ids]
    band = np.searchsorted([25, 35, 45], age, side="right")
    family = np.where(w.children[ids] > 0, 2, np.where(w.married[ids], 1, 0))
    return (w.enterprise[ids].astype(np.int64) * len(AGE_BANDS) + band) * len(FAMILY) + family


def turnover_codes(world: World, day: int, ids: np.ndarray, causes: np.ndarray) -> np.ndarray:
    """Each flow's cell as one integer, ((enterprise x 4 + cause) x 4 + age band) x 3 + family,
    cause coded as in ``CAUSES`` (-1 for a hire becomes 0)."""
    cause_index = np.maximum(causes, 0)
    ent_band_family = family_code(world, day, ids)
    n_cells = len(AGE_BANDS) * len(FAMILY)
    return (
        (ent_band_family // n_cells) * len(CAUSES) + cause_index
    ) * n_cells + ent_band_family % n_cells


def decode_turnover(code: np.ndarray) -> tuple[np.ndarray, ...]:
    """Enterprise, cause, age band and family indices of ``turnover_codes``."""
    family, rest = code % len(FAMILY), code // len(FAMILY)
    band, rest = rest % len(AGE_BANDS), rest // len(AGE_BANDS)
    cause, ent = rest % len(CAUSES), rest // len(CAUSES)
    return ent, cause, band, family


def log_event(
    world: World, kind: str, enterprise: int = -1, shop: int = -1, detail: str = ""
) -> None:
    world.records.events.append((world.day, kind, int(enterprise), int(shop), detail))


def group_sum(index: np.ndarray, values: np.ndarray | None, n: int) -> np.ndarray:
    """Sum of values per group id (counts when values is None)."""
    return np.bincount(index, weights=values, minlength=n)


def group_mean(index: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    counts = np.bincount(index, minlength=n)
    return np.bincount(index, weights=values, minlength=n) / np.maximum(counts, 1)


def enterprise_counts(world: World) -> tuple[np.ndarray, np.ndarray]:
    """Strikers and employed workers per enterprise, from the shop counters (floats)."""
    shops = world.shops
    return (
        group_sum(world.shop_enterprise, shops.striking.astype(float), world.n_enterprises),
        group_sum(world.shop_enterprise, shops.workers.astype(float), world.n_enterprises),
    )


def place_shares(
    world: World,
    place_of_ent: np.ndarray,
    n_places: int,
    ent_out: np.ndarray,
    ent_all: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Share out per place (town or region) of all its workers, and per (place, industry) as a
    flat array indexed place x n_industries + industry (0 where there is nobody)."""
    n_ind = len(world.industry_names)
    every = group_sum(place_of_ent, ent_out, n_places) / np.maximum(
        group_sum(place_of_ent, ent_all, n_places), 1
    )
    key = place_of_ent.astype(np.int64) * n_ind + world.ent_industry
    size = n_places * n_ind
    same = group_sum(key, ent_out, size) / np.maximum(group_sum(key, ent_all, size), 1)
    return every, same


def union_members(world: World) -> np.ndarray:
    """Bool per worker id: a member of the union that holds his enterprise's lists."""
    w = world.workers
    return w.union[: w.n] == world.enterprises.union_lists[w.enterprise[: w.n]]


def own_goods(world: World) -> np.ndarray:
    """Rubles a month a worker of each enterprise gets of its own goods in kind (its farm and
    shops, ``social.goods``) at full funding, partners' goods aside."""
    goods = np.array([i.social.goods for i in world.industry_params])
    return goods[world.ent_industry] * world.ent_social_scale
