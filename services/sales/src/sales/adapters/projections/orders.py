"""``OrdersProjection`` keeps ``rm_sales_orders``: one row per order (``orders``), per order
line (``lines``, with shipped and returned quantities) and per step of the order's life
(``timeline``: status, business time and the event id that made it)."""

from collections.abc import Sequence
from typing import ClassVar
from uuid import UUID

from sqlalchemy import BigInteger, Column, DateTime, Integer, MetaData, Table, Text, update
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent
from sales.adapters.codec import from_payload
from sales.adapters.projections.columns import MONEY, PRICE, QTY, RATE
from sales.domain import events as e
from sales.domain.sales_order import BACKORDERED, CANCELLED, COMPLETED, CONFIRMED, PLACED

SCHEMA = "rm_sales_orders"
metadata = MetaData()
orders = Table(
    "orders",
    metadata,
    Column("order_id", PG_UUID(as_uuid=True), primary_key=True),
    Column("order_number", Text, nullable=False, unique=True),
    Column("status", Text, nullable=False, index=True),
    Column("customer_id", Text, nullable=False, index=True),
    Column("warehouse_id", Text, nullable=False),
    Column("net_total", MONEY, nullable=False),
    Column("tax_total", MONEY, nullable=False),
    Column("total", MONEY, nullable=False),
    Column("placed_at", DateTime(timezone=True), nullable=False, index=True),
    schema=SCHEMA,
)
lines = Table(
    "lines",
    metadata,
    Column("order_id", PG_UUID(as_uuid=True), primary_key=True),
    Column("sku", Text, primary_key=True, index=True),
    Column("line_no", Integer, nullable=False),
    Column("qty", QTY, nullable=False),
    Column("unit_price", PRICE, nullable=False),
    Column("tax_rate", RATE, nullable=False),
    Column("shipped_qty", QTY, nullable=False, default=0),
    Column("returned_qty", QTY, nullable=False, default=0),
    Column("return_requested_qty", QTY, nullable=False, default=0),
    schema=SCHEMA,
)
timeline = Table(
    "timeline",
    metadata,
    Column("global_position", BigInteger, primary_key=True),
    Column("order_id", PG_UUID(as_uuid=True), nullable=False, index=True),
    Column("status", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("event_id", PG_UUID(as_uuid=True), nullable=False),
    schema=SCHEMA,
)

#: The step each order event adds to the timeline (shipments name the status they led to).
STEPS: dict[str, str] = {
    e.SalesOrderPlaced.event_type: PLACED,
    e.SalesOrderConfirmed.event_type: CONFIRMED,
    e.SalesOrderBackordered.event_type: BACKORDERED,
    e.SalesOrderCancelled.event_type: CANCELLED,
    e.OrderStockReleased.event_type: "stock_released",
    e.SalesReturnRequested.event_type: "return_requested",
    e.CustomerReturnRecorded.event_type: "return_received",
    e.OrderFullyInvoiced.event_type: "invoiced",
    e.OrderInvoiceSettled.event_type: "invoice_settled",
    e.SalesOrderCompleted.event_type: COMPLETED,
}


class OrdersProjection(Projection):
    name: ClassVar[str] = "sales.orders"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset(
        {*STEPS, e.OrderShipmentRecorded.event_type, e.OrderInvoiced.event_type}
    )

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await self.apply_batch(conn, [event])

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        steps = []
        for recorded in events:
            event = from_payload(recorded.event_type, recorded.payload)
            step = await _apply(conn, event)
            steps.append(
                {
                    "global_position": recorded.global_position,
                    "order_id": getattr(event, "order_id"),  # noqa: B009 - every handled event
                    "status": step,
                    "at": recorded.occurred_at,
                    "event_id": recorded.event_id,
                }
            )
        if steps:
            await conn.execute(insert(timeline).on_conflict_do_nothing(), steps)


async def _apply(conn: AsyncConnection, event: e.DomainEvent) -> str:
    match event:
        case e.SalesOrderPlaced():
            await _placed(conn, event)
        case (
            e.SalesOrderConfirmed()
            | e.SalesOrderBackordered()
            | e.SalesOrderCancelled()
            | e.SalesOrderCompleted()
            | e.OrderFullyInvoiced()
        ):
            await _set(conn, event.order_id, status=STEPS[event.event_type])
        case e.OrderInvoiced():
            await _set(conn, event.order_id, status=event.status)
            return "invoiced" if event.status == "invoiced" else "invoice_issued"
        case e.OrderShipmentRecorded():
            await _set(conn, event.order_id, status=event.status)
            for line in event.lines:
                await _add(conn, event.order_id, line.sku, shipped_qty=line.qty)
            return event.status
        case e.SalesReturnRequested():
            for back in event.lines:
                await _add(conn, event.order_id, back.sku, return_requested_qty=back.qty)
        case e.CustomerReturnRecorded():
            for got in event.lines:
                await _add(conn, event.order_id, got.sku, returned_qty=got.qty)
        case _:
            pass
    return STEPS[event.event_type]


async def _placed(conn: AsyncConnection, event: e.SalesOrderPlaced) -> None:
    await conn.execute(
        insert(orders).on_conflict_do_nothing(),
        {
            "order_id": event.order_id,
            "order_number": event.order_number,
            "status": PLACED,
            "customer_id": event.customer_id,
            "warehouse_id": event.warehouse_id,
            "net_total": event.net_total,
            "tax_total": event.tax_total,
            "total": event.total,
            "placed_at": event.occurred_at,
        },
    )
    await conn.execute(
        insert(lines).on_conflict_do_nothing(),
        [
            {
                "order_id": event.order_id,
                "sku": li.sku,
                "line_no": n,
                "qty": li.qty,
                "unit_price": li.unit_price,
                "tax_rate": li.tax_rate,
            }
            for n, li in enumerate(event.lines, start=1)
        ],
    )


async def _set(conn: AsyncConnection, order_id: UUID, **values: object) -> None:
    await conn.execute(update(orders).where(orders.c.order_id == order_id).values(**values))


async def _add(conn: AsyncConnection, order_id: UUID, sku: str, **deltas: object) -> None:
    await conn.execute(
        update(lines)
        .where(lines.c.order_id == order_id, lines.c.sku == sku)
        .values({name: lines.c[name] + delta for name, delta in deltas.items()})
    )
