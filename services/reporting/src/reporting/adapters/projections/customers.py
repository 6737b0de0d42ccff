"""`rm_report_customers`: what customer analysis (客户分析) is computed from.

- `customers`: master data from `CustomerRegistered`;
- `orders`: every sales order (day placed, net value; `cancelled` once `SalesOrderCancelled`);
- `receivables`: every customer invoice (+ total) and credit note (− total) with its dates and,
  for invoices, the day `InvoiceSettled` reported it fully paid;
- `receipts`: every `PaymentReceived`.

Settlement may arrive before its invoice (nothing orders finance's streams for us), so both
fill their own columns of the same `receivables` row.
"""

from decimal import Decimal
from typing import Any, ClassVar

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
    types_of,
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
        day = business_day(recorded)
        match event:
            case CustomerRegistered():
                await _insert(conn, customers, event.model_dump(include=_CUSTOMER_FIELDS))
            case SalesOrderPlaced():
                net = event.net_total
                if net is None:
                    net = to_cents(sum((li.qty * li.unit_price for li in event.lines), Decimal(0)))
                row = {"order_id": event.order_id, "customer_id": event.customer_id}
                await _insert(conn, orders, {**row, "day": day, "net": net})
            case SalesOrderCancelled():
                cancel = update(orders).where(orders.c.order_id == event.order_id)
                await conn.execute(cancel.values(cancelled=True))
            case CustomerInvoiceIssued():
                await _receivable(conn, event.invoice_id, _invoice(event))
            case CreditNoteIssued():
                await _receivable(conn, event.credit_note_id, _credit_note(event))
            case InvoiceSettled() if event.kind == "receivable":
                await _receivable(conn, event.invoice_id, {"settled_on": day})
            case PaymentReceived():
                row = {"receipt_id": event.receipt_id, "customer_id": event.customer_id}
                await _insert(conn, receipts, {**row, "day": day, "amount": event.amount})


_CUSTOMER_FIELDS = {"customer_id", "name", "credit_limit", "payment_terms_days"}


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


async def _insert(conn: AsyncConnection, table: Any, values: dict[str, Any]) -> None:
    await conn.execute(insert(table).values(values).on_conflict_do_nothing())


async def _receivable(conn: AsyncConnection, document_id: Any, values: dict[str, Any]) -> None:
    stmt = insert(receivables).values(document_id=document_id, **values)
    await conn.execute(stmt.on_conflict_do_update(index_elements=["document_id"], set_=values))
