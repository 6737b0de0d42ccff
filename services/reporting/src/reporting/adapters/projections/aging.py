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

from collections.abc import Sequence
from dataclasses import dataclass, field
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
from reporting.adapters.projections.base import (
    MONEY,
    ContractProjection,
    add_all,
    business_day,
    decoded,
    insert_new,
    summed,
    types_of,
    unnested,
)

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
        await _write(conn, _Batch().add(event, business_day(recorded)))

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        batch = _Batch()
        for recorded in events:
            if (event := decoded(recorded)) is not None:
                batch.add(event, business_day(recorded))
        await _write(conn, batch)


@dataclass
class _Batch:
    """A batch's rows, per key as one event after the other would leave them: an item as
    first told, allocations summed per (source, document), a supplier's latest terms."""

    items: dict[UUID, dict[str, Any]] = field(default_factory=dict)
    applied: dict[tuple[Any, ...], dict[str, Decimal]] = field(default_factory=dict)
    applied_on: dict[tuple[Any, ...], date] = field(default_factory=dict)
    terms: dict[str, int] = field(default_factory=dict)

    def add(self, event: PublicEvent, day: date) -> "_Batch":
        match event:
            case CustomerInvoiceIssued():
                item = (event.invoice_id, "receivable", event.customer_id, event.invoice_date)
                self._item(*item, event.due_date, event.total)
            case SupplierInvoiceRecorded():
                item = (event.invoice_id, "payable", event.supplier_id, event.invoice_date)
                self._item(*item, None, event.total)
            case PaymentReceived():
                self._applied(event.receipt_id, day, event.allocations)
            case PaymentMade():
                self._applied(event.payment_id, day, event.allocations)
            case CreditNoteIssued():
                self._applied(event.credit_note_id, event.note_date, event.allocations)
            case DebitNoteIssued():
                self._applied(event.debit_note_id, event.note_date, event.allocations)
            case SupplierRegistered():
                self.terms[event.supplier_id] = event.payment_terms_days
        return self

    def _item(
        self,
        document_id: UUID,
        kind: str,
        party_id: str,
        document_date: date,
        due_date: date | None,
        total: Decimal,
    ) -> None:
        self.items.setdefault(
            document_id,
            {
                "document_id": document_id,
                "kind": kind,
                "party_id": party_id,
                "document_date": document_date,
                "due_date": due_date,
                "total": total,
            },
        )

    def _applied(self, source_id: UUID, day: date, applied: tuple[Allocation, ...]) -> None:
        for allocation in applied:
            key = (source_id, allocation.invoice_id)
            self.applied_on.setdefault(key, day)
            summed(self.applied, key, {"amount": allocation.amount})


async def _write(conn: AsyncConnection, batch: _Batch) -> None:
    await insert_new(conn, open_items, list(batch.items.values()))
    rows = [
        {"source_id": key[0], "document_id": key[1], "day": batch.applied_on[key], **sums}
        for key, sums in batch.applied.items()
    ]
    await add_all(conn, allocations, ("source_id", "document_id"), rows, ("amount",))
    if batch.terms:
        given = [{"supplier_id": s, "payment_terms_days": d} for s, d in batch.terms.items()]
        latest = unnested("latest", supplier_terms, given)
        stmt = insert(supplier_terms).from_select(list(given[0]), latest.select())
        await conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["supplier_id"],
                set_={"payment_terms_days": stmt.excluded.payment_terms_days},
            )
        )
