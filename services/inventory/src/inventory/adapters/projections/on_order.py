"""Quantity on order (在途采购): what purchase orders still expect to deliver, per sku and
warehouse — the other half of projected stock (on hand + on order − reserved).

Per PO and sku: ordered − cancelled − received (never below zero: a receipt within the
over-receipt tolerance closes the line, it does not make "negative on order").
Returns to the supplier do not re-open a PO.
"""

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import ClassVar
from uuid import UUID

from sqlalchemy import Column, MetaData, Table, Text, func, select
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent
from inventory.adapters.codec import from_payload
from inventory.adapters.projections.stock_events import QTY, ZERO
from inventory.domain.document_events import (
    GoodsReceived,
    PurchaseOrderCancellationRecorded,
    PurchaseOrderRecorded,
)

SCHEMA = "rm_on_order"
metadata = MetaData()
po_lines = Table(
    "po_lines",
    metadata,
    Column("po_id", PG_UUID(as_uuid=True), primary_key=True),
    Column("sku", Text, primary_key=True),
    Column("warehouse_id", Text, nullable=False, index=True),
    Column("ordered", QTY, nullable=False, default=ZERO),
    Column("cancelled", QTY, nullable=False, default=ZERO),
    Column("received", QTY, nullable=False, default=ZERO),
    schema=SCHEMA,
)

_insert = insert(po_lines)
_ADD = _insert.on_conflict_do_update(
    index_elements=[po_lines.c.po_id, po_lines.c.sku],
    set_={
        "ordered": po_lines.c.ordered + _insert.excluded.ordered,
        "cancelled": po_lines.c.cancelled + _insert.excluded.cancelled,
        "received": po_lines.c.received + _insert.excluded.received,
    },
)

Line = tuple[UUID, str]


class OnOrderProjection(Projection):
    name: ClassVar[str] = "inventory.on_order"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset(
        {
            PurchaseOrderRecorded.event_type,
            PurchaseOrderCancellationRecorded.event_type,
            GoodsReceived.event_type,
        }
    )

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await self.apply_batch(conn, [event])

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        deltas: dict[Line, dict[str, Decimal]] = defaultdict(
            lambda: {"ordered": ZERO, "cancelled": ZERO, "received": ZERO}
        )
        warehouses: dict[UUID, str] = {}
        for recorded in events:
            _collect(from_payload(recorded.event_type, recorded.payload), deltas, warehouses)
        if not deltas:
            return
        known = await _warehouses_of(conn, {po for po, _ in deltas} - set(warehouses))
        rows = [
            {
                "po_id": po,
                "sku": sku,
                "warehouse_id": warehouses.get(po) or known.get(po, ""),
                **delta,
            }
            for (po, sku), delta in deltas.items()
        ]
        await conn.execute(_ADD, rows)


def _collect(
    event: object, deltas: dict[Line, dict[str, Decimal]], warehouses: dict[UUID, str]
) -> None:
    match event:
        case PurchaseOrderRecorded():
            warehouses[event.po_id] = event.warehouse_id
            for line in event.lines:
                deltas[(event.po_id, line.sku)]["ordered"] += line.qty
        case PurchaseOrderCancellationRecorded():
            for cut in event.lines:
                deltas[(event.po_id, cut.sku)]["cancelled"] += cut.qty
        case GoodsReceived():
            warehouses.setdefault(event.po_id, event.warehouse_id)
            for received in event.lines:
                deltas[(event.po_id, received.sku)]["received"] += received.qty_accepted


async def _warehouses_of(conn: AsyncConnection, po_ids: set[UUID]) -> dict[UUID, str]:
    if not po_ids:
        return {}
    query = select(po_lines.c.po_id, po_lines.c.warehouse_id).where(po_lines.c.po_id.in_(po_ids))
    return {row.po_id: row.warehouse_id for row in await conn.execute(query)}


async def on_order(
    conn: AsyncConnection, sku: str | None = None, warehouse_id: str | None = None
) -> dict[tuple[str, str], Decimal]:
    """(sku, warehouse_id) → quantity still expected from open purchase orders."""
    open_qty = func.greatest(po_lines.c.ordered - po_lines.c.cancelled - po_lines.c.received, 0)
    query = select(po_lines.c.sku, po_lines.c.warehouse_id, func.sum(open_qty)).group_by(
        po_lines.c.sku, po_lines.c.warehouse_id
    )
    if sku is not None:
        query = query.where(po_lines.c.sku == sku)
    if warehouse_id is not None:
        query = query.where(po_lines.c.warehouse_id == warehouse_id)
    return {(row[0], row[1]): Decimal(row[2]) for row in await conn.execute(query)}
