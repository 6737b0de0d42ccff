"""Reads of the supplier read model for the console: the supplier list with each supplier's
scorecard figures, and one supplier with its price list.

The figures are the scorecard's (``queries``): on-time rate, reject rate, average lead time and
``price_index`` (average over the supplier's price-list skus of its price / the lowest listed
price), computed when read.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.http.paging import Page
from purchasing.adapters.projections.queries import RATE_STEP, UNPAGED, scorecard_rates
from purchasing.adapters.projections.suppliers import prices, scorecard, suppliers


def _price_indexes() -> Any:
    """Per supplier: the average of price / lowest listed price over its price list."""
    lowest = (
        select(prices.c.sku, func.min(prices.c.unit_price).label("lowest"))
        .group_by(prices.c.sku)
        .subquery()
    )
    return (
        select(
            prices.c.supplier_id,
            func.avg(prices.c.unit_price / lowest.c.lowest).label("price_index"),
            func.count().label("listed_skus"),
        )
        .join(lowest, lowest.c.sku == prices.c.sku)
        .group_by(prices.c.supplier_id)
        .subquery()
    )


async def supplier_list(conn: AsyncConnection, page: Page = UNPAGED) -> list[dict[str, Any]]:
    """Suppliers by id; `page.q` searches the id and name."""
    index = _price_indexes()
    query = (
        select(
            suppliers,
            scorecard.c.orders,
            scorecard.c.deliveries,
            scorecard.c.on_time_deliveries,
            scorecard.c.lead_time_days_total,
            scorecard.c.accepted_qty,
            scorecard.c.rejected_qty,
            index.c.price_index,
            index.c.listed_skus,
        )
        .outerjoin(scorecard, scorecard.c.supplier_id == suppliers.c.supplier_id)
        .outerjoin(index, index.c.supplier_id == suppliers.c.supplier_id)
        .order_by(suppliers.c.supplier_id)
    )
    query = page.apply(query, suppliers.c.supplier_id, suppliers.c.name)
    return [_listed(row) for row in await conn.execute(query)]


def _listed(row: Any) -> dict[str, Any]:
    price_index = row.price_index
    return {
        "supplier_id": row.supplier_id,
        "name": row.name,
        "payment_terms_days": row.payment_terms_days,
        "lead_time_days": row.lead_time_days,
        "tax_rate": row.tax_rate,
        "orders": row.orders or 0,
        **scorecard_rates(row),
        "price_index": None
        if price_index is None
        else Decimal(price_index).quantize(RATE_STEP, ROUND_HALF_UP),
        "listed_skus": row.listed_skus or 0,
    }


async def supplier_detail(conn: AsyncConnection, supplier_id: str) -> dict[str, Any] | None:
    """One supplier's master data and current price list (by sku)."""
    row = (
        await conn.execute(select(suppliers).where(suppliers.c.supplier_id == supplier_id))
    ).first()
    if row is None:
        return None
    listed = await conn.execute(
        select(prices.c.sku, prices.c.unit_price, prices.c.updated_at)
        .where(prices.c.supplier_id == supplier_id)
        .order_by(prices.c.sku)
    )
    return {**dict(row._mapping), "prices": [dict(price._mapping) for price in listed]}
