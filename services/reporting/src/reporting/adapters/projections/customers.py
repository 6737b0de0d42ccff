"""`rm_report_customers`: what customer analysis (客户分析) is computed from.

- `customers`: master data from `CustomerRegistered`;
- `orders`: every sales order (day placed, net value; `cancelled` once `SalesOrderCancelled`);
- `receivables`: every customer invoice (+ total) and credit note (− total) with its dates and,
  for invoices, the day `InvoiceSettled` reported it fully paid;
- `receipts`: every `PaymentReceived`.

Settlement may arrive before its invoice (nothing orders finance's streams for us), so both
fill their own columns of the same `receivables` row.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import Boolean, Column, Date, Integer, MetaData, Table, Text, Uuid, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from erp_contracts.events.finance import (
    CreditNoteIssued,
    CustomerInvoiceIssued,
    InvoiceSettled,
    PaymentReceived,
)
from erp_contracts.events.sales import CustomerRegistered, SalesOrderCancelled, SalesOrderPlaced
from erp_contracts.registry import PublicEvent
from eventkit.store.records import RecordedEvent
from reporting.adapters.projections.base import (
    MONEY,
    ContractProjection,
    business_day,
    decoded,
    insert_new,
    types_of,
    unnested,
)
from reporting.domain.analysis import to_cents

SCHEMA = "rm_report_customers"
metadata = MetaData()

customers = Table(
    "customers",
    metadata,
    Column("customer_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("credit_limit", MONEY, nullable=False),
    Column("payment_terms_days", Integer, nullable=False),
    schema=SCHEMA,
)

orders = Table(
    "orders",
    metadata,
    Column("order_id", Uuid, primary_key=True),
    Column("customer_id", Text, nullable=False),
    Column("day", Date, nullable=False),
    Column("net", MONEY, nullable=False),
    Column("cancelled", Boolean, nullable=False, server_default="false"),
    schema=SCHEMA,
)

receivables = Table(
    "receivables",
    metadata,
    Column("document_id", Uuid, primary_key=True),
    Column("kind", Text),  # invoice | credit_note
    Column("customer_id", Text),
    Column("day", Date),
    Column("due_date", Date),
    Column("net", MONEY),
    Column("total", MONEY),  # signed: a credit note lowers what the customer owes
    Column("settled_on", Date),
    schema=SCHEMA,
)

receipts = Table(
    "receipts",
    metadata,
    Column("receipt_id", Uuid, primary_key=True),
    Column("customer_id", Text, nullable=False),
    Column("day", Date, nullable=False),
    Column("amount", MONEY, nullable=False),
    schema=SCHEMA,
)


class CustomersProjection(ContractProjection):
    name: ClassVar[str] = "reporting.customers"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = types_of(
        CustomerRegistered,
        SalesOrderPlaced,
        SalesOrderCancelled,
        CustomerInvoiceIssued,
        CreditNoteIssued,
        InvoiceSettled,
        PaymentReceived,
    )

    async def on(self, conn: AsyncConnection, event: PublicEvent, recorded: RecordedEvent) -> None:
        await _write(conn, _Batch().add(event, business_day(recorded)))

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        batch = _Batch()
        for recorded in events:
            if (event := decoded(recorded)) is not None:
                batch.add(event, business_day(recorded))
        await _write(conn, batch)


_CUSTOMER_FIELDS = {"customer_id", "name", "credit_limit", "payment_terms_days"}


@dataclass
class _Batch:
    """A batch's rows per key as one event after the other would leave them: customers,
    orders and receipts as first told; a receivable's columns as last told."""

    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    orders: dict[UUID, dict[str, Any]] = field(default_factory=dict)
    #: Cancellations of orders stored before the batch (a cancellation before its order is
    #: known changes nothing, as it would event by event).
    cancelled: set[UUID] = field(default_factory=set)
    receivables: dict[UUID, dict[str, Any]] = field(default_factory=dict)
    receipts: dict[UUID, dict[str, Any]] = field(default_factory=dict)

    def add(self, event: PublicEvent, day: date) -> "_Batch":
        match event:
            case CustomerRegistered():
                row = event.model_dump(include=_CUSTOMER_FIELDS)
                self.customers.setdefault(event.customer_id, row)
            case SalesOrderPlaced():
                net = event.net_total
                if net is None:
                    net = to_cents(sum((li.qty * li.unit_price for li in event.lines), Decimal(0)))
                row = {"order_id": event.order_id, "customer_id": event.customer_id}
                self.orders.setdefault(event.order_id, {**row, "day": day, "net": net})
            case SalesOrderCancelled():
                self.cancelled.add(event.order_id)
                if event.order_id in self.orders:
                    self.orders[event.order_id]["cancelled"] = True
            case CustomerInvoiceIssued():
                self._receivable(event.invoice_id, _invoice(event))
            case CreditNoteIssued():
                self._receivable(event.credit_note_id, _credit_note(event))
            case InvoiceSettled() if event.kind == "receivable":
                self._receivable(event.invoice_id, {"settled_on": day})
            case PaymentReceived():
                row = {"receipt_id": event.receipt_id, "customer_id": event.customer_id}
                self.receipts.setdefault(
                    event.receipt_id, {**row, "day": day, "amount": event.amount}
                )
        return self

    def _receivable(self, document_id: UUID, values: dict[str, Any]) -> None:
        self.receivables.setdefault(document_id, {"document_id": document_id}).update(values)


async def _write(conn: AsyncConnection, batch: _Batch) -> None:
    await insert_new(conn, customers, list(batch.customers.values()))
    if batch.cancelled:  # before the batch's orders go in: only orders stored before it
        cancel = orders.c.order_id.in_(sorted(batch.cancelled))
        await conn.execute(update(orders).where(cancel).values(cancelled=True))
    await insert_new(conn, orders, [{"cancelled": False, **row} for row in batch.orders.values()])
    await insert_new(conn, receipts, list(batch.receipts.values()))
    # One statement per set of columns told (an invoice, a credit note, a settlement, or a
    # mix): each updates only the columns its events told, as one upsert per event would.
    shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in batch.receivables.values():
        shapes.setdefault(tuple(sorted(row)), []).append(row)
    for rows in shapes.values():
        given = unnested("told", receivables, rows)
        stmt = insert(receivables).from_select(list(rows[0]), given.select())
        told = {name: stmt.excluded[name] for name in rows[0] if name != "document_id"}
        await conn.execute(stmt.on_conflict_do_update(index_elements=["document_id"], set_=told))


def _invoice(event: CustomerInvoiceIssued) -> dict[str, Any]:
    return {
        "kind": "invoice",
        "customer_id": event.customer_id,
        "day": event.invoice_date,
        "due_date": event.due_date,
        "net": event.net_total,
        "total": event.total,
    }


def _credit_note(event: CreditNoteIssued) -> dict[str, Any]:
    return {
        "kind": "credit_note",
        "customer_id": event.customer_id,
        "day": event.note_date,
        "net": -event.net_total,
        "total": -event.total,
    }
