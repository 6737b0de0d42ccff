"""销售预测 / 库存优化 over HTTP: weekly demand read from `rm_report_sales`, stock from
`rm_report_stock` (rows written straight into the read models: the history a forecast needs is
longer than any hand-built event set)."""

import math
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from reporting.adapters.projections.sales import sales_daily
from reporting.adapters.projections.stock import stock_daily

from .support import ReportingUnderTest, auth

pytestmark = pytest.mark.integration

AS_OF = date(2026, 11, 29)  # a Sunday: the last complete week ends that day
WEEKS = 52
SEASON = 13


def weekly_qty(week: int) -> Decimal:
    """A trend (+1 a week) and a 13-week season around it: what Holt-Winters is built for
    (seasonal naive misses the trend, naive misses the season)."""
    return Decimal(round(100 + week + 40 * math.sin(2 * math.pi * week / SEASON)))


async def seed(reporting: ReportingUnderTest) -> None:
    first_monday = AS_OF - timedelta(days=7 * WEEKS - 1)
    sales: list[dict[str, Any]] = []
    for week in range(WEEKS):
        day = first_monday + timedelta(weeks=week, days=2)  # one sale a week, on Wednesday
        qty = weekly_qty(week)
        sales.append(
            {"day": day, "sku": "SKU-1", "customer_id": "C1", "warehouse_id": "WH-SH", "qty": qty}
        )
        # the Beijing warehouse sells a steady 10 a week
        sales.append(
            {
                "day": day,
                "sku": "SKU-1",
                "customer_id": "C1",
                "warehouse_id": "WH-BJ",
                "qty": Decimal(10),
            }
        )
    stock = [
        # Shanghai is nearly empty; Beijing holds far more than it will sell
        {"sku": "SKU-1", "warehouse_id": "WH-SH", "day": AS_OF, "closing_qty": Decimal(30)},
        {"sku": "SKU-1", "warehouse_id": "WH-BJ", "day": AS_OF, "closing_qty": Decimal(900)},
    ]
    async with reporting.runtime.engine.begin() as conn:
        await conn.execute(sales_daily.insert(), sales)
        await conn.execute(stock_daily.insert(), stock)


async def test_forecast_backtests_the_model_against_naive_and_suggests_a_policy(
    reporting: ReportingUnderTest,
) -> None:
    await seed(reporting)
    rows = await reporting.report(
        "forecast", to=AS_OF.isoformat(), season_weeks=str(SEASON), lead_time_weeks="2"
    )
    by_warehouse = {r["warehouse_id"]: r for r in rows}
    assert set(by_warehouse) == {"WH-BJ", "WH-SH"}
    shanghai = by_warehouse["WH-SH"]
    assert shanghai["weeks_of_history"] == WEEKS
    assert shanghai["backtest_weeks"] == 8
    assert Decimal(shanghai["model_mae"]) < Decimal(shanghai["naive_mae"])
    assert shanghai["model_beats_naive"] is True
    assert shanghai["method"] == "holt_winters"
    # next week is week 52 = week 0 of the fifth season: 100 + 52 a week
    assert abs(Decimal(shanghai["forecast_weekly"]) - weekly_qty(WEEKS)) < 5
    assert shanghai["service_level"] == "0.95"
    assert shanghai["lead_time_weeks"] == 2
    reorder, safety = Decimal(shanghai["reorder_point"]), Decimal(shanghai["safety_stock"])
    # reorder point = 2 weeks' forecast + safety stock (each rounded up to the cent)
    assert abs(reorder - Decimal(shanghai["forecast_weekly"]) * 2 - safety) <= Decimal("0.01")
    assert Decimal(shanghai["suggested_order_qty"]) > 0  # 30 on hand is below the point
    beijing = by_warehouse["WH-BJ"]
    # a flat 10 a week: every method is exact, the simplest (naive) is used, no safety stock
    assert beijing["naive_mae"] == "0.00"
    assert beijing["method"] == "naive"
    assert beijing["forecast_weekly"] == "10.00"
    assert beijing["safety_stock"] == "0.00"
    assert beijing["reorder_point"] == "20.00"
    assert beijing["order_up_to"] == "60.00"
    assert beijing["suggested_order_qty"] == "0.00"

    transfers = await reporting.report(
        "transfer_suggestions", to=AS_OF.isoformat(), season_weeks=str(SEASON)
    )
    assert len(transfers) == 1
    move = transfers[0]
    assert (move["sku"], move["from_warehouse"], move["to_warehouse"]) == (
        "SKU-1",
        "WH-BJ",
        "WH-SH",
    )
    assert move["source_excess"] == "840.00"  # 900 on hand − 60 order-up-to
    shortfall = Decimal(shanghai["order_up_to"]) - 30  # ≈ 6 weeks × 152 + safety − 30 on hand
    assert Decimal(move["destination_shortfall"]) == shortfall > 840
    assert move["qty"] == "840.00"  # all Beijing can spare


async def test_forecast_parameters_are_validated(reporting: ReportingUnderTest) -> None:
    bad = await reporting.client.get(
        "/reports/forecast", params={"service_level": "1.5"}, headers=auth()
    )
    assert bad.status_code == 422
    assert bad.json()["details"][0]["loc"] == ["query", "service_level"]
    not_here = await reporting.client.get(
        "/reports/sales", params={"lead_time_weeks": "3"}, headers=auth()
    )
    assert not_here.status_code == 422
    assert not_here.json()["details"][0]["loc"] == ["query", "lead_time_weeks"]
