"""``PurchaseOrdersProjection`` keeps ``rm_purchase_orders``: one row per PO (``orders``) and
per PO line (``lines``) with ordered, received, rejected, cancelled and returned quantities.
Open qty = max(qty − received − cancelled, 0), computed when read."""

from collections.abc import Sequence
from typing import ClassVar

from sqlalchemy import Boolean, Column, Date, DateTime, MetaData, Table, Text, update
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent
from purchasing.adapters.codec import from_payload
from purchasing.adapters.projections.columns import MONEY, PRICE, QTY, RATE
from purchasing.domain import events as e
from purchasing.domain.purchase_order import CANCELLED, PARTIALLY_RECEIVED, PLACED, RECEIVED

SCHEMA = "rm_purchase_orders"
metadata = MetaData()
orders = Table(
    "orders",
    metadata,
    Column("po_id", PG_UUID(as_uuid=True), primary_key=True),
    Column("po_number", Text, nullable=False, unique=True),
    Column("status", Text, nullable=False, index=True),
    Column("supplier_id", Text, nullable=False, index=True),
    Column("warehouse_id", Text, nullable=False),
    Column("expected_date", Date),
    Column("net_total", MONEY, nullable=False),
    Column("tax_total", MONEY, nullable=False),
    Column("total", MONEY, nullable=False),
    Column("approval_required", Boolean, nullable=False),
    Column("approved_by", Text),
    Column("requisition_id", PG_UUID(as_uuid=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("placed_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    schema=SCHEMA,
)
lines = Table(
    "lines",
    metadata,
    Column("po_id", PG_UUID(as_uuid=True), primary_key=True),
    Column("sku", Text, primary_key=True),
    Column("line_no", Text, nullable=False),
    Column("qty", QTY, nullable=False),
    Column("unit_price", PRICE, nullable=False),
    Column("tax_rate", RATE, nullable=False),
    Column("received_qty", QTY, nullable=False, default=0),
    Column("rejected_qty", QTY, nullable=False, default=0),
    Column("cancelled_qty", QTY, nullable=False, default=0),
    Column("returned_qty", QTY, nullable=False, default=0),
    schema=SCHEMA,
)


class PurchaseOrdersProjection(Projection):
    name: ClassVar[str] = "purchasing.purchase_orders"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset(
        cls.event_type
        for cls in (
            e.PurchaseOrderDrafted,
            e.PurchaseOrderPlaced,
            e.PurchaseOrderCancelled,
            e.GoodsReceiptRecorded,
            e.PurchaseOrderClosed,
            e.SupplierReturnRecorded,
        )
    )

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await self.apply_batch(conn, [event])

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        for recorded in events:
            await _apply(conn, from_payload(recorded.event_type, recorded.payload))


async def _apply(conn: AsyncConnection, event: e.DomainEvent) -> None:
    match event:
        case e.PurchaseOrderDrafted():
            await _drafted(conn, event)
        case e.PurchaseOrderPlaced():
            await _set(
                conn,
                event.po_id,
                status=PLACED,
                approved_by=event.approved_by,
                placed_at=event.occurred_at,
            )
        case e.PurchaseOrderCancelled():
            await _set(conn, event.po_id, status=CANCELLED, closed_at=event.occurred_at)
            for cut in event.lines:
                await _add(conn, event.po_id, cut.sku, cancelled_qty=cut.qty)
        case e.GoodsReceiptRecorded():
            await conn.execute(
                update(orders)
                .where(orders.c.po_id == event.po_id, orders.c.status == PLACED)
                .values(status=PARTIALLY_RECEIVED)
            )
            for got in event.lines:
                await _add(
                    conn,
                    event.po_id,
                    got.sku,
                    received_qty=got.qty_accepted,
                    rejected_qty=got.qty_rejected,
                )
        case e.PurchaseOrderClosed():
            await _set(conn, event.po_id, status=RECEIVED, closed_at=event.occurred_at)
        case e.SupplierReturnRecorded():
            for back in event.lines:
                await _add(conn, event.po_id, back.sku, returned_qty=back.qty)
        case _:
            pass


async def _drafted(conn: AsyncConnection, event: e.PurchaseOrderDrafted) -> None:
    await conn.execute(
        insert(orders).on_conflict_do_nothing(),
        {
            "po_id": event.po_id,
            "po_number": event.po_number,
            "status": "draft",
            "supplier_id": event.supplier_id,
            "warehouse_id": event.warehouse_id,
            "expected_date": event.expected_date,
            "net_total": event.net_total,
            "tax_total": event.tax_total,
            "total": event.total,
            "approval_required": event.approval_required,
            "requisition_id": event.requisition_id,
            "created_at": event.occurred_at,
        },
    )
    await conn.execute(
        insert(lines).on_conflict_do_nothing(),
        [
            {
                "po_id": event.po_id,
                "sku": li.sku,
                "line_no": f"{n:04d}",
                "qty": li.qty,
                "unit_price": li.unit_price,
                "tax_rate": li.tax_rate,
            }
            for n, li in enumerate(event.lines, start=1)
        ],
    )


async def _set(conn: AsyncConnection, po_id: object, **values: object) -> None:
    await conn.execute(update(orders).where(orders.c.po_id == po_id).values(**values))


async def _add(conn: AsyncConnection, po_id: object, sku: str, **deltas: object) -> None:
    await conn.execute(
        update(lines)
        .where(lines.c.po_id == po_id, lines.c.sku == sku)
        .values({name: lines.c[name] + delta for name, delta in deltas.items()})
    )
