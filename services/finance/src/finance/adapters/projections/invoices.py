"""``InvoicesProjection`` keeps ``rm_invoices.invoices``: one row per supplier invoice
(``payable``) and customer invoice (``receivable``) with its totals, what was paid (or
credited) and its status (``open``, ``on_hold``, ``settled``) — for the invoice lists, aging
and choosing which invoices a receipt pays first; and ``rm_invoices.notes``: one row per
credit note (``credit``, customer returns) and debit note (``debit``, supplier returns) with
its totals, the part applied to invoices and the part left ``unapplied``."""

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import Column, Date, MetaData, Numeric, Table, Text, select, update
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.http.paging import Page
from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent
from finance.adapters.codec import from_payload
from finance.domain import events as e
from finance.domain.invoice import ON_HOLD, OPEN, SETTLED
from finance.domain.supplier_invoice import MATCHED

SCHEMA = "rm_invoices"
MONEY = Numeric(24, 2)
metadata = MetaData()
invoices = Table(
    "invoices",
    metadata,
    Column("invoice_id", PG_UUID(as_uuid=True), primary_key=True),
    Column("kind", Text, nullable=False),
    Column("invoice_number", Text, nullable=False),
    Column("counterparty_id", Text, nullable=False, index=True),
    Column("order_id", PG_UUID(as_uuid=True), nullable=False, index=True),
    Column("invoice_date", Date, nullable=False),
    Column("due_date", Date),
    Column("net_total", MONEY, nullable=False),
    Column("tax_total", MONEY, nullable=False),
    Column("total", MONEY, nullable=False),
    Column("paid", MONEY, nullable=False),
    Column("status", Text, nullable=False),
    schema=SCHEMA,
)

notes = Table(
    "notes",
    metadata,
    Column("note_id", PG_UUID(as_uuid=True), primary_key=True),
    Column("kind", Text, nullable=False),
    Column("note_number", Text, nullable=False),
    Column("counterparty_id", Text, nullable=False, index=True),
    Column("order_id", PG_UUID(as_uuid=True), nullable=False, index=True),
    Column("return_id", PG_UUID(as_uuid=True), nullable=False),
    Column("note_date", Date, nullable=False),
    Column("net_total", MONEY, nullable=False),
    Column("tax_total", MONEY, nullable=False),
    Column("total", MONEY, nullable=False),
    Column("applied", MONEY, nullable=False),
    Column("unapplied", MONEY, nullable=False),
    schema=SCHEMA,
)


class InvoicesProjection(Projection):
    name: ClassVar[str] = "finance.invoices"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset(
        cls.event_type
        for cls in (
            e.SupplierInvoiceRecorded,
            e.SupplierInvoiceReleased,
            e.CustomerInvoiceIssued,
            e.PaymentAllocated,
            e.InvoiceSettled,
            e.CreditNoteIssued,
            e.DebitNoteIssued,
            e.OpeningReceivableRecorded,
            e.OpeningPayableRecorded,
        )
    )

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await _apply(conn, from_payload(event.event_type, event.payload))


#: The order column of a migrated (期初) invoice, which no order of this system stands behind.
NO_ORDER = UUID(int=0)


async def _apply(conn: AsyncConnection, event: e.DomainEvent) -> None:
    match event:
        case e.SupplierInvoiceRecorded():
            status = OPEN if event.status == MATCHED else ON_HOLD
            await _insert(conn, event, "payable", event.supplier_id, event.po_id, None, status)
        case e.CustomerInvoiceIssued():
            await _insert(
                conn, event, "receivable", event.customer_id, event.order_id, event.due_date, OPEN
            )
        case e.OpeningReceivableRecorded():
            await _insert_opening(conn, event, "receivable", event.customer_id)
        case e.OpeningPayableRecorded():
            await _insert_opening(conn, event, "payable", event.supplier_id)
        case e.PaymentAllocated():
            await conn.execute(
                update(invoices)
                .where(invoices.c.invoice_id == event.invoice_id)
                .values(paid=invoices.c.paid + event.amount)
            )
        case e.SupplierInvoiceReleased():
            await conn.execute(
                update(invoices)
                .where(invoices.c.invoice_id == event.invoice_id)
                .values(status=OPEN)
            )
        case e.InvoiceSettled():
            await conn.execute(
                update(invoices)
                .where(invoices.c.invoice_id == event.invoice_id)
                .values(status=SETTLED)
            )
        case e.CreditNoteIssued():
            await _insert_note(conn, event, "credit", event.customer_id, event.order_id)
        case e.DebitNoteIssued():
            await _insert_note(conn, event, "debit", event.supplier_id, event.po_id)
        case _:
            pass


async def _insert_opening(
    conn: AsyncConnection,
    event: e.OpeningReceivableRecorded | e.OpeningPayableRecorded,
    kind: str,
    counterparty_id: str,
) -> None:
    await conn.execute(
        insert(invoices).on_conflict_do_nothing(),
        {
            "invoice_id": event.invoice_id,
            "kind": kind,
            "invoice_number": event.invoice_number,
            "counterparty_id": counterparty_id,
            "order_id": NO_ORDER,
            "invoice_date": event.invoice_date,
            "due_date": event.due_date,
            "net_total": event.total,
            "tax_total": Decimal(0),
            "total": event.total,
            "paid": Decimal(0),
            "status": OPEN,
        },
    )


