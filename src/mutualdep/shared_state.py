"""The arrays mechanisms share, created once with neutral values.

Because every key exists from the start, switching a mechanism off leaves the others working
on neutral inputs (full input supply, no threat, plan met ...). Keys, owners and meaning:

- ``shop_workers``, ``brigade_workers``: employed headcounts (labour_market keeps them)
- ``shop_striking``, ``brigade_striking``: strikers (collective_action keeps them)
- ``ent_output``: today's output; ``ent_plan_fulfilment``: month-to-date (production)
- ``shop_plan_met``, ``shop_month_fulfilment``: last month's plan met and fulfilment, per shop
  (production); ``shop_bonus_paid``: last month's bonus paid, per shop (pay)
- ``ent_bonus_allowed``, ``ent_funding``: self-financing outcomes (money)
- ``ent_goods``: rubles of goods in kind a worker a month (distribution)
- ``ent_partner_cut_until``: day until which partner supplies are cut (distribution)
- ``ent_strike_days_month``: stoppage days this month (collective_action)
- ``ent_shock``: grievance shock from accidents and outcomes, decaying (grievance)
- ``ent_threat``, ``ent_committee``: management's threat and committee (management)
- ``ent_enforce``: the chance workers expect that management carries out its sanctions after a
  failed strike, learnt from what they have seen it do in their town (management)
- ``ent_strike_start``: day the enterprise's current strike began (collective_action)
- ``sanctions``: list of (day, ids, kind) of sanctions carried out (management)
- ``town_signal``: strike-committee signal into each town (spread)
- ``region_belief``, ``region_truce_until``: belief that strikes win; truce after a protocol (state)
- ``raise``: (regions, industries) pay multiplier won or decreed
- ``price_index``, ``labour_factor``, ``welfare``, ``strike_fund``, ``openness``,
  ``self_financing`` (per industry), ``shop_cost_accounting``, ``ownership`` (per enterprise):
  set by reforms
- ``exit_requests``: list of (ids, cause) that labour_market resolves the same day
- ``outcomes``: list of (enterprise, "won" | "repressed" | "collapsed", peak share) that
  management acts on the next day; ``settled``: enterprises whose strike the state ended
- ``ent_month_output``, ``ent_month_plan``, ``ent_quality``, ``deaths`` (production);
  ``ent_money`` (money); ``ent_strike_peak`` (collective_action); ``allocations`` and
  ``turnover`` rows (distribution; labour_market: compact (month, codes, counts) arrays)
- ``flows``: today's quits, hires, fired, retired per enterprise (labour_market)
"""

from __future__ import annotations

import numpy as np

from mutualdep.mechanisms.pay import Pay
from mutualdep.world import World


def init_shared_state(world: World) -> None:
    s, st = world.scenario, world.state
    n_shop, n_ent, n_brig = world.n_shops, world.n_enterprises, world.n_brigades
    w = world.workers
    emp = world.employed()
    st["shop_workers"] = np.bincount(w.shop[: w.n][emp], minlength=n_shop).astype(np.int64)
    st["brigade_workers"] = np.bincount(w.brigade[: w.n][emp], minlength=n_brig).astype(np.int64)
    st["shop_striking"] = np.zeros(n_shop, np.int64)
    st["brigade_striking"] = np.zeros(n_brig, np.int64)
    st["ent_output"] = np.zeros(n_ent)
    st["ent_plan_fulfilment"] = np.ones(n_ent)
    st["shop_plan_met"] = np.ones(n_shop, bool)
    st["shop_month_fulfilment"] = np.ones(n_shop)
    st["shop_bonus_paid"] = np.ones(n_shop, bool)
    st["ent_bonus_allowed"] = np.ones(n_ent, bool)
    st["ent_funding"] = np.ones(n_ent)
    st["ent_goods"] = np.zeros(n_ent)
    st["ent_partner_cut_until"] = np.full(n_ent, -1, np.int64)
    st["ent_strike_days_month"] = np.zeros(n_ent, np.int64)
    st["ent_shock"] = np.zeros(n_ent)
    st["ent_threat"] = np.zeros(n_ent)
    st["ent_committee"] = np.zeros(n_ent)
    st["ent_enforce"] = np.full(n_ent, s.collective_action.sanction)
    st["ent_strike_start"] = np.full(n_ent, -1, np.int64)
    st["sanctions"] = []
    st["town_signal"] = np.zeros(world.n_towns)
    st["region_belief"] = np.full(world.n_regions, s.collective_action.belief)
    st["region_truce_until"] = np.full(world.n_regions, -1, np.int64)
    st["raise"] = np.ones((world.n_regions, len(world.industry_names)))
    st["price_index"] = 1.0
    st["labour_factor"] = 1.0
    st["welfare"] = 0.0
    st["strike_fund"] = s.collective_action.strike_fund
    st["openness"] = s.state.openness
    st["self_financing"] = np.zeros(len(world.industry_names), bool)
    st["shop_cost_accounting"] = False
    st["ownership"] = np.zeros(n_ent)
    st["exit_requests"] = []
    st["outcomes"] = []
    st["settled"] = np.zeros(n_ent, bool)
    st["ent_month_output"] = np.zeros(n_ent)
    st["ent_month_plan"] = np.zeros(n_ent)
    st["ent_quality"] = np.ones(n_ent)
    st["ent_strike_peak"] = np.zeros(n_ent, np.int64)
    st["thresholds_stale"] = np.ones(n_ent, bool)  # see CollectiveAction.current_thresholds
    st["ent_money"] = {k: np.zeros(n_ent) for k in ("revenue", "wage_bill", "profit", "subsidy")}
    st["industry_price_to_cost"] = np.array([i.price_to_cost for i in world.industry_params], float)
    st["deaths"] = 0
    st["allocations"] = []
    st["turnover"] = []
    st["flows"] = {k: np.zeros(n_ent, np.int64) for k in ("quits", "hires", "fired", "retired")}
    st["events"] = []
    # everyone starts having been paid in full last month
    w.wage[: w.n] = Pay(world).expected(world)


def log_event(
    world: World, kind: str, enterprise: int = -1, shop: int = -1, detail: str = ""
) -> None:
    world.state["events"].append((world.day, kind, int(enterprise), int(shop), detail))


def group_sum(index: np.ndarray, values: np.ndarray | None, n: int) -> np.ndarray:
    """Sum of values per group id (counts when values is None)."""
    return np.bincount(index, weights=values, minlength=n)


def group_mean(index: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    counts = np.bincount(index, minlength=n)
    return np.bincount(index, weights=values, minlength=n) / np.maximum(counts, 1)


def enterprise_counts(world: World) -> tuple[np.ndarray, np.ndarray]:
    """Strikers and employed workers per enterprise, from the shop counters (floats)."""
    st = world.state
    return (
        group_sum(world.shop_enterprise, st["shop_striking"].astype(float), world.n_enterprises),
        group_sum(world.shop_enterprise, st["shop_workers"].astype(float), world.n_enterprises),
    )
