"""`rm_report_suppliers`: every goods receipt line with what its PO promised — the supplier
scorecard's history (on time, rejects, lead time, PO price) by month.

One row per PO line (`po_lines`: supplier, the day it was placed, the expected date, the list
price) and one per receipt line (`receipt_lines`). The two come from different topics and either
may arrive first; they are joined when the report is read, so nothing waits here.
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import Column, Date, MetaData, Table, Text, Uuid
from sqlalchemy.ext.asyncio import AsyncConnection

from erp_contracts.events.inventory import GoodsReceived
from erp_contracts.events.purchasing import PurchaseOrderLine, PurchaseOrderPlaced
from erp_contracts.registry import PublicEvent
from eventkit.store.records import RecordedEvent
from reporting.adapters.projections.base import (
    PRICE,
    QTY,
    ContractProjection,
    add_all,
    business_day,
    decoded,
    insert_new,
    summed,
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
        await _write(conn, [(event, business_day(recorded))])

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        decoded_events = [(decoded(recorded), business_day(recorded)) for recorded in events]
        await _write(conn, [(event, day) for event, day in decoded_events if event is not None])


_RECEIPT_KEY = ("receipt_id", "sku")


async def _write(conn: AsyncConnection, events: Sequence[tuple[PublicEvent, date]]) -> None:
    """PO lines are kept as first told; a receipt naming a sku on two lines (or twice) is one
    delivery of their sum. One statement per table for the whole batch."""
    placed: dict[tuple[Any, ...], dict[str, Any]] = {}
    received: dict[tuple[Any, ...], dict[str, Decimal]] = {}
    first_told: dict[tuple[Any, ...], dict[str, Any]] = {}
    for event, day in events:
        match event:
            case PurchaseOrderPlaced():
                for line in event.lines:
                    placed.setdefault((event.po_id, line.sku), _po_line(event, line, day))
            case GoodsReceived():
                for got in event.lines:
                    key = (event.receipt_id, got.sku)
                    first_told.setdefault(key, {"po_id": event.po_id, "day": day})
                    counted = {"qty_accepted": got.qty_accepted, "qty_rejected": got.qty_rejected}
                    summed(received, key, counted)
    await insert_new(conn, po_lines, list(placed.values()))
    rows = [
        {**dict(zip(_RECEIPT_KEY, key, strict=True)), **first_told[key], **sums}
        for key, sums in received.items()
    ]
    await add_all(conn, receipt_lines, _RECEIPT_KEY, rows, ("qty_accepted", "qty_rejected"))


def _po_line(event: PurchaseOrderPlaced, line: PurchaseOrderLine, day: date) -> dict[str, Any]:
    return {
        "po_id": event.po_id,
        "sku": line.sku,
        "supplier_id": event.supplier_id,
        "ordered_day": day,
        "expected_date": event.expected_date,
        "unit_price": line.unit_price,
    }
