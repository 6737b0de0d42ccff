"""Re-state one stock's business-time running balances from a row on.

Rows keep their own signed ``qty``/``value``; the balance after a row is the balance before
the first re-stated row plus a running sum. One window-function UPDATE, touching only rows
whose balances actually change. Cost: the rows from ``start`` on — a movement backdated a year
on a busy stock rewrites a year of balances, which is what keeping them current means.
"""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, SmallInteger, literal, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import func

from inventory.adapters.projections.ledger_tables import movements
from inventory.adapters.projections.stock_events import MONEY, QTY, ZERO, StockKey

BusinessKey = tuple[datetime, int, int]
"""(occurred_at, global_position, line): a row's place in business time."""

_ORDER = (movements.c.occurred_at, movements.c.global_position, movements.c.line)


def business_key_literal(key: BusinessKey) -> object:
    occurred_at, position, line = key
    return tuple_(
        literal(occurred_at, DateTime(timezone=True)),
        literal(position, BigInteger),
        literal(line, SmallInteger),
    )


async def restate_running_balances(
    conn: AsyncConnection, stock: StockKey, start: BusinessKey
) -> None:
    m = movements
    sku, warehouse_id = stock
    same_stock = (m.c.sku == sku, m.c.warehouse_id == warehouse_id)
    start_at = business_key_literal(start)
    base = (
        await conn.execute(
            select(m.c.qty_after, m.c.value_after)
            .where(*same_stock, tuple_(*_ORDER) < start_at)
            .order_by(*(column.desc() for column in _ORDER))
            .limit(1)
        )
    ).first()
    base_qty, base_value = (base[0], base[1]) if base else (ZERO, ZERO)
    running_qty = func.sum(m.c.qty).over(order_by=_ORDER, rows=(None, 0))
    running_value = func.sum(m.c.value).over(order_by=_ORDER, rows=(None, 0))
    chain = (
        select(
            m.c.global_position,
            m.c.line,
            (literal(base_qty, QTY) + running_qty).label("qty_after"),
            (literal(base_value, MONEY) + running_value).label("value_after"),
        )
        .where(*same_stock, tuple_(*_ORDER) >= start_at)
        .subquery("chain")
    )
    qty_before = chain.c.qty_after - m.c.qty
    value_before = chain.c.value_after - m.c.value
    await conn.execute(
        update(m)
        .where(
            m.c.global_position == chain.c.global_position,
            m.c.line == chain.c.line,
            or_(
                m.c.qty_after != chain.c.qty_after,
                m.c.value_after != chain.c.value_after,
                m.c.qty_before != qty_before,
                m.c.value_before != value_before,
            ),
        )
        .values(
            qty_after=chain.c.qty_after,
            qty_before=qty_before,
            value_after=chain.c.value_after,
            value_before=value_before,
        )
    )
