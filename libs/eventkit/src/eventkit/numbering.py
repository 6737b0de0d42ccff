"""Human-readable document numbers a clerk can say on the phone: `PO-20261124-0001`.

One counter per (prefix, business day), incremented in the caller's transaction: a command that
rolls back gives its number back, so committed numbers have no gaps. Concurrent documents of one
prefix and day queue briefly on the counter row.
"""

from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

_NEXT = text(
    """
    INSERT INTO document_counters (prefix, day, last) VALUES (:prefix, :day, 1)
    ON CONFLICT (prefix, day) DO UPDATE SET last = document_counters.last + 1
    RETURNING last
    """
)


async def next_serial(conn: AsyncConnection, prefix: str, day: date) -> int:
    """The next number of the (prefix, day) counter, from 1 — for a document numbered per
    another span (per month: pass the month's first day), formatted by its owner."""
    number = await conn.scalar(_NEXT, {"prefix": prefix, "day": day})
    return int(number or 0)


async def next_document_number(conn: AsyncConnection, prefix: str, day: date) -> str:
    return f"{prefix}-{day:%Y%m%d}-{await next_serial(conn, prefix, day):04d}"
