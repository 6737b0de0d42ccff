"""`rm_report_aging`: what AR/AP aging (账龄) is computed from, as of any date.

- `open_items`: customer invoices (due date from the invoice) and supplier invoices (due date =
  invoice date + the supplier's payment terms, looked up when the report runs, since
  `SupplierRegistered` travels on another topic than the invoice);
- `allocations`: every amount applied to one of them, with its day — receipts and credit notes
  to customer invoices, payments and debit notes to supplier invoices. Money received or paid
  on account (unallocated) is not in the aging;
- `supplier_terms`: each supplier's payment terms.

An item's open amount at a date is its total less the allocations dated up to then.
"""

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import Column, Date, Integer, MetaData, Table, Text, Uuid
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from erp_contracts.events.finance import (
    Allocation,
    CreditNoteIssued,
    CustomerInvoiceIssued,
    DebitNoteIssued,
    PaymentMade,
    PaymentReceived,
    SupplierInvoiceRecorded,
)
from erp_contracts.events.purchasing import SupplierRegistered
from erp_contracts.registry import PublicEvent
from eventkit.store.records import RecordedEvent
from reporting.adapters.projections.base import MONEY, ContractProjection, business_day, types_of

SCHEMA = "rm_report_aging"
metadata = MetaData()

open_items = Table(
    "open_items",
    metadata,
    Column("document_id", Uuid, primary_key=True),
    Column("kind", Text, nullable=False),  # receivable | payable
    Column("party_id", Text, nullable=False),
    Column("document_date", Date, nullable=False),
    Column("due_date", Date),  # None: supplier invoice, due after the supplier's terms
    Column("total", MONEY, nullable=False),
    schema=SCHEMA,
)

allocations = Table(
    "allocations",
    metadata,
    Column("source_id", Uuid, primary_key=True),  # receipt, payment, credit or debit note
    Column("document_id", Uuid, primary_key=True),
    Column("day", Date, nullable=False),
    Column("amount", MONEY, nullable=False),
    schema=SCHEMA,
)

supplier_terms = Table(
    "supplier_terms",
    metadata,
    Column("supplier_id", Text, primary_key=True),
    Column("payment_terms_days", Integer, nullable=False),
    schema=SCHEMA,
)


class AgingProjection(ContractProjection):
    name: ClassVar[str] = "reporting.aging"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = types_of(
        CustomerInvoiceIssued,
        SupplierInvoiceRecorded,
        PaymentReceived,
        PaymentMade,
        CreditNoteIssued,
        DebitNoteIssued,
        SupplierRegistered,
    )

    async def on(self, conn: AsyncConnection, event: PublicEvent, recorded: RecordedEvent) -> None:
        day = business_day(recorded)
        match event:
            case CustomerInvoiceIssued():
                item = (event.invoice_id, "receivable", event.customer_id, event.invoice_date)
                await _item(conn, *item, event.due_date, event.total)
            case SupplierInvoiceRecorded():
                item = (event.invoice_id, "payable", event.supplier_id, event.invoice_date)
                await _item(conn, *item, None, event.total)
            case PaymentReceived():
                await _applied(conn, event.receipt_id, day, event.allocations)
            case PaymentMade():
                await _applied(conn, event.payment_id, day, event.allocations)
            case CreditNoteIssued():
                await _applied(conn, event.credit_note_id, event.note_date, event.allocations)
            case DebitNoteIssued():
                await _applied(conn, event.debit_note_id, event.note_date, event.allocations)
            case SupplierRegistered():
                terms = {"payment_terms_days": event.payment_terms_days}
                stmt = insert(supplier_terms).values(supplier_id=event.supplier_id, **terms)
                await conn.execute(
                    stmt.on_conflict_do_update(index_elements=["supplier_id"], set_=terms)
                )


async def _item(
    conn: AsyncConnection,
    document_id: UUID,
    kind: str,
    party_id: str,
    document_date: date,
    due_date: date | None,
    total: Decimal,
) -> None:
    values: dict[str, Any] = {
        "document_id": document_id,
        "kind": kind,
        "party_id": party_id,
        "document_date": document_date,
        "due_date": due_date,
        "total": total,
    }
    await conn.execute(insert(open_items).values(values).on_conflict_do_nothing())


async def _applied(
    conn: AsyncConnection, source_id: UUID, day: date, applied: tuple[Allocation, ...]
) -> None:
    for allocation in applied:
        row = {"source_id": source_id, "document_id": allocation.invoice_id, "day": day}
        stmt = insert(allocations).values(**row, amount=allocation.amount)
        await conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["source_id", "document_id"],
                set_={"amount": allocations.c.amount + stmt.excluded.amount},
            )
        )
