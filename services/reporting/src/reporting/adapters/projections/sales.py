"""`rm_report_sales`: sales by day × sku × customer × warehouse, returns netted.

A sale needs two producers' events: inventory's `ShipmentDispatched` (day, warehouse, qty and
the cost it used) and finance's `CustomerInvoiceIssued` for that shipment (customer, net, VAT
at the order's prices). A return likewise pairs `CustomerReturnReceived` with the
`CreditNoteIssued` for that return. The two topics are consumed independently, so either half
may come first: each half is parked in `document_lines` and the line is added to
`sales_daily` once both halves are there (then `posted`). The day is the day the goods moved.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import Boolean, Column, Date, MetaData, Table, Text, Uuid, select
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
    add_all,
    business_day,
    decoded,
    measure,
    summed,
    types_of,
    unnested,
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
        await _park(conn, _halves(event, business_day(recorded)))

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        halves = [
            half
            for recorded in events
            if (event := decoded(recorded)) is not None
            for half in _halves(event, business_day(recorded))
        ]
        await _park(conn, halves)


#: One half of a line: (document id, sku, kind, the columns it fills).
Half = tuple[UUID, str, str, dict[str, Any]]
_KEY = ("document_id", "sku")
_DAILY_KEY = ("day", "sku", "customer_id", "warehouse_id")
_UNPARKED = dict.fromkeys(("day", "warehouse_id", "qty", "cost", "customer_id", "net", "vat"))


def _halves(event: PublicEvent, day: date) -> list[Half]:
    match event:
        case ShipmentDispatched():
            return _goods(event.shipment_id, "sale", day, event.warehouse_id, event.lines)
        case CustomerReturnReceived():
            return _goods(event.return_id, "return", day, event.warehouse_id, event.lines)
        case CustomerInvoiceIssued():
            return _money(event.shipment_id, "sale", event.customer_id, event)
        case CreditNoteIssued():
            return _money(event.return_id, "return", event.customer_id, event)
    return []


def _goods(
    document_id: UUID, kind: str, day: date, warehouse_id: str, lines: Iterable[ValuedLine]
) -> list[Half]:
    merged: dict[str, tuple[Decimal, Decimal]] = {}
    for line in lines:
        qty, cost = merged.get(line.sku, (Decimal(0), Decimal(0)))
        merged[line.sku] = (qty + line.qty, cost + line.value)
    return [
        (document_id, sku, kind, {"day": day, "warehouse_id": warehouse_id, "qty": q, "cost": c})
        for sku, (q, c) in merged.items()
    ]


def _money(
    document_id: UUID,
    kind: str,
    customer_id: str,
    document: CustomerInvoiceIssued | CreditNoteIssued,
) -> list[Half]:
    return [
        (document_id, sku, kind, {"customer_id": customer_id, "net": net, "vat": vat})
        for sku, (net, vat) in _priced_lines(document).items()
    ]


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


async def _park(conn: AsyncConnection, halves: Sequence[Half]) -> None:
    """Keep each half of a line; a line whose other half is already there is posted, once.

    The batch is played in order over the lines as stored (one read), so a line is posted
    with the values it had when its second half came — as one event at a time would — and
    then written back in one statement, with the postings summed per `sales_daily` row."""
    if not halves:
        return
    lines = await _parked(conn, list(dict.fromkeys((h[0], h[1]) for h in halves)))
    postings: dict[tuple[Any, ...], dict[str, Decimal]] = {}
    for document_id, sku, kind, values in halves:
        fresh = {"document_id": document_id, "sku": sku, "kind": kind, **_UNPARKED}
        line = lines.setdefault((document_id, sku), {**fresh, "posted": False})
        line.update(values)
        if line["posted"] or line["day"] is None or line["customer_id"] is None:
            continue
        summed(postings, tuple(line[k] for k in _DAILY_KEY), _posting(line))
        line["posted"] = True
    parked = unnested("parked", document_lines, list(lines.values()))
    names = list(parked.c.keys())
    stmt = insert(document_lines).from_select(names, parked.select())
    changed = {name: stmt.excluded[name] for name in names if name not in _KEY}
    await conn.execute(stmt.on_conflict_do_update(index_elements=list(_KEY), set_=changed))
    daily = [{**dict(zip(_DAILY_KEY, key, strict=True)), **m} for key, m in postings.items()]
    await add_all(conn, sales_daily, _DAILY_KEY, daily)


async def _parked(
    conn: AsyncConnection, keys: list[tuple[UUID, str]]
) -> dict[tuple[UUID, str], dict[str, Any]]:
    wanted = unnested("wanted", document_lines, [dict(zip(_KEY, k, strict=True)) for k in keys])
    c = document_lines.c
    found = select(document_lines).join(
        wanted, (c.document_id == wanted.c.document_id) & (c.sku == wanted.c.sku)
    )
    return {(r.document_id, r.sku): dict(r._mapping) for r in await conn.execute(found)}


def _posting(line: dict[str, Any]) -> dict[str, Decimal]:
    # A return takes qty, revenue and cost back: it nets out on the day the goods came back.
    sale = line["kind"] == "sale"
    sign = Decimal(1) if sale else Decimal(-1)
    qty, net, vat, cost = line["qty"], line["net"], line["vat"], line["cost"]
    return {
        "qty_shipped": qty if sale else Decimal(0),
        "qty_returned": Decimal(0) if sale else qty,
        "qty": sign * qty,
        "net_returned": Decimal(0) if sale else net,
        "net": sign * net,
        "vat": sign * vat,
        "cost": sign * cost,
        "margin": sign * (net - cost),
    }
