"""Reads of ``rm_transfers`` for ``GET /transfers`` and ``GET /transfers/{id}``: newest
dispatch first, filtered by status, warehouse (either end), sku and dispatch date, paged and
searched by ``eventkit.http.Page``."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.http import Page
from inventory.adapters.projections.transfers import transfer_lines, transfers


@dataclass(frozen=True, slots=True, kw_only=True)
class TransferFilter:
    status: str | None = None
    #: Either end: transfers out of or into this warehouse.
    warehouse_id: str | None = None
    sku: str | None = None
    #: Dispatched at or after `from_`, before `to` (business time).
    from_: datetime | None = None
    to: datetime | None = None


async def list_transfers(
    conn: AsyncConnection, page: Page, where: TransferFilter
) -> list[dict[str, Any]]:
    t = transfers
    query = select(t).order_by(t.c.dispatched_at.desc(), t.c.transfer_id)
    if where.status is not None:
        query = query.where(t.c.status == where.status)
    if where.warehouse_id is not None:
        query = query.where(
            or_(
                t.c.source_warehouse_id == where.warehouse_id,
                t.c.destination_warehouse_id == where.warehouse_id,
            )
        )
    if where.sku is not None:
        li = transfer_lines
        query = query.where(
            exists().where(li.c.transfer_id == t.c.transfer_id, li.c.sku == where.sku)
        )
    if where.from_ is not None:
        query = query.where(t.c.dispatched_at >= where.from_)
    if where.to is not None:
        query = query.where(t.c.dispatched_at < where.to)
    searched = (t.c.transfer_number, t.c.source_warehouse_id, t.c.destination_warehouse_id)
    query = page.apply(query, *searched)
    return [dict(row._mapping) for row in await conn.execute(query)]


async def transfer_detail(conn: AsyncConnection, transfer_id: UUID) -> dict[str, Any] | None:
    """The header and every line (by sku); None for a transfer never dispatched."""
    header = (
        await conn.execute(select(transfers).where(transfers.c.transfer_id == transfer_id))
    ).first()
    if header is None:
        return None
    li = transfer_lines
    rows = await conn.execute(
        select(li.c.sku, li.c.qty, li.c.unit_cost, li.c.value)
        .where(li.c.transfer_id == transfer_id)
        .order_by(li.c.sku)
    )
    return dict(header._mapping) | {"lines": [dict(row._mapping) for row in rows]}
