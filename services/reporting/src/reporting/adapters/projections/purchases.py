"""`rm_report_purchases`: purchases by day × supplier × sku.

- ordered qty and value (at the PO's net list price) on the day the PO was placed;
- received (accepted) and rejected qty and the received value on the day of the receipt, with
  each receipt line counted on time (received on or before the PO's expected date, or no date
  was promised) or late. A receipt names only its PO: it waits in `receipt_lines` until the
  PO's `PurchaseOrderPlaced` is known (the two come from different topics);
- invoiced qty and net (the price actually paid) on the supplier invoice's date.
"""

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import Boolean, Column, Date, MetaData, Table, Text, Uuid, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from erp_contracts.events.finance import SupplierInvoiceRecorded
from erp_contracts.events.inventory import GoodsReceived
from erp_contracts.events.purchasing import PurchaseOrderPlaced
from erp_contracts.registry import PublicEvent
from eventkit.store.records import RecordedEvent
from reporting.adapters.projections.base import (
    MONEY,
    PRICE,
    QTY,
    ContractProjection,
    add_to,
    business_day,
    measure,
    types_of,
)
from reporting.domain.analysis import split_total, to_cents

SCHEMA = "rm_report_purchases"
metadata = MetaData()

po_lines = Table(
    "po_lines",
    metadata,
    Column("po_id", Uuid, primary_key=True),
    Column("sku", Text, primary_key=True),
    Column("supplier_id", Text, nullable=False),
    Column("expected_date", Date),
    Column("unit_price", PRICE, nullable=False),
    schema=SCHEMA,
)

receipt_lines = Table(
    "receipt_lines",
    metadata,
    Column("receipt_id", Uuid, primary_key=True),
    Column("sku", Text, primary_key=True),
    Column("po_id", Uuid, nullable=False),
    Column("day", Date, nullable=False),
    Column("qty_accepted", QTY, nullable=False),
    Column("qty_rejected", QTY, nullable=False),
    Column("value", MONEY, nullable=False),
    Column("posted", Boolean, nullable=False, server_default="false"),
    schema=SCHEMA,
)

purchases_daily = Table(
    "purchases_daily",
    metadata,
    Column("day", Date, primary_key=True),
    Column("supplier_id", Text, primary_key=True),
    Column("sku", Text, primary_key=True),
    measure("qty_ordered", QTY),
    measure("ordered_value"),
    measure("qty_received", QTY),
    measure("qty_rejected", QTY),
    measure("received_value"),
    measure("lines_on_time", QTY),
    measure("lines_late", QTY),
    measure("qty_invoiced", QTY),
    measure("invoiced_net"),
    schema=SCHEMA,
)


class PurchasesProjection(ContractProjection):
    name: ClassVar[str] = "reporting.purchases"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = types_of(
        PurchaseOrderPlaced, GoodsReceived, SupplierInvoiceRecorded
    )

    async def on(self, conn: AsyncConnection, event: PublicEvent, recorded: RecordedEvent) -> None:
        match event:
            case PurchaseOrderPlaced():
                await _po_placed(conn, event, business_day(recorded))
            case GoodsReceived():
                await _goods_received(conn, event, business_day(recorded))
            case SupplierInvoiceRecorded():
                await _invoice_recorded(conn, event)


async def _po_placed(conn: AsyncConnection, event: PurchaseOrderPlaced, day: date) -> None:
    for line in event.lines:
        await conn.execute(
            insert(po_lines)
            .values(
                po_id=event.po_id,
                sku=line.sku,
                supplier_id=event.supplier_id,
                expected_date=event.expected_date,
                unit_price=line.unit_price,
            )
            .on_conflict_do_nothing()
        )
        keys = {"day": day, "supplier_id": event.supplier_id, "sku": line.sku}
        measures = {"qty_ordered": line.qty, "ordered_value": to_cents(line.qty * line.unit_price)}
        await add_to(conn, purchases_daily, keys, measures)
    await _post_receipts(conn, event.po_id)


async def _goods_received(conn: AsyncConnection, event: GoodsReceived, day: date) -> None:
    for line in event.lines:
        values = {
            "qty_accepted": line.qty_accepted,
            "qty_rejected": line.qty_rejected,
            "value": line.value + line.cost_variance,
        }
        stmt = insert(receipt_lines).values(
            receipt_id=event.receipt_id, sku=line.sku, po_id=event.po_id, day=day, **values
        )
        excluded = {k: receipt_lines.c[k] + stmt.excluded[k] for k in values}
        await conn.execute(
            stmt.on_conflict_do_update(index_elements=["receipt_id", "sku"], set_=excluded)
        )
    await _post_receipts(conn, event.po_id)


async def _post_receipts(conn: AsyncConnection, po_id: UUID) -> None:
    """Post the PO's waiting receipt lines whose PO line is known."""
    pending = (
        select(receipt_lines, po_lines.c.supplier_id, po_lines.c.expected_date)
        .join(
            po_lines,
            (po_lines.c.po_id == receipt_lines.c.po_id) & (po_lines.c.sku == receipt_lines.c.sku),
        )
        .where(receipt_lines.c.po_id == po_id, receipt_lines.c.posted.is_(False))
        .order_by(receipt_lines.c.receipt_id, receipt_lines.c.sku)
    )
    for row in (await conn.execute(pending)).all():
        await add_to(conn, purchases_daily, _keys(row), _received(row))
        await conn.execute(
            update(receipt_lines)
            .where(receipt_lines.c.receipt_id == row.receipt_id, receipt_lines.c.sku == row.sku)
            .values(posted=True)
        )


def _keys(row: Any) -> dict[str, Any]:
    return {"day": row.day, "supplier_id": row.supplier_id, "sku": row.sku}


def _received(row: Any) -> dict[str, Any]:
    on_time = row.expected_date is None or row.day <= row.expected_date
    return {
        "qty_received": row.qty_accepted,
        "qty_rejected": row.qty_rejected,
        "received_value": row.value,
        "lines_on_time": Decimal(1 if on_time else 0),
        "lines_late": Decimal(0 if on_time else 1),
    }


async def _invoice_recorded(conn: AsyncConnection, event: SupplierInvoiceRecorded) -> None:
    nets = split_total(event.net_total, [li.qty * li.unit_price for li in event.lines])
    for line, net in zip(event.lines, nets, strict=True):
        keys = {"day": event.invoice_date, "supplier_id": event.supplier_id, "sku": line.sku}
        await add_to(conn, purchases_daily, keys, {"qty_invoiced": line.qty, "invoiced_net": net})
