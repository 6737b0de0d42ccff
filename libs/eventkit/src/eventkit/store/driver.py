"""Direct asyncpg access for the store's hot paths.

Appends and log reads run millions of times; SQLAlchemy's per-statement machinery costs more
CPU than the statement itself there. They run on the raw asyncpg connection underneath the
caller's `AsyncConnection` — same connection, and (this matters) the same transaction:
SQLAlchemy's asyncpg adapter sends BEGIN lazily on its first statement, so we make it begin
before handing the driver out, or our statements would autocommit outside the unit of work.
"""

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection


async def driver(conn: AsyncConnection) -> Any:
    raw = await conn.get_raw_connection()
    adapted: Any = raw.dbapi_connection
    if conn.in_transaction() and getattr(adapted, "_transaction", True) is None:
        start = getattr(adapted, "_start_transaction", None)
        if start is not None:
            await start()
        else:  # another SQLAlchemy version: let it begin through a trivial statement
            await conn.execute(text("SELECT 1"))
    connection = raw.driver_connection
    if connection is None:
        raise RuntimeError("connection is closed")
    return connection
