"""Which stock-item streams exist, read from inventory's own event store.

Two rare questions need it — an item's costing-method change (every warehouse of the sku) and
the month end (every stock item on the periodic average) — so they scan the `events` table
instead of keeping a table of their own; both run once per change or per month.
"""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from inventory.domain.vocabulary import CostingMethod

_OF_SKU = text(
    "SELECT DISTINCT stream_id FROM events"
    " WHERE event_type = 'StockItemOpened' AND payload->>'sku' = :sku ORDER BY stream_id"
)
_EVER_ON = text(
    "SELECT DISTINCT stream_id FROM events"
    " WHERE event_type IN ('StockItemOpened', 'StockCostingMethodChanged')"
    " AND payload->>'costing_method' = :method ORDER BY stream_id"
)


async def stock_streams_of(conn: AsyncConnection, sku: str) -> list[str]:
    return [row[0] for row in await conn.execute(_OF_SKU, {"sku": sku})]


async def stock_streams_ever_on(conn: AsyncConnection, method: CostingMethod) -> list[str]:
    """Streams opened with, or changed to, ``method`` (callers check the current one)."""
    return [row[0] for row in await conn.execute(_EVER_ON, {"method": method.value})]
