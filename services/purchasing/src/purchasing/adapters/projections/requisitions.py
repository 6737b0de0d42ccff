"""``RequisitionsProjection`` keeps ``rm_requisitions.requisitions``: one row per 请购 with its
suggested supplier, the reason, and the PO it became."""

from collections.abc import Sequence
from typing import ClassVar

from sqlalchemy import Column, DateTime, MetaData, Table, Text, update
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent
from purchasing.adapters.codec import from_payload
from purchasing.adapters.projections.columns import PRICE, QTY
from purchasing.domain import events as e
from purchasing.domain.requisition import OPEN, ORDERED

SCHEMA = "rm_requisitions"
metadata = MetaData()
requisitions = Table(
    "requisitions",
    metadata,
    Column("requisition_id", PG_UUID(as_uuid=True), primary_key=True),
    Column("requisition_number", Text, nullable=False),
    Column("status", Text, nullable=False, index=True),
    Column("sku", Text, nullable=False),
    Column("warehouse_id", Text, nullable=False),
    Column("qty", QTY, nullable=False),
    Column("origin", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("suggested_supplier_id", Text),
    Column("suggested_unit_price", PRICE),
    Column("reason", Text, nullable=False),
    Column("po_id", PG_UUID(as_uuid=True)),
    Column("po_number", Text),
    Column("raised_at", DateTime(timezone=True), nullable=False, index=True),
    schema=SCHEMA,
)


class RequisitionsProjection(Projection):
    name: ClassVar[str] = "purchasing.requisitions"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset(
        {e.PurchaseRequisitionRaised.event_type, e.RequisitionOrdered.event_type}
    )

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await self.apply_batch(conn, [event])

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        raised = []
        for recorded in events:
            event = from_payload(recorded.event_type, recorded.payload)
            if isinstance(event, e.PurchaseRequisitionRaised):
                raised.append(_row(event))
            elif isinstance(event, e.RequisitionOrdered):
                if raised:  # rows before an update must exist
                    await conn.execute(insert(requisitions).on_conflict_do_nothing(), raised)
                    raised = []
                await conn.execute(
                    update(requisitions)
                    .where(requisitions.c.requisition_id == event.requisition_id)
                    .values(status=ORDERED, po_id=event.po_id, po_number=event.po_number)
                )
        if raised:
            await conn.execute(insert(requisitions).on_conflict_do_nothing(), raised)


def _row(event: e.PurchaseRequisitionRaised) -> dict[str, object]:
    return {
        "requisition_id": event.requisition_id,
        "requisition_number": event.requisition_number,
        "status": OPEN,
        "sku": event.sku,
        "warehouse_id": event.warehouse_id,
        "qty": event.qty,
        "origin": event.origin,
        "source": event.source,
        "suggested_supplier_id": event.suggested_supplier_id,
        "suggested_unit_price": event.suggested_unit_price,
        "reason": event.reason,
        "raised_at": event.occurred_at,
    }
