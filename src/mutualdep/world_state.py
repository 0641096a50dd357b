"""The live state of the world's groups, as typed tables with one owner per field.

Mechanisms talk only through these tables and the worker columns. Each field names the
mechanism that owns it (creates its meaning and keeps it up to date); others may change it only
if they declare it in their ``writes`` (tests/test_declarations.py checks both against a real
run). Every field exists from the start with a neutral value, so switching a mechanism off
leaves the others working on neutral inputs (full input supply, no threat, plan met ...).

``shared_state.init_shared_state`` fills them; ``fields_of`` lists them for the checks.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np


def owned(owner: str):
    """A field kept by the mechanism ``owner`` (metadata read by the declaration checks)."""
    return field(metadata={"owner": owner})


@dataclass
class Shops:
    """Per shop. Headcounts: labour_market; strikers: collective_action; plan: production."""

    workers: np.ndarray = owned("labour_market")  # employed agents
    striking: np.ndarray = owned("collective_action")  # agents on strike
    plan_met: np.ndarray = owned("production")  # last month's plan met (bool)
    month_fulfilment: np.ndarray = owned("production")  # last month's output / plan
    bonus_paid: np.ndarray = owned("pay")  # last month's bonus paid (bool)
    boss_elected: np.ndarray = owned("institutions")  # the shop elected its boss (bool)


@dataclass
class Brigades:
    """Per brigade: the same counters as ``Shops``, for what a brigade member sees."""

    workers: np.ndarray = owned("labour_market")
    striking: np.ndarray = owned("collective_action")


@dataclass
class Enterprises:
    """Per enterprise."""

    output: np.ndarray = owned("production")  # today's output
    plan_fulfilment: np.ndarray = owned("production")  # month to date
    month_output: np.ndarray = owned("production")  # last month's output
    month_plan: np.ndarray = owned("production")  # last month's plan
    revenue: np.ndarray = owned("money")  # last month's books
    wage_bill: np.ndarray = owned("money")
    profit: np.ndarray = owned("money")
    subsidy: np.ndarray = owned("money")
    bonus_allowed: np.ndarray = owned("money")  # self-financing lets bonuses be paid (bool)
    funding: np.ndarray = owned("money")  # social funding, 1 = as planned
    # (enterprises, partner kinds) day until each kind's supplies are cut (FOR_GOOD: ended)
    partner_cut_until: np.ndarray = owned("distribution")
    stoppage_cost: np.ndarray = owned("distribution")  # partner goods a stoppage costs a worker
    ownership: np.ndarray = owned("reforms")  # employee shares, rubles a worker
    control: np.ndarray = owned("ownership")  # who owns and controls it (shared_state.CONTROL)
    shock: np.ndarray = owned("grievance")  # grievance shock from accidents and outcomes
    strike_days_month: np.ndarray = owned("collective_action")  # stoppage days this month
    strike_peak: np.ndarray = owned("collective_action")  # most agents out in this strike
    settled: np.ndarray = owned("state")  # strike ended by the state today (bool)
    truce_until: np.ndarray = owned("state")  # day until which it stays at work after a settlement
    local_work: np.ndarray = owned("spread")  # share of its strikers working for local needs
    wage_factor: np.ndarray = owned("reforms")  # pay multiplier decreed for the enterprise
    month_good_output: np.ndarray = owned("production")  # last month's output less defects
    thresholds_stale: np.ndarray = owned("collective_action")  # kept thresholds to renew
    threat: np.ndarray = owned("management")  # extra sanction chance workers expect
    committee: np.ndarray = owned("management")  # share of the win a managers' committee promised
    enforce: np.ndarray = owned("management")  # chance workers expect sanctions are carried out
    strike_start: np.ndarray = owned("collective_action")  # day the current strike began
    quits: np.ndarray = owned("labour_market")  # today's flows, agents
    hires: np.ndarray = owned("labour_market")
    fired: np.ndarray = owned("labour_market")
    retired: np.ndarray = owned("labour_market")
    director_removed: np.ndarray = owned("management")  # day of the last removal (-1: none)
    director_since: np.ndarray = owned("institutions")  # day the director took over (-1: before)
    union_lists: np.ndarray = owned("institutions")  # union that holds the lists (UNIONS code)
    # strike share at a win that removes the director (management.removal_share, more for a
    # director in office)
    removal_share: np.ndarray = owned("institutions")
    # (enterprises, occupations) the labour council lets the occupation onto the privileged line
    council_admits: np.ndarray = owned("institutions")


@dataclass
class Towns:
    """Per town."""

    signal: np.ndarray = owned("spread")  # strike committees' signal into the town
    # (towns, industries) committees' news into the town of each industry's share out elsewhere
    industry_news: np.ndarray = owned("spread")
    city_fund: np.ndarray = owned("city")  # rubles the city soviet has for flats
    provider_closed: np.ndarray = owned("city")  # its company-town enterprise has closed (bool)
    # share of the enterprise's goods a worker could replace outside, net of the price premium
    goods_access: np.ndarray = owned("market")
    # (towns, lists) present value, per unit of a list item's value, of getting it on the
    # market instead (0: not to be had there)
    market_alt: np.ndarray = owned("market")


@dataclass
class Regions:
    """Per region."""

    belief: np.ndarray = owned("state")  # belief that strikes win
    pay_raise: np.ndarray = owned("state")  # (regions, industries) pay multiplier won by protocols


@dataclass
class Industries:
    """Per industry."""

    self_financing: np.ndarray = owned("reforms")  # bool
    price_to_cost: np.ndarray = owned("reforms")  # administrative price over unit cost


@dataclass
class Economy:
    """Economy-wide levers, set by the reforms timeline."""

    price_index: float = owned("reforms")
    labour_factor: float = owned("reforms")  # < 1 once shortage turns to surplus
    welfare: float = owned("reforms")  # share of services the city has taken over
    strike_fund: float = owned("reforms")  # share of lost pay a strike fund replaces
    openness: float = owned("reforms")  # the regime's tolerance of voice
    shop_cost_accounting: bool = owned("reforms")
    prices_free: bool = owned("reforms")  # consumer prices liberalised
    market_opening: float = owned("reforms")  # scope cooperatives gain from the law on them
    crackdown_belief: float = owned("state")  # the regime's expectation that a crackdown succeeds


class ExitRequest(NamedTuple):
    """Workers to take off the books today, and why (world.QUIT, FIRED or RETIRED)."""

    ids: np.ndarray
    cause: int


class Outcome(NamedTuple):
    """How an enterprise's strike ended: "won", "repressed" or "collapsed", at its peak share."""

    enterprise: int
    kind: str
    peak_share: float


