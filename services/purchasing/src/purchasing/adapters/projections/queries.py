"""Reads of the purchasing read models (the HTTP queries and the supplier choice).

Rates are computed from the scorecard counters when read: on-time rate = on-time deliveries /
deliveries, reject rate = rejected / (accepted + rejected) qty (4 places); average lead time =
summed lead-time days / deliveries (2 places). ``price_index`` = the average, over the skus on
the supplier's price list, of its price / the lowest price any supplier lists (1.0000 = always
the cheapest). A rate with nothing to measure is ``None``.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Date, cast, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.http.paging import Page
from purchasing.adapters.projections.purchase_orders import lines, orders
from purchasing.adapters.projections.requisitions import requisitions
from purchasing.adapters.projections.suppliers import price_history, prices, scorecard, suppliers
from purchasing.domain.sourcing import SupplierOffer

RATE_STEP, DAYS_STEP = Decimal("0.0001"), Decimal("0.01")
_OPEN_QTY = func.greatest(lines.c.qty - lines.c.received_qty - lines.c.cancelled_qty, 0)
_OPEN_STATUSES = ("placed", "partially_received")
#: Lists asked for without `limit` answer at most this many rows, as before paging existed.
UNPAGED = Page(limit=500)


def capped(page: Page) -> Page:
    """`page`, or the first 500 rows when it names no limit."""
    return page if page.limit is not None else Page(UNPAGED.limit, page.offset, page.q)


def _ratio(part: Decimal | int, whole: Decimal | int, step: Decimal = RATE_STEP) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(step, rounding=ROUND_HALF_UP)


def scorecard_rates(row: Any) -> dict[str, Any]:
    measured = (row.accepted_qty or 0) + (row.rejected_qty or 0)
    return {
        "deliveries": row.deliveries or 0,
        "on_time_rate": _ratio(row.on_time_deliveries or 0, row.deliveries or 0),
        "reject_rate": _ratio(row.rejected_qty or 0, measured),
        "avg_lead_time_days": _ratio(row.lead_time_days_total or 0, row.deliveries or 0, DAYS_STEP),
    }


async def supplier_offers(conn: AsyncConnection, sku: str) -> list[SupplierOffer]:
    """Every registered supplier whose price list offers `sku`, with its scorecard."""
    query = (
        select(prices.c.supplier_id, prices.c.unit_price, suppliers.c.lead_time_days, scorecard)
        .join(suppliers, suppliers.c.supplier_id == prices.c.supplier_id)
        .outerjoin(scorecard, scorecard.c.supplier_id == prices.c.supplier_id)
        .where(prices.c.sku == sku)
        .order_by(prices.c.supplier_id)
    )
    offers = []
    for row in await conn.execute(query):
        rates = scorecard_rates(row)
        offers.append(
            SupplierOffer(
                supplier_id=row.supplier_id,
                unit_price=row.unit_price,
                lead_time_days=row.lead_time_days,
                **rates,
            )
        )
    return offers


async def supplier_scorecard(conn: AsyncConnection, supplier_id: str) -> dict[str, Any] | None:
    row = (
        await conn.execute(
            select(suppliers.c.supplier_id, suppliers.c.name, suppliers.c.lead_time_days, scorecard)
            .outerjoin(scorecard, scorecard.c.supplier_id == suppliers.c.supplier_id)
            .where(suppliers.c.supplier_id == supplier_id)
        )
    ).first()
    if row is None:
        return None
    return {
        "supplier_id": supplier_id,
        "name": row.name,
        "orders": row.orders or 0,
        **scorecard_rates(row),
        "declared_lead_time_days": row.lead_time_days,
        "accepted_qty": row.accepted_qty or Decimal(0),
        "rejected_qty": row.rejected_qty or Decimal(0),
        "price_index": await _price_index(conn, supplier_id),
    }


async def _price_index(conn: AsyncConnection, supplier_id: str) -> Decimal | None:
    lowest = (
        select(prices.c.sku, func.min(prices.c.unit_price).label("lowest"))
        .group_by(prices.c.sku)
        .subquery()
    )
    value = await conn.scalar(
        select(func.avg(prices.c.unit_price / lowest.c.lowest))
        .join(lowest, lowest.c.sku == prices.c.sku)
        .where(prices.c.supplier_id == supplier_id)
    )
    return None if value is None else Decimal(value).quantize(RATE_STEP, ROUND_HALF_UP)


async def purchase_order(conn: AsyncConnection, po_id: UUID) -> dict[str, Any] | None:
    row = (await conn.execute(select(orders).where(orders.c.po_id == po_id))).first()
    if row is None:
        return None
    found = await conn.execute(
        select(lines, _OPEN_QTY.label("open_qty"))
        .where(lines.c.po_id == po_id)
        .order_by(lines.c.line_no)
    )
    return {
        **dict(row._mapping),
        "lines": [
            {k: v for k, v in line._mapping.items() if k not in {"po_id", "line_no"}}
            for line in found
        ],
    }


async def purchase_orders(
    conn: AsyncConnection,
    *,
    status: str | None = None,
    supplier_id: str | None = None,
    from_: date | None = None,
    to: date | None = None,
    page: Page = UNPAGED,
) -> list[dict[str, Any]]:
    """POs newest first; `from_ ≤ created date ≤ to` (business dates, UTC); `page.q` searches
    the number, supplier, warehouse and status."""
    query = select(orders).order_by(orders.c.created_at.desc(), orders.c.po_id)
    created_on = cast(func.timezone("UTC", orders.c.created_at), Date)
    if status is not None:
        query = query.where(orders.c.status == status)
    if supplier_id is not None:
        query = query.where(orders.c.supplier_id == supplier_id)
    if from_ is not None:
        query = query.where(created_on >= from_)
    if to is not None:
        query = query.where(created_on <= to)
    searched = (orders.c.po_number, orders.c.supplier_id, orders.c.warehouse_id, orders.c.status)
    query = page.apply(query, *searched)
    return [dict(row._mapping) for row in await conn.execute(query)]


async def open_lines(
    conn: AsyncConnection, *, supplier_id: str | None = None, sku: str | None = None
) -> list[dict[str, Any]]:
    """Lines of placed / partially received POs that still expect goods, oldest due first."""
    query = (
        select(
            orders.c.po_id,
            orders.c.po_number,
            orders.c.supplier_id,
            orders.c.warehouse_id,
            orders.c.expected_date,
            lines.c.sku,
            lines.c.qty,
            lines.c.received_qty,
            _OPEN_QTY.label("open_qty"),
        )
        .join(lines, lines.c.po_id == orders.c.po_id)
        .where(orders.c.status.in_(_OPEN_STATUSES), _OPEN_QTY > 0)
        .order_by(orders.c.expected_date, orders.c.po_number, lines.c.line_no)
    )
    if supplier_id is not None:
        query = query.where(orders.c.supplier_id == supplier_id)
    if sku is not None:
        query = query.where(lines.c.sku == sku)
    return [dict(row._mapping) for row in await conn.execute(query)]


async def requisition_list(
    conn: AsyncConnection,
    *,
    status: str | None = None,
    sku: str | None = None,
    page: Page = UNPAGED,
) -> list[dict[str, Any]]:
    """Requisitions newest first; `page.q` searches the number, sku, warehouse, suggested
    supplier and PO number."""
    r = requisitions.c
    query = select(requisitions).order_by(r.raised_at.desc(), r.requisition_id)
    if status is not None:
        query = query.where(r.status == status)
    if sku is not None:
        query = query.where(r.sku == sku)
    searched = (r.requisition_number, r.sku, r.warehouse_id, r.suggested_supplier_id, r.po_number)
    query = page.apply(query, *searched)
    return [dict(row._mapping) for row in await conn.execute(query)]


async def prices_paid(
    conn: AsyncConnection, *, sku: str, supplier_id: str | None = None
) -> list[dict[str, Any]]:
    """Price-list entries and placed PO prices of `sku`, oldest first."""
    query = (
        select(price_history)
        .where(price_history.c.sku == sku)
        .order_by(price_history.c.global_position, price_history.c.line)
    )
    if supplier_id is not None:
        query = query.where(price_history.c.supplier_id == supplier_id)
    return [dict(row._mapping) for row in await conn.execute(query)]
