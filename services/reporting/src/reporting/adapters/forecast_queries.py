"""The demand forecasts. `demand_forecast`: monthly net sales qty per sku × warehouse over the
three months up to the as-of date's month, and the stock on hand at the as-of date (end of
day). `forecast` and `transfer_suggestions`: weekly demand, Holt-Winters with a rolling-origin
backtest and the stock policy suggested from it (`reporting.domain.forecasting`)."""

import asyncio
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncConnection

from reporting.adapters.projections.sales import sales_daily
from reporting.adapters.projections.stock import stock_daily
from reporting.application.catalogue import ReportRequest
from reporting.domain.analysis import X_MAX_CV, Y_MAX_CV, abc_classes, forecast_demand, xyz_class
from reporting.domain.forecasting import (
    DemandPlan,
    Position,
    StockPolicyParameters,
    plan,
    transfers,
)

#: Months of history the moving average uses.
WINDOW = 3
#: No sales or no stock, at the quantity columns' scale.
NO_QTY = Decimal("0.000000")


def _months_back(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


async def forecast_rows(conn: AsyncConnection, request: ReportRequest) -> list[dict[str, Any]]:
    as_of = request.as_of
    months = [_months_back(as_of.replace(day=1), back) for back in range(WINDOW - 1, -1, -1)]
    key = tuple[str, str]
    sold: dict[key, dict[date, Decimal]] = {}
    s = sales_daily.c
    month = func.date_trunc("month", s.day).cast(sales_daily.c.day.type)
    query = (
        select(s.sku, s.warehouse_id, month.label("month"), func.sum(s.qty))
        .where(s.day >= months[0], s.day <= as_of, *_filters(s, request))
        .group_by(s.sku, s.warehouse_id, month)
    )
    for sku, warehouse_id, first_day, qty in (await conn.execute(query)).all():
        sold.setdefault((sku, warehouse_id), {})[first_day] = qty
    c = stock_daily.c
    position = (
        select(c.sku, c.warehouse_id, c.closing_qty)
        .where(c.day <= as_of, *_filters(c, request))
        .ext(distinct_on(c.sku, c.warehouse_id))
        .order_by(c.sku, c.warehouse_id, c.day.desc())
    )
    on_hand = {(r.sku, r.warehouse_id): r.closing_qty for r in await conn.execute(position)}
    rows = []
    for sku, warehouse_id in sorted(set(sold) | set(on_hand)):
        history = [sold.get((sku, warehouse_id), {}).get(m, NO_QTY) for m in months]
        stock = on_hand.get((sku, warehouse_id), NO_QTY)
        forecast = forecast_demand(history, stock)
        rows.append(
            {
                "sku": sku,
                "warehouse_id": warehouse_id,
                **{f"qty_m{WINDOW - i}": qty for i, qty in enumerate(history)},
                "forecast_qty": forecast.forecast_qty,
                "on_hand": stock,
                "cover_months": forecast.cover_months,
            }
        )
    return rows


def _filters(columns: Any, request: ReportRequest) -> list[Any]:
    conditions = []
    if (sku := request.get("sku")) is not None:
        conditions.append(columns.sku == sku)
    if (warehouse := request.get("warehouse")) is not None:
        conditions.append(columns.warehouse_id == warehouse)
    return conditions


# --- 销售预测 / 库存优化 (weekly, Holt-Winters with a backtest) -------------------------------

#: Weeks of demand history the weekly forecast reads by default (two seasons of a year).
HISTORY_WEEKS = 104


def weeks_ending(as_of: date, weeks: int) -> tuple[date, date]:
    """The `weeks` complete ISO weeks (Monday–Sunday) up to `as_of`: [first Monday, end)."""
    end = as_of + timedelta(days=1) if as_of.weekday() == 6 else as_of - timedelta(as_of.weekday())
    return end - timedelta(weeks=weeks), end


async def weekly_demand(
    conn: AsyncConnection, request: ReportRequest, weeks: int
) -> dict[tuple[str, str], list[Decimal]]:
    """Net qty sold per sku × warehouse per week, from the first week with a sale of that pair
    (weeks without a sale count as 0)."""
    start, end = weeks_ending(request.as_of, weeks)
    s = sales_daily.c
    week = func.date_trunc("week", s.day).cast(sales_daily.c.day.type)
    query = (
        select(s.sku, s.warehouse_id, week.label("week"), func.sum(s.qty))
        .where(s.day >= start, s.day < end, *_filters(s, request))
        .group_by(s.sku, s.warehouse_id, week)
    )
    sold: dict[tuple[str, str], dict[date, Decimal]] = {}
    for sku, warehouse_id, monday, qty in (await conn.execute(query)).all():
        sold.setdefault((sku, warehouse_id), {})[monday] = qty
    series = {}
    for key, by_week in sold.items():
        first = min(by_week)
        count = (end - first).days // 7
        series[key] = [by_week.get(first + timedelta(weeks=i), NO_QTY) for i in range(count)]
    return series


async def on_hand_at(
    conn: AsyncConnection, request: ReportRequest
) -> dict[tuple[str, str], Decimal]:
    c = stock_daily.c
    position = (
        select(c.sku, c.warehouse_id, c.closing_qty)
        .where(c.day <= request.as_of, *_filters(c, request))
        .ext(distinct_on(c.sku, c.warehouse_id))
        .order_by(c.sku, c.warehouse_id, c.day.desc())
    )
    return {(r.sku, r.warehouse_id): r.closing_qty for r in await conn.execute(position)}


def parameters_of(request: ReportRequest) -> StockPolicyParameters:
    defaults = StockPolicyParameters()

    def given(name: str, default: float) -> float:
        value = request.get(name)
        return default if value is None else float(str(value))

    return StockPolicyParameters(
        service_level=given("service_level", defaults.service_level),
        lead_time_weeks=int(given("lead_time_weeks", defaults.lead_time_weeks)),
        review_weeks=int(given("review_weeks", defaults.review_weeks)),
        season_weeks=int(given("season_weeks", defaults.season_weeks)),
    )


async def plans(
    conn: AsyncConnection, request: ReportRequest
) -> tuple[StockPolicyParameters, dict[tuple[str, str], DemandPlan]]:
    params = parameters_of(request)
    history = request.get("weeks")
    weeks = int(str(history)) if history else HISTORY_WEEKS
    demand = await weekly_demand(conn, request, weeks)
    stock = await on_hand_at(conn, request)

    def compute() -> dict[tuple[str, str], DemandPlan]:
        return {
            key: plan(demand.get(key, []), stock.get(key, NO_QTY), params)
            for key in sorted(set(demand) | set(stock))
        }

    # fitting the models is CPU work: keep the event loop answering meanwhile
    return params, await asyncio.to_thread(compute)


async def plan_rows(conn: AsyncConnection, request: ReportRequest) -> list[dict[str, Any]]:
    params, planned = await plans(conn, request)
    rows = []
    for (sku, warehouse_id), p in planned.items():
        rows.append(
            {
                "sku": sku,
                "warehouse_id": warehouse_id,
                "weeks_of_history": p.weeks,
                "avg_weekly_demand": p.average_weekly,
                "forecast_weekly": p.forecast_weekly,
                "method": p.method,
                "backtest_weeks": p.model.points or p.naive.points,
                "model_mae": p.model.mae,
                "model_mape": p.model.mape,
                "naive_mae": p.naive.mae,
                "naive_mape": p.naive.mape,
                "seasonal_naive_mae": p.seasonal_naive.mae,
                "seasonal_naive_mape": p.seasonal_naive.mape,
                "model_beats_naive": p.model_beats_naive,
                "verdict": p.verdict,
                "on_hand": p.on_hand,
                "service_level": Decimal(str(params.service_level)),
                "lead_time_weeks": params.lead_time_weeks,
                "safety_stock": p.safety_stock,
                "reorder_point": p.reorder_point,
                "order_up_to": p.order_up_to,
                "suggested_order_qty": p.suggested_order_qty,
            }
        )
    return rows


async def transfer_rows(conn: AsyncConnection, request: ReportRequest) -> list[dict[str, Any]]:
    _, planned = await plans(conn, request)
    by_sku: dict[str, list[Position]] = {}
    for (sku, warehouse_id), p in planned.items():
        by_sku.setdefault(sku, []).append(
            Position(warehouse_id, p.on_hand, p.reorder_point, p.order_up_to)
        )
    return [
        {
            "sku": sku,
            "from_warehouse": t.from_warehouse,
            "to_warehouse": t.to_warehouse,
            "qty": t.qty,
            "source_excess": t.source_excess,
            "destination_shortfall": t.destination_shortfall,
        }
        for sku, positions in sorted(by_sku.items())
        for t in transfers(positions)
    ]


# --- XYZ (demand variability) next to ABC (revenue) -----------------------------------------


async def xyz_rows(conn: AsyncConnection, request: ReportRequest) -> list[dict[str, Any]]:
    """Per sku (all warehouses, or the one filtered): the weekly demand's CV and XYZ class over
    the last `weeks` complete weeks up to `to`, with the ABC class by net revenue over the same
    weeks."""
    history = request.get("weeks")
    weeks = int(str(history)) if history else HISTORY_WEEKS
    per_pair = await weekly_demand(conn, request, weeks)
    per_sku: dict[str, list[Decimal]] = {}
    for (sku, _), series in per_pair.items():  # every series ends on the same week: right-align
        total = per_sku.setdefault(sku, [])
        if len(series) > len(total):
            total[:0] = [NO_QTY] * (len(series) - len(total))
        offset = len(total) - len(series)
        for i, qty in enumerate(series):
            total[offset + i] += qty
    x_max, y_max = request.get("x_max_cv"), request.get("y_max_cv")
    start, end = weeks_ending(request.as_of, weeks)
    s = sales_daily.c
    query = (
        select(s.sku, func.sum(s.net))
        .where(s.day >= start, s.day < end, *_filters(s, request))
        .group_by(s.sku)
    )
    abc = {
        c.key: c
        for c in abc_classes([(k, Decimal(v)) for k, v in (await conn.execute(query)).all()])
    }
    rows = []
    for sku, weekly in sorted(per_sku.items()):
        xyz = xyz_class(
            weekly,
            X_MAX_CV if x_max is None else Decimal(str(x_max)),
            Y_MAX_CV if y_max is None else Decimal(str(y_max)),
        )
        abc_class = abc[sku].abc_class if sku in abc else "C"
        rows.append(
            {
                "sku": sku,
                "weeks": xyz.weeks,
                "mean_weekly": xyz.mean,
                "stdev_weekly": xyz.stdev,
                "cv": xyz.cv,
                "xyz_class": xyz.xyz_class,
                "net": abc[sku].revenue if sku in abc else Decimal("0.00"),
                "abc_class": abc_class,
                "abc_xyz": abc_class + xyz.xyz_class,
            }
        )
    return rows
