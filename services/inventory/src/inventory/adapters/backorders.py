"""Orders waiting for stock (backorders): a write-side index kept in the same transaction as the
allocation events that change it, so it is never out of step with the event store.

When stock arrives for a sku, the waiting orders that need it are retried, oldest first.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.jsonutil import dumps


@dataclass(frozen=True, slots=True)
class WaitingOrder:
    order_id: UUID
    warehouse_id: str
    lines: tuple[tuple[str, Decimal], ...]


async def add_waiting(
    conn: AsyncConnection,
    order_id: UUID,
    warehouse_id: str,
    lines: Sequence[tuple[str, Decimal]],
    at: datetime,
) -> None:
    """Keep the order waiting (first rejection sets its place in the queue)."""
    await conn.execute(
        text(
            "INSERT INTO waiting_orders (order_id, warehouse_id, skus, lines, waiting_since)"
            " VALUES (:o, :w, :s, CAST(:l AS jsonb), :t) ON CONFLICT (order_id) DO NOTHING"
        ),
        {
            "o": order_id,
            "w": warehouse_id,
            "s": [sku for sku, _ in lines],
            "l": dumps([[sku, qty] for sku, qty in lines]),
            "t": at,
        },
    )


async def waiting_order(conn: AsyncConnection, order_id: UUID) -> WaitingOrder | None:
    row = (
        await conn.execute(
            text("SELECT warehouse_id, lines FROM waiting_orders WHERE order_id = :o"),
            {"o": order_id},
        )
    ).first()
    if row is None:
        return None
    lines = tuple((sku, Decimal(qty)) for sku, qty in row.lines)
    return WaitingOrder(order_id, row.warehouse_id, lines)


async def remove_waiting(conn: AsyncConnection, order_id: UUID) -> None:
    await conn.execute(text("DELETE FROM waiting_orders WHERE order_id = :o"), {"o": order_id})


async def waiting_for(
    conn: AsyncConnection, warehouse_id: str, skus: Sequence[str] | None = None, limit: int = 100
) -> list[UUID]:
    """Waiting orders in `warehouse_id` that need any of `skus` (all if None), oldest first."""
    result = await conn.execute(
        text(
            "SELECT order_id FROM waiting_orders WHERE warehouse_id = :w"
            " AND (CAST(:s AS text[]) IS NULL OR skus && CAST(:s AS text[]))"
            " ORDER BY waiting_since, order_id LIMIT :n"
        ),
        {"w": warehouse_id, "s": list(skus) if skus is not None else None, "n": limit},
    )
    return [row[0] for row in result]


async def warehouses_with_waiting(conn: AsyncConnection) -> list[str]:
    result = await conn.execute(text("SELECT DISTINCT warehouse_id FROM waiting_orders"))
    return [row[0] for row in result]
