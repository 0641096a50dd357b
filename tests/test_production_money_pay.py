"""Production and inputs, money (planned losses and subsidy, self-financing), pay and bonuses."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

import mutualdep
from mdsupport import make_world, quiet_production, scenario_of, simulate, tiny_data
from mutualdep.mechanisms.distribution import Distribution
from mutualdep.mechanisms.pay import Pay
from mutualdep.shared_state import expected_pay


def two_region_data(on: tuple[str, ...]) -> dict:
    """Region R1: a mine and a steel works; region R2 the same. 40 workers each."""
    data = quiet_production(tiny_data(on=on))
    data["regions"] = [
        {"name": "R1", "wage_coefficient": 1.2},
        {"name": "R2", "wage_coefficient": 1.0},
    ]
    data["towns"] = [{"name": "T1", "region": "R1"}, {"name": "T2", "region": "R2"}]
    data["enterprises"] = [
        {"name": "mine 1", "industry": "coal", "town": "T1", "workers": 40},
        {"name": "works 1", "industry": "steel", "town": "T1", "workers": 40},
        {"name": "mine 2", "industry": "coal", "town": "T2", "workers": 40},
        {"name": "works 2", "industry": "steel", "town": "T2", "workers": 40},
    ]
    return data


def output_by_enterprise(result) -> dict[int, np.ndarray]:
    ed = result.enterprise_days.sort("date", "enterprise")
    return {e: f["output"].to_numpy() for (e,), f in ed.group_by("enterprise", maintain_order=True)}


# ------------------------------------------------------------------------ production


def test_coal_strike_cuts_steel_in_the_same_region_once_the_stock_runs_out():
    data = two_region_data(on=("production", "collective_action"))
    # mine 1 (ids 0..39) walks out on day 0 and stays out; nobody else ever strikes
    data["collective_action"] = {"thresholds": [0] * 40 + [10_000] * 120}
    data["campaigns"] = {"enabled": False}
    stock = data["industries"]["steel"]["input_stock_days"]
    out = output_by_enterprise(mutualdep.run(scenario_of(data), seed=0))
    mine1, works1, mine2, works2 = out[0], out[1], out[2], out[3]
    # the strike decided on day 0 stops the mine from day 1
    assert mine1[0] > 0 and (mine1[1:] == 0).all()
    # the works lives on its coking-coal stock, then stops
    first_idle = int(np.flatnonzero(works1 == 0)[0])
    assert first_idle == 1 + stock
    assert works1[0] > 0
    assert works1[:first_idle] == pytest.approx(np.full(first_idle, works1[0]))
    assert (works1[first_idle:] == 0).all()
    # the other region never notices
    for steady in (mine2, works2):
        assert steady[0] > 0
        assert steady == pytest.approx(np.full(len(steady), steady[0]))


def test_without_strike_output_is_steady_and_meets_plan():
    data = two_region_data(on=("production",))
    data["production"]["plan_tautness"] = 1.0
    result = mutualdep.run(scenario_of(data), seed=0)
    for series in output_by_enterprise(result).values():
        assert series[0] > 0
        assert series == pytest.approx(np.full(len(series), series[0]))
    assert result.enterprise_days["plan_fulfilment"].to_numpy() == pytest.approx(1.0, rel=1e-5)


def test_output_scales_with_workers_at_work():
    """Half a shop on strike makes half its output."""
    data = quiet_production(tiny_data(on=("production", "collective_action")))
    data["industries"]["coal"]["shops"] = [
        {"kind": "face", "share": 1.0, "occupations": {"miner": 1.0}}
    ]
    data["collective_action"] = {"thresholds": [0] * 20 + [10_000] * 20}
    data["campaigns"] = {"enabled": False}
    out = output_by_enterprise(mutualdep.run(scenario_of(data), seed=0))[0]
    assert out[1:] == pytest.approx(np.full(len(out) - 1, out[0] / 2))


def test_old_technology_makes_less():
    data = quiet_production(tiny_data(on=("production",)))
    data["enterprises"] = [
        {"name": "new mine", "industry": "coal", "town": "T1", "workers": 40},
        {
            "name": "old mine",
            "industry": "coal",
            "town": "T1",
            "workers": 40,
            "shop_technology_age": {"face": 60, "services": 60},
        },
    ]
    out = output_by_enterprise(mutualdep.run(scenario_of(data), seed=0))
    assert out[1][0] < out[0][0]


# ------------------------------------------------------------------------ money


def months(result) -> pl.DataFrame:
    return result.enterprise_months.sort("date", "enterprise")


@pytest.mark.parametrize(
    ("industry", "price_to_cost", "subsidised"),
    [
        ("coal", 0.5, True),  # the planned-loss branch
        ("steel", 1.5, False),  # a profitable works
        ("steel", 0.8, False),  # a loss-maker nobody covers
    ],
)
def test_profit_follows_price_to_cost_and_subsidy_covers_planned_losses(
    industry, price_to_cost, subsidised
):
    data = two_region_data(on=("production", "money"))
    data["industries"][industry]["price_to_cost"] = price_to_cost
    data["industries"][industry]["subsidised"] = subsidised
    data["production"]["plan_tautness"] = 1.0
    m = months(mutualdep.run(scenario_of(data), seed=0))
    ent = 0 if industry == "coal" else 1
    first = m.filter(pl.col("enterprise") == ent).row(0, named=True)
    material = data["industries"][industry]["material_cost_share"]
    # at plan, revenue = price_to_cost x unit cost x output and cost = wages + materials, so
    # profit = wage bill x (price_to_cost - 1) / (1 - material share)
    assert first["wage_bill"] > 0
    assert first["profit"] == pytest.approx(
        first["wage_bill"] * (price_to_cost - 1) / (1 - material), rel=1e-6
    )
    rows = m.filter(pl.col("enterprise") == ent)
    if price_to_cost < 1:
        assert (rows["profit"] < 0).all()
    else:
        assert (rows["profit"] > 0).all()
    if subsidised:
        assert rows["subsidy"].to_numpy() == pytest.approx(-rows["profit"].to_numpy())
    else:
        assert (rows["subsidy"] == 0).all()


def test_self_financing_starves_a_loss_maker_of_bonus_and_social_fund():
    data = two_region_data(on=("production", "money", "pay", "distribution", "reforms"))
    data["production"]["plan_tautness"] = 0.9  # every plan is met
    data["pay"] = dict(PAY)
    data["end"] = dt.date(1990, 6, 30)
    data["reforms"] = {
        "timeline": [{"date": data["start"], "kind": "self_financing", "industry": "coal"}]
    }
    sc = scenario_of(data)
    funding, bonus_paid = [], []

    def month_end(world, day):
        if world.calendar.month_end[day]:
            funding.append(world.enterprises.funding.copy())
            bonus_paid.append(world.shops.bonus_paid.copy())

    world, result, phases = simulate(sc, seed=0, each_day=month_end)
    coal = world.ent_industry == world.industry_names.index("coal")
    funding = np.array(funding)
    assert len(funding) == 12
    # the coal social fund withers month after month; the works' is not under self-financing
    assert (np.diff(np.concatenate([[1.0], funding[:, coal][:, 0]])) < 0).all()
    assert (funding[:, coal] < 0.5).any()
    assert (funding[:, ~coal] == 1.0).all()
    # the plan was met everywhere, but only the works paid a bonus
    shop_coal = coal[world.shop_enterprise]
    assert not np.array(bonus_paid)[:, shop_coal].any()
    assert np.array(bonus_paid)[:, ~shop_coal].all()
    assert (
        result.enterprise_months.sort("date", "enterprise")["profit"]
        .to_numpy()
        .reshape(12, 4)[:, coal]
        < 0
    ).all()
    # flats and goods come out of the fund: the mines' supply shrinks with it
    dist = next(p for p in phases if p.name == "distribution")
    fresh = make_world(sc, seed=0)
    full = Distribution(fresh).supply_per_year(fresh)
    now = dist.supply_per_year(world)
    assert now[coal] == pytest.approx(full[coal] * world.enterprises.funding[coal][:, None])
    assert (now[coal] < full[coal]).all()
    w = world.workers
    with_bonus = np.isclose(w.wage[: w.n], expected_pay(world), rtol=1e-5)
    assert with_bonus[~coal[w.enterprise[: w.n]]].all()
    assert not with_bonus[coal[w.enterprise[: w.n]]].any()


# ------------------------------------------------------------------------ pay


PAY = {"bonus_share": 0.3, "night_premium": 0.4, "skill_premium": 0.3, "saving_rate": 0.1}


def expected_full_pay(world, data) -> np.ndarray:
    """Base x regional coefficient x (1 + night premium x night share) x skill, from the inputs."""
    w = world.workers
    n = w.n
    night_premium = data["pay"]["night_premium"]
    skill_premium = data["pay"]["skill_premium"]
    occ = data["occupations"]
    base = np.array([o["base_wage"] for o in occ])[w.occupation[:n]]
    night = np.array([o.get("night_share", 0.0) for o in occ])[w.occupation[:n]]
    coef = {r["name"]: r.get("wage_coefficient", 1.0) for r in data["regions"]}
    town_region = {t["name"]: t["region"] for t in data["towns"]}
    ent_coef = np.array([coef[town_region[e["town"]]] for e in data["enterprises"]])
    return (
        base
        * ent_coef[w.enterprise[:n]]
        * (1 + night_premium * night)
        * (1 + skill_premium * (w.skill[:n] - 1))
    )


@pytest.mark.parametrize(("tautness", "met"), [(0.9, True), (1.1, False)])
def test_bonus_only_when_plan_met(tautness, met):
    data = quiet_production(tiny_data(on=("production", "pay")))
    data["production"]["plan_tautness"] = tautness
    data["pay"] = dict(PAY)
    world, result, _ = simulate(scenario_of(data), seed=2, days=31)  # July: one month end
    w = world.workers
    want = expected_full_pay(world, data) * (1.3 if met else 1.0)
    assert w.wage[: w.n] == pytest.approx(want, rel=1e-5)
    ed = result.enterprise_days.sort("date")
    assert ed["plan_fulfilment"][-1] == pytest.approx(1 / tautness, rel=1e-5)


def test_month_end_pay_with_and_without_plan_differs_by_the_bonus_exactly():
    runs = {}
    for tautness in (0.9, 1.1):
        data = quiet_production(tiny_data(on=("production", "pay")))
        data["production"]["plan_tautness"] = tautness
        data["pay"] = dict(PAY, bonus_share=0.25)
        runs[tautness] = mutualdep.run(scenario_of(data), seed=5).enterprise_days.sort("date")
    aug = pl.col("date") == dt.date(1989, 8, 15)
    met = runs[0.9].filter(aug)["wage_mean"][0]
    missed = runs[1.1].filter(aug)["wage_mean"][0]
    assert met == pytest.approx(1.25 * missed, rel=1e-5)


def test_shop_cost_accounting_pays_bonus_by_shop():
    data = tiny_data(on=("pay",))
    data["pay"] = dict(PAY)
    world = make_world(scenario_of(data), seed=1)
    day = 30  # 31 July, a month end
    world.day = day
    assert world.calendar.month_end[day]
    world.economy.shop_cost_accounting = True
    world.shops.plan_met = np.array([True, False])  # face met its plan, services did not
    Pay(world).step(world, day)
    w = world.workers
    n = w.n
    full = expected_full_pay(world, data)
    shop = w.shop[:n]
    assert w.wage[:n][shop == 0] == pytest.approx(full[shop == 0] * 1.3, rel=1e-5)
    assert w.wage[:n][shop == 1] == pytest.approx(full[shop == 1], rel=1e-5)


@pytest.mark.parametrize("fund", [0.0, 0.5])
def test_strike_days_are_unpaid_except_what_the_fund_replaces(fund):
    data = tiny_data(on=("pay",))
    data["pay"] = dict(PAY)
    data["collective_action"] = {"strike_fund": fund}
    world = make_world(scenario_of(data), seed=1)
    day = 30
    world.day = day
    world.enterprises.month_output[:] = 1.0
    world.enterprises.month_plan[:] = 2.0  # plan missed: no bonus
    w = world.workers
    w.struck_days[:10] = 10
    savings = w.savings[: w.n].copy()
    Pay(world).step(world, day)
    full = expected_full_pay(world, data)
    paid = 1 - 10 / 31 * (1 - fund)
    assert w.wage[:10] == pytest.approx(full[:10] * paid, rel=1e-5)
    assert w.wage[10 : w.n] == pytest.approx(full[10:], rel=1e-5)
    assert (w.struck_days[: w.n] == 0).all()
    assert w.savings[: w.n] == pytest.approx(savings + 0.1 * w.wage[: w.n], rel=1e-5)


def test_a_price_rise_deflates_pay_once():
    """Prices 2.5x: real pay falls 2.5x, exactly (it once fell 6.3x, deflated twice)."""
    wages = {}
    for rise in (0.0, 1.5):
        data = quiet_production(tiny_data(on=("production", "pay", "reforms")))
        data["pay"] = dict(PAY)
        data["reforms"] = {
            "timeline": [
                {"date": dt.date(1989, 7, 1), "kind": "price_liberalisation", "value": rise}
            ]
        }
        world, _, _ = simulate(scenario_of(data), seed=2, days=31)
        wages[rise] = world.workers.wage[: world.workers.n].copy()
    assert wages[0.0] == pytest.approx(2.5 * wages[1.5], rel=1e-6)


def test_storming_defects_cut_revenue_not_the_plan():
    """storm_quality_loss of a storming shop's output counts towards the plan but sells for
    nothing: the quarter's last month earns less revenue, plan fulfilment is unchanged."""
    out = {}
    for loss in (0.0, 0.5):
        data = tiny_data(on=("production", "money", "pay"), end=dt.date(1989, 9, 30))
        data["production"] = {"storm_days": 25, "storm_quality_loss": loss, "breakdown_rate": 0.0}
        data["production"]["plan_tautness"] = 1.2  # behind plan: it storms
        res = mutualdep.run(scenario_of(data), seed=3)
        out[loss] = months(res)
    clean, defective = (
        out[loss].filter(pl.col("date") == dt.date(1989, 9, 1)).row(0, named=True)
        for loss in (0.0, 0.5)
    )
    assert clean["output"] == pytest.approx(defective["output"])
    assert defective["revenue"] < 0.9 * clean["revenue"]
