"""Reads of the sales read models (the HTTP queries)."""

from typing import Any
from uuid import UUID

from sqlalchemy import Column, MetaData, Table, func, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.http import Page
from sales.adapters.projections.customers import customers
from sales.adapters.projections.orders import lines, orders, timeline
from sales.domain.sales_order import OPEN_STATUSES

_OPEN_QTY = func.greatest(lines.c.qty - lines.c.shipped_qty, 0)
#: The event store (eventkit), read only for who did each step: its metadata names the actor.
_events = Table(
    "events",
    MetaData(),
    Column("event_id", PG_UUID(as_uuid=True)),
    Column("metadata", JSONB),
)
#: An unpaged order list answers at most this many (as it did before paging).
UNPAGED_ORDERS = 500


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
        select(
            timeline.c.status,
            timeline.c.at,
            timeline.c.event_id,
            _events.c.metadata["actor"].astext.label("actor"),
        )
        .outerjoin(_events, _events.c.event_id == timeline.c.event_id)
        .where(timeline.c.order_id == order_id)
        .order_by(timeline.c.global_position)
    )
    name = await conn.scalar(
        select(customers.c.name).where(customers.c.customer_id == row.customer_id)
    )
    return {
        **dict(row._mapping),
        "customer_name": name,
        "lines": [dict(line._mapping) for line in found],
        "timeline": [dict(step._mapping) for step in steps],
    }


async def sales_orders(
    conn: AsyncConnection,
    *,
    customer_id: str | None = None,
    status: str | None = None,
    page: Page | None = None,
) -> list[dict[str, Any]]:
    """Orders newest first, with the customer's name; `q` searches the order number, the
    customer id and name."""
    page = page or Page()
    query = (
        select(orders, customers.c.name.label("customer_name"))
        .outerjoin(customers, customers.c.customer_id == orders.c.customer_id)
        .order_by(orders.c.placed_at.desc(), orders.c.order_id)
    )
    if customer_id is not None:
        query = query.where(orders.c.customer_id == customer_id)
    if status is not None:
        query = query.where(orders.c.status == status)
    if page.limit is None:
        page = Page(UNPAGED_ORDERS, page.offset, page.q)
    query = page.apply(query, orders.c.order_number, orders.c.customer_id, customers.c.name)
    return [dict(row._mapping) for row in await conn.execute(query)]


async def customer_list(conn: AsyncConnection, page: Page) -> list[dict[str, Any]]:
    """Customers by id with their credit position; `q` searches the id and the name."""
    query = page.apply(
        select(customers).order_by(customers.c.customer_id),
        customers.c.customer_id,
        customers.c.name,
    )
    return [_credit_position(row) for row in await conn.execute(query)]


async def customer_exposure(conn: AsyncConnection, customer_id: str) -> dict[str, Any] | None:
    """Exposure = open receivables + open (unshipped-and-uninvoiced) orders, incl. VAT."""
    row = (
        await conn.execute(select(customers).where(customers.c.customer_id == customer_id))
    ).first()
    return None if row is None else _credit_position(row)


async def customer_detail(conn: AsyncConnection, customer_id: str) -> dict[str, Any] | None:
    """The customer's terms (discount off the list prices too) and its credit position."""
    row = (
        await conn.execute(select(customers).where(customers.c.customer_id == customer_id))
    ).first()
    return None if row is None else _credit_position(row) | {"discount_rate": row.discount_rate}


def _credit_position(row: Any) -> dict[str, Any]:
    exposure = row.open_orders + row.open_receivables
    return {
        "customer_id": row.customer_id,
        "name": row.name,
        "credit_limit": row.credit_limit,
        "open_orders": row.open_orders,
        "open_receivables": row.open_receivables,
        "exposure": exposure,
        "available_credit": row.credit_limit - exposure,
        "payment_terms_days": row.payment_terms_days,
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
