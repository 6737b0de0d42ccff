"""`rm_report_suppliers`: every goods receipt line with what its PO promised — the supplier
scorecard's history (on time, rejects, lead time, PO price) by month.

One row per PO line (`po_lines`: supplier, the day it was placed, the expected date, the list
price) and one per receipt line (`receipt_lines`). The two come from different topics and either
may arrive first; they are joined when the report is read, so nothing waits here.
"""

from datetime import date
from typing import ClassVar

from sqlalchemy import Column, Date, MetaData, Table, Text, Uuid
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from erp_contracts.events.inventory import GoodsReceived
from erp_contracts.events.purchasing import PurchaseOrderPlaced
from erp_contracts.registry import PublicEvent
from eventkit.store.records import RecordedEvent
from reporting.adapters.projections.base import (
    PRICE,
    QTY,
    ContractProjection,
    business_day,
    types_of,
)

SCHEMA = "rm_report_suppliers"
metadata = MetaData()

po_lines = Table(
    "po_lines",
    metadata,
    Column("po_id", Uuid, primary_key=True),
    Column("sku", Text, primary_key=True),
    Column("supplier_id", Text, nullable=False),
    Column("ordered_day", Date, nullable=False),
    Column("expected_date", Date),
    Column("unit_price", PRICE, nullable=False),
    schema=SCHEMA,
)

receipt_lines = Table(
    "receipt_lines",
    metadata,
    Column("receipt_id", Uuid, primary_key=True),
    Column("sku", Text, primary_key=True),
    Column("po_id", Uuid, nullable=False, index=True),
    Column("day", Date, nullable=False),
    Column("qty_accepted", QTY, nullable=False),
    Column("qty_rejected", QTY, nullable=False),
    schema=SCHEMA,
)


class DeliveriesProjection(ContractProjection):
    name: ClassVar[str] = "reporting.deliveries"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = types_of(PurchaseOrderPlaced, GoodsReceived)

    async def on(self, conn: AsyncConnection, event: PublicEvent, recorded: RecordedEvent) -> None:
        match event:
            case PurchaseOrderPlaced():
                await _po_placed(conn, event, business_day(recorded))
            case GoodsReceived():
                await _goods_received(conn, event, business_day(recorded))


async def _po_placed(conn: AsyncConnection, event: PurchaseOrderPlaced, day: date) -> None:
    rows = [
        {
            "po_id": event.po_id,
            "sku": line.sku,
            "supplier_id": event.supplier_id,
            "ordered_day": day,
            "expected_date": event.expected_date,
            "unit_price": line.unit_price,
        }
        for line in event.lines
    ]
    await conn.execute(insert(po_lines).values(rows).on_conflict_do_nothing())


async def _goods_received(conn: AsyncConnection, event: GoodsReceived, day: date) -> None:
    for line in event.lines:
        values = {"qty_accepted": line.qty_accepted, "qty_rejected": line.qty_rejected}
        stmt = insert(receipt_lines).values(
            receipt_id=event.receipt_id, sku=line.sku, po_id=event.po_id, day=day, **values
        )
        # a receipt naming a sku on two lines: one delivery of their sum
        summed = {k: receipt_lines.c[k] + stmt.excluded[k] for k in values}
        await conn.execute(
            stmt.on_conflict_do_update(index_elements=["receipt_id", "sku"], set_=summed)
        )
