"""The demand forecast: monthly net sales qty per sku × warehouse over the three months up to
the as-of date's month, and the stock on hand at the as-of date (end of day)."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncConnection

from reporting.adapters.projections.sales import sales_daily
from reporting.adapters.projections.stock import stock_daily
from reporting.application.catalogue import ReportRequest
from reporting.domain.analysis import forecast_demand

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