@dataclass
class Messages:
    """Requests from one phase to another; the consumer empties its list when it acts.

    ``exit_requests`` are resolved by labour_market the same day (it runs after every sender);
    ``outcomes`` are acted on by management at its next step: the same day for collapses
    (collective_action runs before it), the next day for settlements (state runs after it).
    """

    exit_requests: list[ExitRequest] = owned("labour_market")
    outcomes: list[Outcome] = owned("management")


@dataclass
class Records:
    """Rows for the output tables, appended as things happen and read only by the recorder.

    ``events``: (day, kind, enterprise, shop, detail) from ``log_event``, any mechanism;
    ``sanctions``: (day, kind code, enterprise, ids, shops, occupations, initiators) from
    management, one entry per kind of sanction carried out after a failed strike;
    ``allocations``: (day, enterprise, list, occupation, privileged, count, mean wait)
    from distribution; ``turnover``: (month index, codes, counts) from labour_market, coded
    by ``shared_state.turnover_codes``; ``moves``: (month index, codes, counts, summed waits in
    days), code (from enterprise x enterprises + to enterprise) x 4 + reason
    (``shared_state.MOVE_REASONS``); ``seekers``: (month index, seekers per town, their summed
    waits so far) at each month start. Both from labour_market. ``unions``: (month index,
    (enterprises, UNIONS) members, the union that distributes in each enterprise (or none),
    in-kind rubles a month handed out through it) at each month start, from institutions.
    ``ownership``: (day, enterprise, control code, previous code, cause) from ownership, at the
    start and at each change of an enterprise's owner or control (``shared_state.CONTROL``).
    """

    events: list = dataclasses.field(default_factory=list)
    allocations: list = dataclasses.field(default_factory=list)
    turnover: list = dataclasses.field(default_factory=list)
    moves: list = dataclasses.field(default_factory=list)
    seekers: list = dataclasses.field(default_factory=list)
    unions: list = dataclasses.field(default_factory=list)
    sanctions: list = dataclasses.field(default_factory=list)
    ownership: list = dataclasses.field(default_factory=list)


# the groups whose fields mechanisms declare (World attribute -> table class)
GROUPS = {
    "shops": Shops,
    "brigades": Brigades,
    "enterprises": Enterprises,
    "towns": Towns,
    "regions": Regions,
    "industries": Industries,
    "economy": Economy,
    "messages": Messages,
}


def fields_of() -> dict[str, str]:
    """Every declared field as "group.field", with its owner."""
    return {
        f"{group}.{f.name}": f.metadata["owner"]
        for group, cls in GROUPS.items()
        for f in dataclasses.fields(cls)
    }
