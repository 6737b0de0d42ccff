"""``known_items``: the skus inventory registered (its public `ItemRegistered`), kept by an inbox
consumer. An order line naming a sku not in it is refused with 409 `not_yet_known` and
Retry-After. The table lags inventory by the relay + consumer delay (well under a second
normally): an item registered a moment ago may not be orderable yet."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

_REMEMBER = text(
    "INSERT INTO known_items (sku, name, uom, registered_at) VALUES (:sku, :name, :uom, :at)"
    " ON CONFLICT (sku) DO NOTHING"
)
_KNOWN = text("SELECT sku FROM known_items WHERE sku = ANY(CAST(:skus AS text[]))")


async def remember_item(
    conn: AsyncConnection, sku: str, name: str, uom: str, registered_at: datetime
) -> None:
    await conn.execute(_REMEMBER, {"sku": sku, "name": name, "uom": uom, "at": registered_at})


async def unknown_skus(conn: AsyncConnection, skus: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(skus))
    known = set((await conn.execute(_KNOWN, {"skus": wanted})).scalars())
    return [sku for sku in wanted if sku not in known]
