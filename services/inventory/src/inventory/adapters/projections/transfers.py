"""调拨 as a list people browse: schema ``rm_transfers`` (``GET /transfers``, ``/transfers/{id}``).

- ``transfers``: one row per transfer — number, the two warehouses, ``in_transit`` until the
  destination receives it, then ``received``; when and by whom each step happened, how many
  lines and the value moved (at the source's moving average, which the destination takes over).
- ``transfer_lines``: each sku with its qty, unit cost and value.

Every value comes from the events (business and record times included), so a rebuild
reproduces the tables row for row.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import Column, DateTime, Integer, MetaData, Table, Text, Uuid, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent
from inventory.adapters.codec import from_payload
from inventory.adapters.projections.stock_events import COST, MONEY, QTY
from inventory.domain.document_events import StockTransferDispatched, StockTransferred

SCHEMA = "rm_transfers"
metadata = MetaData()

transfers = Table(
    "transfers",
    metadata,
    Column("transfer_id", Uuid, primary_key=True),
    Column("transfer_number", Text, nullable=False, unique=True),
    Column("source_warehouse_id", Text, nullable=False),
    Column("destination_warehouse_id", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("lines", Integer, nullable=False),
    Column("qty", QTY, nullable=False),
    Column("value", MONEY, nullable=False),
    Column("dispatched_at", DateTime(timezone=True), nullable=False),
    Column("dispatched_by", Text),
    Column("received_at", DateTime(timezone=True)),
    Column("received_by", Text),
    schema=SCHEMA,
)

transfer_lines = Table(
    "transfer_lines",
    metadata,
    Column("transfer_id", Uuid, primary_key=True),
    Column("sku", Text, primary_key=True),
    Column("qty", QTY, nullable=False),
    Column("unit_cost", COST, nullable=False),
    Column("value", MONEY, nullable=False),
    schema=SCHEMA,
)


class TransfersProjection(Projection):
    name: ClassVar[str] = "inventory.transfers"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset(
        {StockTransferDispatched.event_type, StockTransferred.event_type}
    )

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await self.apply_batch(conn, [event])

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        # In commit order: a receipt lands after its dispatch.
        for recorded in events:
            match from_payload(recorded.event_type, recorded.payload):
                case StockTransferDispatched() as event:
                    await _dispatched(conn, recorded, event)
                case StockTransferred() as event:
                    await conn.execute(
                        update(transfers)
                        .where(transfers.c.transfer_id == event.transfer_id)
                        .values(
                            status="received",
                            received_at=event.occurred_at,
                            received_by=recorded.metadata.actor,
                        )
                    )


async def _dispatched(
    conn: AsyncConnection, recorded: RecordedEvent, event: StockTransferDispatched
) -> None:
    header: dict[str, Any] = {
        "transfer_id": event.transfer_id,
        "transfer_number": event.transfer_number,
        "source_warehouse_id": event.source_warehouse_id,
        "destination_warehouse_id": event.destination_warehouse_id,
        "status": "in_transit",
        "lines": len(event.lines),
        "qty": sum((line.qty for line in event.lines), Decimal(0)),
        "value": sum((line.value for line in event.lines), Decimal(0)),
        "dispatched_at": event.occurred_at,
        "dispatched_by": recorded.metadata.actor,
    }
    await conn.execute(insert(transfers).on_conflict_do_nothing(), [header])
    lines = [
        {"transfer_id": event.transfer_id, "sku": line.sku, "qty": line.qty}
        | {"unit_cost": line.unit_cost, "value": line.value}
        for line in event.lines
    ]
    if lines:
        await conn.execute(insert(transfer_lines).on_conflict_do_nothing(), lines)