async def _insert_note(
    conn: AsyncConnection,
    event: e.CreditNoteIssued | e.DebitNoteIssued,
    kind: str,
    counterparty_id: str,
    order_id: UUID,
) -> None:
    number = (
        event.credit_note_number
        if isinstance(event, e.CreditNoteIssued)
        else event.debit_note_number
    )
    note_id = event.credit_note_id if isinstance(event, e.CreditNoteIssued) else event.debit_note_id
    await conn.execute(
        insert(notes).on_conflict_do_nothing(),
        {
            "note_id": note_id,
            "kind": kind,
            "note_number": number,
            "counterparty_id": counterparty_id,
            "order_id": order_id,
            "return_id": event.return_id,
            "note_date": event.note_date,
            "net_total": event.net_total,
            "tax_total": event.tax_total,
            "total": event.total,
            "applied": event.total - event.unapplied,
            "unapplied": event.unapplied,
        },
    )


async def _insert(
    conn: AsyncConnection,
    event: e.SupplierInvoiceRecorded | e.CustomerInvoiceIssued,
    kind: str,
    counterparty_id: str,
    order_id: UUID,
    due_date: date | None,
    status: str,
) -> None:
    await conn.execute(
        insert(invoices).on_conflict_do_nothing(),
        {
            "invoice_id": event.invoice_id,
            "kind": kind,
            "invoice_number": event.invoice_number,
            "counterparty_id": counterparty_id,
            "order_id": order_id,
            "invoice_date": event.invoice_date,
            "due_date": due_date,
            "net_total": event.net_total,
            "tax_total": event.tax_total,
            "total": event.total,
            "paid": Decimal(0),
            "status": status,
        },
    )


async def open_invoices_oldest_first(
    conn: AsyncConnection, kind: str, counterparty_id: str
) -> list[UUID]:
    query = (
        select(invoices.c.invoice_id)
        .where(
            invoices.c.kind == kind,
            invoices.c.counterparty_id == counterparty_id,
            invoices.c.status == OPEN,
        )
        .order_by(invoices.c.invoice_date, invoices.c.invoice_number)
    )
    return list((await conn.execute(query)).scalars())


async def invoice_list(
    conn: AsyncConnection,
    kind: str,
    counterparty_id: str | None,
    order_id: UUID | None,
    page: Page | None = None,
) -> list[dict[str, Any]]:
    """Invoices oldest first; `page` narrows to a page and a search of number, counterparty
    and status."""
    c = invoices.c
    query = (
        select(invoices)
        .where(c.kind == kind)
        .order_by(c.invoice_date, c.invoice_number, c.invoice_id)
    )
    if counterparty_id is not None:
        query = query.where(c.counterparty_id == counterparty_id)
    if order_id is not None:
        query = query.where(c.order_id == order_id)
    query = (page or Page()).apply(query, c.invoice_number, c.counterparty_id, c.status)
    return [
        {**row._asdict(), "open_amount": row.total - row.paid} for row in await conn.execute(query)
    ]


async def note_list(
    conn: AsyncConnection,
    kind: str,
    counterparty_id: str | None,
    order_id: UUID | None,
    page: Page | None = None,
) -> list[dict[str, Any]]:
    c = notes.c
    query = select(notes).where(c.kind == kind).order_by(c.note_date, c.note_number, c.note_id)
    if counterparty_id is not None:
        query = query.where(c.counterparty_id == counterparty_id)
    if order_id is not None:
        query = query.where(c.order_id == order_id)
    query = (page or Page()).apply(query, c.note_number, c.counterparty_id)
    return [row._asdict() for row in await conn.execute(query)]


CENTS = Decimal("0.00")
#: Aging buckets by days since the invoice date (账龄).
BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("0-30", 30),
    ("31-60", 60),
    ("61-90", 90),
    ("90+", None),
)


def bucket_of(age_days: int) -> str:
    return next(name for name, upto in BUCKETS if upto is None or age_days <= upto)


async def aging(conn: AsyncConnection, kind: str, today: date) -> dict[str, Any]:
    """Open amounts of open invoices per counterparty and age bucket."""
    query = select(invoices).where(invoices.c.kind == kind, invoices.c.status == OPEN)
    rows: dict[str, dict[str, Decimal]] = {}
    totals = {name: CENTS for name, _ in BUCKETS}
    for row in await conn.execute(query):
        age = (today - row.invoice_date).days
        bucket = bucket_of(age)
        amount = row.total - row.paid
        per = rows.setdefault(row.counterparty_id, {name: CENTS for name, _ in BUCKETS})
        per[bucket] += amount
        totals[bucket] += amount
    return {
        "kind": kind,
        "as_of": today,
        "buckets": [name for name, _ in BUCKETS],
        "counterparties": [
            {"counterparty_id": cid, **amounts, "total": sum(amounts.values(), CENTS)}
            for cid, amounts in sorted(rows.items())
        ],
        "totals": {**totals, "total": sum(totals.values(), CENTS)},
    }
