"""Reads of the sales read models (the HTTP queries)."""

from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from sales.adapters.projections.customers import customers
from sales.adapters.projections.orders import lines, orders, timeline
from sales.domain.sales_order import OPEN_STATUSES

_OPEN_QTY = func.greatest(lines.c.qty - lines.c.shipped_qty, 0)


async def sales_order(conn: AsyncConnection, order_id: UUID) -> dict[str, Any] | None:
    row = (await conn.execute(select(orders).where(orders.c.order_id == order_id))).first()
    if row is None:
        return None
    found = await conn.execute(
        select(
            lines.c.sku,
            lines.c.qty,
            lines.c.unit_price,
            lines.c.tax_rate,
            lines.c.shipped_qty,
            lines.c.returned_qty,
            lines.c.return_requested_qty,
        )
        .where(lines.c.order_id == order_id)
        .order_by(lines.c.line_no)
    )
    steps = await conn.execute(
        select(timeline.c.status, timeline.c.at, timeline.c.event_id)
        .where(timeline.c.order_id == order_id)
        .order_by(timeline.c.global_position)
    )
    return {
        **dict(row._mapping),
        "lines": [dict(line._mapping) for line in found],
        "timeline": [dict(step._mapping) for step in steps],
    }


async def sales_orders(
    conn: AsyncConnection,
    *,
    customer_id: str | None = None,
    status: str | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """Orders newest first."""
    query = select(orders).order_by(orders.c.placed_at.desc()).limit(limit)
    if customer_id is not None:
        query = query.where(orders.c.customer_id == customer_id)
    if status is not None:
        query = query.where(orders.c.status == status)
    return [dict(row._mapping) for row in await conn.execute(query)]


async def customer_exposure(conn: AsyncConnection, customer_id: str) -> dict[str, Any] | None:
    """Exposure = open receivables + open (unshipped-and-uninvoiced) orders, incl. VAT."""
    row = (
        await conn.execute(select(customers).where(customers.c.customer_id == customer_id))
    ).first()
    if row is None:
        return None
    exposure = row.open_orders + row.open_receivables
    return {
        "customer_id": row.customer_id,
        "name": row.name,
        "credit_limit": row.credit_limit,
        "open_orders": row.open_orders,
        "open_receivables": row.open_receivables,
        "exposure": exposure,
        "available_credit": row.credit_limit - exposure,
    }


async def open_order_qty(conn: AsyncConnection, *, sku: str | None = None) -> list[dict[str, Any]]:
    """Per sku (and warehouse): qty ordered but not shipped yet on orders still open."""
    query = (
        select(
            lines.c.sku,
            orders.c.warehouse_id,
            func.sum(_OPEN_QTY).label("open_qty"),
            func.count().label("orders"),
        )
        .join(orders, orders.c.order_id == lines.c.order_id)
        .where(orders.c.status.in_(sorted(OPEN_STATUSES)), _OPEN_QTY > 0)
        .group_by(lines.c.sku, orders.c.warehouse_id)
        .order_by(lines.c.sku, orders.c.warehouse_id)
    )
    if sku is not None:
        query = query.where(lines.c.sku == sku)
    return [dict(row._mapping) for row in await conn.execute(query)]
