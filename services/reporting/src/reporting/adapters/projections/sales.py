"""`rm_report_sales`: sales by day × sku × customer × warehouse, returns netted.

A sale needs two producers' events: inventory's `ShipmentDispatched` (day, warehouse, qty and
the cost it used) and finance's `CustomerInvoiceIssued` for that shipment (customer, net, VAT
at the order's prices). A return likewise pairs `CustomerReturnReceived` with the
`CreditNoteIssued` for that return. The two topics are consumed independently, so either half
may come first: each half is parked in `document_lines` and the line is added to
`sales_daily` once both halves are there (then `posted`). The day is the day the goods moved.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import Boolean, Column, Date, MetaData, Table, Text, Uuid, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from erp_contracts.events.finance import CreditNoteIssued, CustomerInvoiceIssued, InvoiceLine
from erp_contracts.events.inventory import CustomerReturnReceived, ShipmentDispatched, ValuedLine
from erp_contracts.registry import PublicEvent
from eventkit.store.records import RecordedEvent
from reporting.adapters.projections.base import (
    MONEY,
    QTY,
    ContractProjection,
    add_to,
    business_day,
    measure,
    types_of,
)
from reporting.domain.analysis import split_total

SCHEMA = "rm_report_sales"
metadata = MetaData()

document_lines = Table(
    "document_lines",
    metadata,
    Column("document_id", Uuid, primary_key=True),  # shipment_id or return_id
    Column("sku", Text, primary_key=True),
    Column("kind", Text, nullable=False),  # sale | return
    # inventory's half
    Column("day", Date),
    Column("warehouse_id", Text),
    Column("qty", QTY),
    Column("cost", MONEY),
    # finance's half
    Column("customer_id", Text),
    Column("net", MONEY),
    Column("vat", MONEY),
    Column("posted", Boolean, nullable=False, server_default="false"),
    schema=SCHEMA,
)

sales_daily = Table(
    "sales_daily",
    metadata,
    Column("day", Date, primary_key=True),
    Column("sku", Text, primary_key=True),
    Column("customer_id", Text, primary_key=True),
    Column("warehouse_id", Text, primary_key=True),
    measure("qty_shipped", QTY),
    measure("qty_returned", QTY),
    measure("qty", QTY),
    measure("net_returned"),
    measure("net"),
    measure("vat"),
    measure("cost"),
    measure("margin"),
    schema=SCHEMA,
)


class SalesProjection(ContractProjection):
    name: ClassVar[str] = "reporting.sales"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = types_of(
        ShipmentDispatched, CustomerReturnReceived, CustomerInvoiceIssued, CreditNoteIssued
    )

    async def on(self, conn: AsyncConnection, event: PublicEvent, recorded: RecordedEvent) -> None:
        day = business_day(recorded)
        match event:
            case ShipmentDispatched():
                await _goods(conn, event.shipment_id, "sale", day, event.warehouse_id, event.lines)
            case CustomerReturnReceived():
                await _goods(conn, event.return_id, "return", day, event.warehouse_id, event.lines)
            case CustomerInvoiceIssued():
                await _money(conn, event.shipment_id, "sale", event.customer_id, event)
            case CreditNoteIssued():
                await _money(conn, event.return_id, "return", event.customer_id, event)


async def _goods(
    conn: AsyncConnection,
    document_id: UUID,
    kind: str,
    day: date,
    warehouse_id: str,
    lines: Iterable[ValuedLine],
) -> None:
    merged: dict[str, tuple[Decimal, Decimal]] = {}
    for line in lines:
        qty, cost = merged.get(line.sku, (Decimal(0), Decimal(0)))
        merged[line.sku] = (qty + line.qty, cost + line.value)
    for sku, (qty, cost) in merged.items():
        values = {"day": day, "warehouse_id": warehouse_id, "qty": qty, "cost": cost}
        await _park(conn, document_id, sku, kind, values)


async def _money(
    conn: AsyncConnection,
    document_id: UUID,
    kind: str,
    customer_id: str,
    document: CustomerInvoiceIssued | CreditNoteIssued,
) -> None:
    for sku, (net, vat) in _priced_lines(document).items():
        await _park(
            conn, document_id, sku, kind, {"customer_id": customer_id, "net": net, "vat": vat}
        )


def _priced_lines(
    document: CustomerInvoiceIssued | CreditNoteIssued,
) -> dict[str, tuple[Decimal, Decimal]]:
    """Net and VAT per sku, the document's rounded totals split over its lines."""
    lines: list[InvoiceLine] = list(document.lines)
    nets = split_total(document.net_total, [li.qty * li.unit_price for li in lines])
    vats = split_total(document.tax_total, [li.qty * li.unit_price * li.tax_rate for li in lines])
    merged: dict[str, tuple[Decimal, Decimal]] = {}
    for line, net, vat in zip(lines, nets, vats, strict=True):
        old_net, old_vat = merged.get(line.sku, (Decimal(0), Decimal(0)))
        merged[line.sku] = (old_net + net, old_vat + vat)
    return merged


async def _park(
    conn: AsyncConnection, document_id: UUID, sku: str, kind: str, values: dict[str, Any]
) -> None:
    """Keep one half of a line; when the other half is already there, post the line."""
    stmt = insert(document_lines).values(document_id=document_id, sku=sku, kind=kind, **values)
    await conn.execute(
        stmt.on_conflict_do_update(index_elements=["document_id", "sku"], set_=values)
    )
    key = (document_lines.c.document_id == document_id) & (document_lines.c.sku == sku)
    row = (await conn.execute(select(document_lines).where(key))).one()
    if row.posted or row.day is None or row.customer_id is None:
        return
    await _post(conn, row)
    await conn.execute(update(document_lines).where(key).values(posted=True))


async def _post(conn: AsyncConnection, row: Any) -> None:
    # A return takes qty, revenue and cost back: it nets out on the day the goods came back.
    sign = Decimal(1) if row.kind == "sale" else Decimal(-1)
    keys = {
        "day": row.day,
        "sku": row.sku,
        "customer_id": row.customer_id,
        "warehouse_id": row.warehouse_id,
    }
    measures = {
        "qty_shipped": row.qty if row.kind == "sale" else Decimal(0),
        "qty_returned": row.qty if row.kind == "return" else Decimal(0),
        "qty": sign * row.qty,
        "net_returned": row.net if row.kind == "return" else Decimal(0),
        "net": sign * row.net,
        "vat": sign * row.vat,
        "cost": sign * row.cost,
        "margin": sign * (row.net - row.cost),
    }
    await add_to(conn, sales_daily, keys, measures)
